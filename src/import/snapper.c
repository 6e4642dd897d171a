/* SPDX-License-Identifier: GPL-2.0-or-later */
/* snapper's snapshots (openSUSE): info.xml read with a few tags and strict bounds, and the
 * snapshots that carry their own kernel listed newest first (snapper.h). */
#include "snapper.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../core/utf8.h"

void snapper_info_done(struct snapper_info *i)
{
        free(i->description);
        *i = (struct snapper_info){0};
}

enum { TAG_NUM, TAG_DATE, TAG_DESCRIPTION, TAG_TYPE, TAG_OTHER };

static const char *const tag_names[] = {
        [TAG_NUM] = "num",
        [TAG_DATE] = "date",
        [TAG_DESCRIPTION] = "description",
        [TAG_TYPE] = "type",
};

static const struct {
        const char *name;
        char c;
} entities[] = {
        {"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''},
};

struct parse {
        const char *data, *end;
        const char *at; /* where the error is */
        const char *why;
};

static int fail(struct parse *p, const char *at, const char *why)
{
        p->at = at;
        p->why = why;
        return -EINVAL;
}

/* The text of an element from s to e (no '<' in it), entities decoded, controls made blanks,
 * blanks at both ends stripped, at most max bytes (cut before a UTF-8 sequence). */
static int text_of(struct parse *p, const char *s, const char *e, size_t max, char **ret)
{
        char *out = malloc((size_t) (e - s) + 1), *o = out;
        size_t n;

        if (!out)
                return -ENOMEM;
        while (s < e) {
                unsigned char ch = (unsigned char) *s;

                if (ch != '&') {
                        *o++ = ch < 0x20 || ch == 0x7f ? ' ' : (char) ch;
                        s++;
                        continue;
                }
                const char *semi = memchr(s, ';', (size_t) (e - s) < 12 ? (size_t) (e - s) : 12);
                size_t k;

                if (!semi) {
                        free(out);
                        return fail(p, s, "a '&' that starts no entity");
                }
                for (k = 0; k < ARRAY_SIZE(entities); k++)
                        if ((size_t) (semi + 1 - (s + 1)) == strlen(entities[k].name) &&
                            !memcmp(s + 1, entities[k].name, strlen(entities[k].name)))
                                break;
                if (k < ARRAY_SIZE(entities)) {
                        *o++ = entities[k].c;
                } else if (s[1] == '#') {
                        bool hex = s + 2 < semi && (s[2] == 'x' || s[2] == 'X');
                        const char *d = s + 2 + hex;
                        unsigned long c = 0;

                        if (d == semi)
                                c = 0;
                        for (; d < semi; d++) {
                                int v = isdigit((unsigned char) *d) ? *d - '0'
                                        : hex && isxdigit((unsigned char) *d)
                                                ? (tolower((unsigned char) *d) - 'a' + 10)
                                                : -1;

                                if (v < 0 || c > 0x10ffff) {
                                        c = 0;
                                        break;
                                }
                                c = c * (hex ? 16 : 10) + (unsigned) v;
                        }
                        if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
                                free(out);
                                return fail(p, s, "a bad character reference");
                        }
                        if (c < 0x20 || c == 0x7f)
                                c = ' ';
                        /* "&#1114111;" is 10 bytes for 4 out: never longer than the input */
                        o += utf8_encode((uint32_t) c, o);
                } else {
                        free(out);
                        return fail(p, s, "an unknown entity");
                }
                s = semi + 1;
        }
        *o = 0;
        n = (size_t) (o - out);
        while (n > 0 && out[n - 1] == ' ')
                n--;
        if (n > max) {
                n = max;
                while (n > 0 && ((unsigned char) out[n] & 0xc0) == 0x80)
                        n--;
        }
        out[n] = 0;
        size_t lead = strspn(out, " ");
        memmove(out, out + lead, n - lead + 1);
        *ret = out;
        return 0;
}

static bool digits(const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (!isdigit((unsigned char) s[i]))
                        return false;
        return true;
}

static int num2(const char *s)
{
        return (s[0] - '0') * 10 + (s[1] - '0');
}

/* snapper's "2024-05-01 10:20:30" */
static bool date_ok(const char *s)
{
        if (strlen(s) != 19 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
            !digits(s + 8, 2) || s[10] != ' ' || !digits(s + 11, 2) || s[13] != ':' ||
            !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
                return false;
        return num2(s + 5) >= 1 && num2(s + 5) <= 12 && num2(s + 8) >= 1 && num2(s + 8) <= 31 &&
               num2(s + 11) < 24 && num2(s + 14) < 60 && num2(s + 17) < 61;
}

/* A snapshot's number: 1 to 999999999, no leading zero (0 is snapper's "current", never a
 * snapshot of its own). */
static bool snap_number(const char *n)
{
        size_t l = strlen(n);

        return l > 0 && l <= 9 && digits(n, l) && n[0] != '0';
}

static int value_set(struct parse *p, struct snapper_info *ret, int tag, const char *at, char *text)
{
        if (tag == TAG_NUM) {
                if (!snap_number(text))
                        return fail(p, at, "<num> is not a snapshot number");
                ret->num = (unsigned) strtoul(text, NULL, 10);
        } else if (tag == TAG_DATE) {
                if (!date_ok(text))
                        return fail(p, at, "<date> is not YYYY-MM-DD HH:MM:SS");
                memcpy(ret->date, text, 20);
        } else if (tag == TAG_TYPE) {
                if (!streq(text, "single") && !streq(text, "pre") && !streq(text, "post"))
                        return fail(p, at, "<type> is none of single, pre, post");
                strcpy(ret->type, text);
        }
        return 0;
}

int snapper_info_parse(const char *data, size_t len, struct snapper_info *ret, unsigned *ret_line,
                       const char **ret_why)
{
        struct parse p = {.data = data, .end = data + len};
        bool seen[TAG_OTHER] = {0};
        const char *s = data;
        int r = 0;

        *ret = (struct snapper_info){0};
        if (len > SNAPPER_INFO_MAX)
                r = fail(&p, data, "larger than 64 KiB");
        else if (memchr(data, 0, len))
                r = fail(&p, (const char *) memchr(data, 0, len), "a NUL byte");
        while (r >= 0 && (s = memchr(s, '<', (size_t) (p.end - s)))) {
                const char *open = s, *name = s + 1, *gt;
                size_t n;
                int tag;

                if (p.end - name >= 3 && !memcmp(name, "!--", 3)) {
                        const char *c = memmem(name, (size_t) (p.end - name), "-->", 3);

                        if (!c) {
                                r = fail(&p, open, "an unterminated comment");
                                break;
                        }
                        s = c + 3;
                        continue;
                }
                gt = memchr(name, '>', (size_t) (p.end - name));
                if (!gt) {
                        r = fail(&p, open, "an unterminated tag");
                        break;
                }
                n = strspn(name, "abcdefghijklmnopqrstuvwxyz_");
                if (name + n > gt)
                        n = (size_t) (gt - name);
                for (tag = 0; tag < TAG_OTHER; tag++)
                        if (name + n == gt && n == strlen(tag_names[tag]) &&
                            !memcmp(name, tag_names[tag], n))
                                break;
                s = gt + 1;
                if (tag == TAG_OTHER)
                        continue;
                if (seen[tag]) {
                        r = fail(&p, open, "an element given twice");
                        break;
                }
                seen[tag] = true;
                const char *e = memchr(s, '<', (size_t) (p.end - s));
                size_t cl = strlen(tag_names[tag]);
                _cleanup_free_ char *text = NULL;

                if (!e || (size_t) (p.end - e) < cl + 3 || e[1] != '/' ||
                    memcmp(e + 2, tag_names[tag], cl) || e[2 + cl] != '>') {
                        r = fail(&p, open, "an element not closed right after its text");
                        break;
                }
                r = text_of(&p, s, e, tag == TAG_DESCRIPTION ? SNAPPER_DESC_MAX : 64, &text);
                if (r < 0)
                        break;
                if (tag == TAG_DESCRIPTION) {
                        ret->description = text;
                        text = NULL;
                } else {
                        r = value_set(&p, ret, tag, open, text);
                        if (r < 0)
                                break;
                }
                s = e + cl + 3;
        }
        if (r >= 0 && !seen[TAG_NUM])
                r = fail(&p, p.end, "no <num>");
        if (r >= 0 && !seen[TAG_DATE])
                r = fail(&p, p.end, "no <date>");
        if (r >= 0 && !ret->description && !(ret->description = strdup("")))
                r = -ENOMEM;
        if (r < 0) {
                unsigned line = 1;

                snapper_info_done(ret);
                if (r == -EINVAL) {
                        for (const char *c = data; p.at && c < p.at; c++)
                                line += *c == '\n';
                        *ret_line = line;
                        *ret_why = p.why;
                }
                return r;
        }
        return 0;
}

int snapper_info_cmp(const void *a, const void *b)
{
        const struct snapper_info *x = a, *y = b;
        int c = strcmp(y->date, x->date);

        if (c)
                return c;
        return x->num < y->num ? 1 : x->num > y->num ? -1 : 0;
}

/* ---- the snapshots of a system ---- */

#include "uki.h"

struct snap {
        struct snapper_info info;
        char *dir;  /* "N" */
        bool plain; /* no info.xml: the snapshot subvolume itself */
};

/* A value of a shell-syntax file (os-release, /etc/default/grub) in the snapshot, or NULL. */
static int snap_file_value(const struct import_fs *fs, const char *spec, const char *path,
                           const char *key, char **ret)
{
        _cleanup_free_ char *data = NULL, *text = NULL;
        size_t len = 0;

        *ret = NULL;
        if (fs->read(fs->userdata, spec, path, SNAPPER_INFO_MAX, &data, &len) < 0)
                return 0;
        text = strndup(data, len);
        if (!text)
                return -ENOMEM;
        return uki_osrel_get(text, key, ret);
}

static bool ends_with(const char *s, const char *suffix)
{
        size_t a = strlen(s), b = strlen(suffix);

        return a >= b && streq(s + a - b, suffix);
}

static bool kernel_name(const char *n)
{
        static const char *const prefixes[] = {"vmlinuz-", "vmlinux-", "Image-", "bzImage-"};

        for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
                if (startswith(n, prefixes[i]) && n[strlen(prefixes[i])] && !ends_with(n, ".old"))
                        return true;
        return false;
}

/* The newest kernel of the snapshot's /boot (its version in *ret_version) and its initrd. */
static int snap_kernel(const struct import_fs *fs, const char *spec, char **ret_kernel,
                       char **ret_initrd)
{
        _cleanup_strv_ char **names = NULL;
        const char *best = NULL;

        *ret_kernel = *ret_initrd = NULL;
        if (fs->list(fs->userdata, spec, "/boot", &names) < 0)
                return 0;
        strv_foreach (n, names) {
                _cleanup_free_ char *p = NULL;

                if (!kernel_name(n) || (best && util_natcmp(n, best) <= 0))
                        continue;
                p = util_asprintf("/boot/%s", n);
                if (!p)
                        return -ENOMEM;
                if (fs->stat(fs->userdata, spec, p, NULL) == 1)
                        best = n;
        }
        if (!best)
                return 0;
        const char *v = strchr(best, '-') + 1;
        const char *const initrds[] = {"initrd-%s", "initrd.img-%s", "initramfs-%s.img",
                                       "initrd-%s.img"};

        *ret_kernel = util_asprintf("/boot/%s", best);
        if (!*ret_kernel)
                return -ENOMEM;
        for (size_t i = 0; i < ARRAY_SIZE(initrds); i++) {
                _cleanup_free_ char *n = NULL, *p = NULL;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
                n = util_asprintf(initrds[i], v);
#pragma GCC diagnostic pop
                p = n ? util_asprintf("/boot/%s", n) : NULL;
                if (!p)
                        return -ENOMEM;
                if (fs->stat(fs->userdata, spec, p, NULL) == 1) {
                        *ret_initrd = p;
                        p = NULL;
                        break;
                }
        }
        return 1;
}

/* The entry of one snapshot; 0 when it has no kernel of its own. */
static int snap_entry(const struct import_fs *fs, const char *snapshots_subvol,
                      const struct snap *s, const char *root_uuid, struct import_result *res)
{
        _cleanup_free_ char *subvol = NULL, *spec = NULL, *kernel = NULL, *initrd = NULL;
        _cleanup_free_ char *name = NULL, *ver = NULL, *args = NULL, *args_default = NULL;
        _cleanup_free_ char *system = NULL, *info = NULL;
        struct import_entry *e;
        int r;

        subvol = util_asprintf("%s/%s/snapshot", snapshots_subvol, s->dir);
        if (!subvol)
                return -ENOMEM;
        spec = import_spec_join(NULL, subvol, NULL);
        if (!spec)
                return errno == EINVAL ? 0 : -ENOMEM;
        r = snap_kernel(fs, spec, &kernel, &initrd);
        if (r <= 0)
                return r;
        /* openSUSE's title: the system's NAME VERSION (os-release of the snapshot) */
        if ((r = snap_file_value(fs, spec, "/etc/os-release", "PRETTY_NAME", &name)) < 0 ||
            (!name &&
             (r = snap_file_value(fs, spec, "/usr/lib/os-release", "PRETTY_NAME", &name)) < 0) ||
            (r = snap_file_value(fs, spec, "/etc/default/grub", "GRUB_CMDLINE_LINUX", &args)) < 0 ||
            (r = snap_file_value(fs, spec, "/etc/default/grub", "GRUB_CMDLINE_LINUX_DEFAULT",
                                 &args_default)) < 0)
                return r;
        system = strdup(name ? name : "Linux");
        info = isempty(s->info.description) ? util_asprintf("%s", s->info.date)
               : !*s->info.date             ? strdup(s->info.description)
                                : util_asprintf("%s, %s", s->info.date, s->info.description);
        e = import_result_add(res);
        if (!system || !info || !e)
                return -ENOMEM;
        /* a snapshot with neither date nor description: no parentheses */
        e->title = *info ? util_asprintf("%s — snapshot %u (%s)", system, s->info.num, info)
                         : util_asprintf("%s — snapshot %u", system, s->info.num);
        e->submenu = calloc(2, sizeof(char *));
        if (!e->title || !e->submenu || !(e->submenu[0] = util_asprintf("Snapshots (%s)", system)))
                return -ENOMEM;
        e->config = util_asprintf("/%s/%s/%s", snapshots_subvol, s->dir,
                                  s->plain ? "snapshot" : "info.xml");
        /* as openSUSE's GRUB: its grub.cfg's root= and options, rootflags=subvol= of the
         * snapshot (grub2-snapper-plugin's extra_cmdline) */
        e->cmdline = util_asprintf(
                "%s%s%s%s%s%s%srootflags=subvol=%s", root_uuid ? "root=UUID=" : "",
                root_uuid ? root_uuid : "", root_uuid ? " " : "", args ? args : "", args ? " " : "",
                args_default ? args_default : "", args_default ? " " : "", subvol);
        if (!e->config || !e->cmdline)
                return -ENOMEM;
        if (import_file_set(&e->kernel, spec, kernel) < 0 ||
            (initrd && import_entry_add_initrd(e, spec, initrd) < 0))
                return -ENOMEM;
        return 1;
}

/* A snapshot directory N without info.xml but with a snapshot subvolume (snapper's info.xml
 * lost, or a snapshot made by hand in snapper's layout): listed by its number, dated by the
 * subvolume's creation time when the backend knows it (probe "btrfs_otime"). 1 when it is one,
 * 0 when not, -ENOMEM. */
static int plain_snapshot(const struct import_fs *fs, const char *spec,
                          const char *snapshots_subvol, const char *d, struct snap *ret)
{
        _cleanup_free_ char *path = util_asprintf("/%s/snapshot", d), *subvol = NULL, *sspec = NULL,
                            *date = NULL;

        if (!path)
                return -ENOMEM;
        if (fs->stat(fs->userdata, spec, path, NULL) != 2)
                return 0;
        subvol = util_asprintf("%s/%s/snapshot", snapshots_subvol, d);
        if (!subvol)
                return -ENOMEM;
        sspec = import_spec_join(NULL, subvol, NULL);
        if (!sspec)
                return errno == EINVAL ? 0 : -ENOMEM;
        date = fs->probe ? fs->probe(fs->userdata, sspec, "btrfs_otime") : NULL;
        *ret = (struct snap){.info.num = (unsigned) strtoul(d, NULL, 10), .plain = true};
        if (date && date_ok(date))
                memcpy(ret->info.date, date, 20);
        ret->info.description = strdup("");
        ret->dir = strdup(d);
        if (!ret->info.description || !ret->dir) {
                snapper_info_done(&ret->info);
                free(ret->dir);
                ret->dir = NULL;
                return -ENOMEM;
        }
        return 1;
}

int snapper_import(const struct import_fs *fs, const char *snapshots_subvol,
                   struct import_result *ret)
{
        _cleanup_free_ char *spec = NULL, *uuid = NULL;
        _cleanup_strv_ char **names = NULL;
        struct snap *snaps = NULL;
        size_t n = 0, listed = 0;
        int r = 0;

        spec = import_spec_join(NULL, snapshots_subvol, NULL);
        if (!spec)
                return errno == EINVAL ? 0 : -ENOMEM;
        if (fs->list(fs->userdata, spec, "/", &names) < 0)
                return 0;
        snaps = calloc(strv_length(names) + 1, sizeof(*snaps));
        if (!snaps)
                return -ENOMEM;
        strv_foreach (d, names) {
                _cleanup_free_ char *path = NULL, *data = NULL;
                const char *why = NULL;
                unsigned line = 0;
                size_t len = 0;
                uint64_t size = 0;

                if (!snap_number(d))
                        continue;
                if (n >= SNAPPER_CANDIDATE_MAX) {
                        r = diag_add(&ret->diags, fs->dev, snapshots_subvol, 0,
                                     "more than %u snapshots: the others are not read",
                                     SNAPPER_CANDIDATE_MAX);
                        break;
                }
                path = util_asprintf("/%s/info.xml", d);
                if (!path) {
                        r = -ENOMEM;
                        break;
                }
                /* info.xml in the snapshots' subvolume, named from the top level in diagnostics */
                if (fs->stat(fs->userdata, spec, path, &size) != 1) {
                        r = plain_snapshot(fs, spec, snapshots_subvol, d, &snaps[n]);
                        if (r < 0)
                                break;
                        n += r;
                        continue;
                }
                _cleanup_free_ char *where = util_asprintf("/%s/%s/info.xml", snapshots_subvol, d);
                if (!where) {
                        r = -ENOMEM;
                        break;
                }
                if (size > SNAPPER_INFO_MAX) {
                        r = diag_add(&ret->diags, fs->dev, where, 0,
                                     "larger than 64 KiB: not read");
                        if (r < 0)
                                break;
                        continue;
                }
                r = fs->read(fs->userdata, spec, path, SNAPPER_INFO_MAX, &data, &len);
                if (r == -ENOMEM)
                        break;
                if (r < 0) {
                        r = diag_add(&ret->diags, fs->dev, where, 0, "cannot read: %s",
                                     strerror(-r));
                        if (r < 0)
                                break;
                        continue;
                }
                r = snapper_info_parse(data, len, &snaps[n].info, &line, &why);
                if (r == -EINVAL) {
                        r = diag_add(&ret->diags, fs->dev, where, line, "%s", why);
                        if (r < 0)
                                break;
                        continue;
                }
                if (r < 0)
                        break;
                if (!(snaps[n].dir = strdup(d))) {
                        snapper_info_done(&snaps[n].info);
                        r = -ENOMEM;
                        break;
                }
                n++;
        }
        if (r >= 0) {
                qsort(snaps, n, sizeof(*snaps), snapper_info_cmp);
                uuid = fs->probe ? fs->probe(fs->userdata, NULL, "fs_uuid") : NULL;
                for (size_t i = 0; i < n && listed < SNAPPER_LIST_MAX && r >= 0; i++) {
                        r = snap_entry(fs, snapshots_subvol, &snaps[i], uuid, ret);
                        listed += r > 0;
                }
        }
        for (size_t i = 0; i < n; i++) {
                snapper_info_done(&snaps[i].info);
                free(snaps[i].dir);
        }
        free(snaps);
        return r < 0 ? r : 0;
}
