/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cmdline.h"

#include <limits.h>

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

int cmdline_parse(const char *text, struct kernel_cmdline *ret, char **ret_warning)
{
        _cleanup_strv_ char **words = NULL;
        struct kernel_cmdline c = {.kexec_wait = CMDLINE_DEFAULT_WAIT};
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
            (r = dup_value(words, "video", &c.video)) < 0)
                goto fail;
        v = cmdline_get(words, "kexec_text");
        c.kexec_text = v && (!*v || strcaseeq(v, "1") || strcaseeq(v, "yes") || strcaseeq(v, "on"));
        v = cmdline_get(words, "kexec_wait");
        if (v) {
                char *end;
                unsigned long n;

                errno = 0;
                n = strtoul(v, &end, 10);
                if (!*v || *end || errno || n > 3600 || v[0] == '-') {
                        if (ret_warning)
                                *ret_warning = util_asprintf(
                                        "kexec_wait=%s is not a number of seconds (0-3600), "
                                        "using %u",
                                        v, CMDLINE_DEFAULT_WAIT);
                } else
                        c.kexec_wait = (unsigned) n;
        }
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
        free(c->video);
        *c = (struct kernel_cmdline){0};
}
