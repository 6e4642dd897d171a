/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cmdline.h"

#include <limits.h>
#include <stdarg.h>

#include "../input/keymap.h"

int cmdline_split(const char *text, char ***ret)
{
        _cleanup_strv_ char **words = calloc(1, sizeof(char *));
        int r;

        if (!words)
                return -ENOMEM;
        for (const char *p = text;;) {
                _cleanup_free_ char *w = NULL;
                size_t n = 0;
                bool quoted = false;

                while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
                        p++;
                if (!*p)
                        break;
                w = malloc(strlen(p) + 1);
                if (!w)
                        return -ENOMEM;
                for (; *p; p++) {
                        if (*p == '"') {
                                quoted = !quoted;
                                continue;
                        }
                        if (!quoted && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
                                break;
                        w[n++] = *p;
                }
                w[n] = 0;
                r = strv_consume(&words, w);
                w = NULL;
                if (r < 0)
                        return r;
        }
        *ret = words;
        words = NULL;
        return 0;
}

const char *cmdline_get(char *const *words, const char *key)
{
        const char *found = NULL;
        size_t kl = strlen(key);

        strv_foreach (w, words) {
                if (strncmp(w, key, kl) != 0)
                        continue;
                if (w[kl] == '=')
                        found = w + kl + 1;
                else if (w[kl] == 0)
                        found = "";
        }
        return found;
}

static int dup_value(char *const *words, const char *key, char **ret)
{
        const char *v = cmdline_get(words, key);

        if (isempty(v))
                return 0;
        return util_strdup_to(ret, v);
}

/* Adds one warning to *warning ("; " between two). */
static void add_warning(char **warning, const char *fmt, ...) _printf_(2, 3);
/* The warnings' text stops growing here: a long command line of bad words costs its length,
 * not its length for each bad word. */
#define CMDLINE_WARNING_MAX 4096
/* Unknown kexec_test words named one by one; the others are counted. */
#define CMDLINE_TEST_UNKNOWN_NAMED 4

static void add_warning(char **warning, const char *fmt, ...)
{
        _cleanup_free_ char *m = NULL;
        va_list ap;
        char *w;

        if (!warning || (*warning && strlen(*warning) >= CMDLINE_WARNING_MAX))
                return;
        va_start(ap, fmt);
        m = util_vasprintf(fmt, ap);
        va_end(ap);
        if (!m)
                return;
        w = *warning ? util_asprintf("%s; %s", *warning, m) : strdup(m);
        if (w) {
                free(*warning);
                *warning = w;
        }
}

/* key=<seconds> within 0..max; a bad value keeps *ret (the default) and gives a warning. */
static void parse_seconds(char *const *words, const char *key, unsigned max, unsigned *ret,
                          char **warning)
{
        const char *v = cmdline_get(words, key);
        char *end;
        unsigned long n;

        if (!v)
                return;
        errno = 0;
        n = strtoul(v, &end, 10);
        if (!*v || *end || errno || n > max || v[0] == '-')
                add_warning(warning, "%s=%s is not a number of seconds (0-%u), using %u", key, v,
                            max, *ret);
        else
                *ret = (unsigned) n;
}

static const struct {
        const char *word;
        unsigned flag;
} test_words[] = {
        {"crash-autodetect", CMDLINE_TEST_CRASH_AUTODETECT},
        {"hang-autodetect", CMDLINE_TEST_HANG_AUTODETECT},
        {"fail-jump", CMDLINE_TEST_FAIL_JUMP},
        {"commands", CMDLINE_TEST_COMMANDS},
};

/* kexec_test=word[,word...] */
static void parse_test(char *const *words, unsigned *ret, char **warning)
{
        const char *v = cmdline_get(words, "kexec_test");
        _cleanup_free_ char *copy = v ? strdup(v) : NULL;
        char *save = NULL;
        unsigned unknown = 0;

        if (!copy)
                return;
        for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
                size_t i;

                for (i = 0; i < ARRAY_SIZE(test_words); i++)
                        if (streq(w, test_words[i].word))
                                break;
                if (i < ARRAY_SIZE(test_words))
                        *ret |= test_words[i].flag;
                else if (unknown++ < CMDLINE_TEST_UNKNOWN_NAMED)
                        add_warning(warning, "kexec_test: unknown test hook '%.64s'", w);
        }
        if (unknown > CMDLINE_TEST_UNKNOWN_NAMED)
                add_warning(warning, "kexec_test: %u more unknown test hooks",
                            unknown - CMDLINE_TEST_UNKNOWN_NAMED);
}

int cmdline_parse_scale(const char *s, int *ret)
{
        long whole = 0, frac = 0;
        int digits = 0;
        const char *p = s;

        if (!s || !*s)
                return -EINVAL;
        if (strcaseeq(s, "auto")) {
                *ret = 0;
                return 0;
        }
        if (*p < '0' || *p > '9')
                return -EINVAL;
        for (; *p >= '0' && *p <= '9'; p++)
                if ((whole = whole * 10 + (*p - '0')) > 1000)
                        return -EINVAL;
        if (*p != '%' || p[1]) { /* a factor, else a percentage */
                if (*p == '.') {
                        for (p++; *p >= '0' && *p <= '9'; p++) {
                                if (++digits > 2)
                                        return -EINVAL;
                                frac = frac * 10 + (*p - '0');
                        }
                        if (digits == 0)
                                return -EINVAL;
                        if (digits == 1)
                                frac *= 10;
                }
                if (*p)
                        return -EINVAL;
                whole = whole * 100 + frac;
        }
        if (whole < 50 || whole > 400)
                return -EINVAL;
        *ret = (int) whole;
        return 0;
}

int cmdline_parse(const char *text, struct kernel_cmdline *ret, char **ret_warning)
{
        _cleanup_strv_ char **words = NULL;
        struct kernel_cmdline c = {.kexec_wait = CMDLINE_DEFAULT_WAIT,
                                   .kexec_watchdog = CMDLINE_DEFAULT_WATCHDOG};
        const char *v;
        int r;

        if (ret_warning)
                *ret_warning = NULL;
        r = cmdline_split(text ? text : "", &words);
        if (r < 0)
                return r;
        if ((r = dup_value(words, "kexec_config", &c.kexec_config)) < 0 ||
            (r = dup_value(words, "kexec_debug", &c.kexec_debug)) < 0 ||
            (r = dup_value(words, "kexec_theme", &c.kexec_theme)) < 0 ||
            (r = dup_value(words, "kexec_trace", &c.kexec_trace)) < 0 ||
            (r = dup_value(words, "kexec_keymap", &c.kexec_keymap)) < 0 ||
            (r = dup_value(words, "video", &c.video)) < 0)
                goto fail;
        if (c.kexec_keymap && !keymap_find(c.kexec_keymap)) {
                add_warning(ret_warning,
                            "kexec_keymap=%s is not a keyboard layout of this build (K in the "
                            "menu lists them)",
                            c.kexec_keymap);
                free(c.kexec_keymap);
                c.kexec_keymap = NULL;
        }
        v = cmdline_get(words, "kexec_text");
        c.kexec_text = v && (!*v || strcaseeq(v, "1") || strcaseeq(v, "yes") || strcaseeq(v, "on"));
        v = cmdline_get(words, "kexec_beep");
        if (v)
                c.kexec_beep =
                        strcaseeq(v, "0") || strcaseeq(v, "no") || strcaseeq(v, "off") ? -1 : 1;
        v = cmdline_get(words, "kexec_lvm");
        c.kexec_no_lvm = v && (strcaseeq(v, "0") || strcaseeq(v, "no") || strcaseeq(v, "off"));
        parse_seconds(words, "kexec_wait", 3600, &c.kexec_wait, ret_warning);
        parse_seconds(words, "kexec_watchdog", 3600, &c.kexec_watchdog, ret_warning);
        parse_test(words, &c.kexec_test, ret_warning);
        v = cmdline_get(words, "kexec_scale");
        if (v && cmdline_parse_scale(v, &c.kexec_scale) < 0)
                add_warning(ret_warning,
                            "kexec_scale=%s is not auto, a factor from 0.5 to 4 or a percentage, "
                            "using auto",
                            v);
        *ret = c;
        return 0;
fail:
        cmdline_done(&c);
        return r;
}

void cmdline_done(struct kernel_cmdline *c)
{
        free(c->kexec_config);
        free(c->kexec_debug);
        free(c->kexec_theme);
        free(c->kexec_trace);
        free(c->kexec_keymap);
        free(c->video);
        *c = (struct kernel_cmdline){0};
}
