/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unified kernel images: the section table, the profiles, the os-release text (see uki.h). */
#include "uki.h"

#include <ctype.h>
#include <errno.h>
#include <sys/stat.h>

#include "../core/util.h"

const char *const uki_part_names[UKI_PART_MAX] = {
        [UKI_LINUX] = ".linux",     [UKI_INITRD] = ".initrd", [UKI_UCODE] = ".ucode",
        [UKI_CMDLINE] = ".cmdline", [UKI_OSREL] = ".osrel",   [UKI_UNAME] = ".uname",
        [UKI_PROFILE] = ".profile",
};

int uki_part_kind(const char *name)
{
        for (size_t i = 0; i < UKI_PART_MAX; i++)
                if (streq(name, uki_part_names[i]))
                        return (int) i;
        return -1;
}

static void profile_done(struct uki_profile *p)
{
        free(p->title);
        free(p->version);
        free(p->sort_key);
        free(p->os_id);
        free(p->cmdline);
        free(p->uname);
        free(p->profile_id);
        free(p->problem);
}

void uki_done(struct uki *u)
{
        for (size_t i = 0; i < u->n_profiles; i++)
                profile_done(&u->profiles[i]);
        free(u->profiles);
        *u = (struct uki){0};
}

const struct uki_profile *uki_find_profile(const struct uki *u, unsigned index)
{
        for (size_t i = 0; i < u->n_profiles; i++)
                if (u->profiles[i].index == index)
                        return &u->profiles[i];
        return NULL;
}

/* One value of os-release syntax (shell-like): "double" quotes with \ escapes, 'single' quotes,
 * or a bare word with \ escapes; trailing blanks of a bare value dropped. */
static char *osrel_value(const char *v, size_t n)
{
        char *out = malloc(n + 1), *w = out;
        const char *end = v + n;

        if (!out)
                return NULL;
        while (v < end) {
                if (*v == '"') {
                        for (v++; v < end && *v != '"'; v++) {
                                if (*v == '\\' && v + 1 < end && strchr("\"\\`$", v[1]))
                                        v++;
                                *w++ = *v;
                        }
                        v += v < end;
                } else if (*v == '\'') {
                        for (v++; v < end && *v != '\''; v++)
                                *w++ = *v;
                        v += v < end;
                } else if (*v == '\\' && v + 1 < end) {
                        *w++ = v[1];
                        v += 2;
                } else if (*v == ' ' || *v == '\t') {
                        const char *s = v;

                        while (s < end && (*s == ' ' || *s == '\t'))
                                s++;
                        if (s == end) /* trailing blanks */
                                break;
                        while (v < s)
                                *w++ = *v++;
                } else
                        *w++ = *v++;
        }
        *w = '\0';
        return out;
}

int uki_osrel_get(const char *text, const char *key, char **ret)
{
        size_t kl = strlen(key);

        *ret = NULL;
        for (const char *p = text; *p;) {
                const char *nl = strchr(p, '\n'), *line = p;
                size_t n = nl ? (size_t) (nl - p) : strlen(p);

                p = nl ? nl + 1 : p + n;
                while (n > 0 && (*line == ' ' || *line == '\t'))
                        line++, n--;
                while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
                        n--;
                if (n <= kl || line[kl] != '=' || strncmp(line, key, kl) != 0)
                        continue;
                free(*ret);
                *ret = osrel_value(line + kl + 1, n - kl - 1);
                if (!*ret)
                        return -ENOMEM;
        }
        if (*ret && !**ret) { /* an empty value is no value */
                free(*ret);
                *ret = NULL;
        }
        return 0;
}

/* Reads a text section (up to the first NUL), at most UKI_TEXT_MAX bytes. */
static int read_text(const struct pefile *pe, const struct uki_part *p, char **ret, char **why)
{
        char *t;
        int r;

        *ret = NULL;
        if (p->size == 0)
                return 0;
        if (p->size > UKI_TEXT_MAX) {
                *why = util_asprintf("is %llu bytes long (at most %u are read)",
                                     (unsigned long long) p->size, UKI_TEXT_MAX);
                return *why ? -EBADMSG : -ENOMEM;
        }
        t = malloc(p->size + 1);
        if (!t)
                return -ENOMEM;
        r = pefile_read(pe, p->offset, t, p->size);
        if (r < 0) {
                free(t);
                return r;
        }
        t[p->size] = '\0';
        *ret = t;
        return 0;
}

/* Control characters become blanks (as systemd-boot's mangle_stub_cmdline()), blanks at both
 * ends go. */
static void trim_text(char *s)
{
        char *start = s, *end;

        for (char *p = s; *p; p++)
                if ((unsigned char) *p < ' ' || *p == 0x7f)
                        *p = ' ';
        while (*start == ' ')
                start++;
        end = start + strlen(start);
        while (end > start && end[-1] == ' ')
                end--;
        memmove(s, start, (size_t) (end - start));
        s[end - start] = '\0';
}

struct range {
        uint64_t start, end;
        size_t index;
};

static int range_cmp(const void *a, const void *b)
{
        const struct range *x = a, *y = b;

        return x->start < y->start ? -1 : x->start > y->start;
}

/* Every section's data inside the file, the sections UKI reads not larger than their data in the
 * file, and no two sections' data overlapping. */
static int check_sections(const struct pefile *pe, const struct pefile_section *s, size_t n,
                          char **why)
{
        _cleanup_free_ struct range *r = calloc(n + 1, sizeof(*r));
        size_t m = 0;

        if (!r)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                uint64_t len = MIN(s[i].virtual_size, s[i].raw_size);

                if (uki_part_kind(s[i].name) >= 0 && s[i].virtual_size > s[i].raw_size) {
                        *why = util_asprintf("section %s (#%zu) is %u bytes long but holds only "
                                             "%u in the file",
                                             s[i].name, i + 1, s[i].virtual_size, s[i].raw_size);
                        return *why ? -EBADMSG : -ENOMEM;
                }
                if (len == 0)
                        continue;
                if (s[i].raw_offset > pe->size || len > pe->size - s[i].raw_offset) {
                        *why = util_asprintf("section %s (#%zu, %llu bytes at %u) lies past the "
                                             "end of the file (%llu bytes)",
                                             s[i].name, i + 1, (unsigned long long) len,
                                             s[i].raw_offset, (unsigned long long) pe->size);
                        return *why ? -EBADMSG : -ENOMEM;
                }
                r[m++] = (struct range){s[i].raw_offset, s[i].raw_offset + len, i};
        }
        qsort(r, m, sizeof(*r), range_cmp);
        for (size_t i = 1; i < m; i++)
                if (r[i].start < r[i - 1].end) {
                        *why = util_asprintf("sections %s (#%zu) and %s (#%zu) overlap in the file",
                                             s[r[i - 1].index].name, r[i - 1].index + 1,
                                             s[r[i].index].name, r[i].index + 1);
                        return *why ? -EBADMSG : -ENOMEM;
                }
        return 0;
}

/* The first section named name in [from, to), or -1. */
static ssize_t find(const struct pefile_section *s, size_t from, size_t to, const char *name)
{
        for (size_t i = from; i < to; i++)
                if (streq(s[i].name, name))
                        return (ssize_t) i;
        return -1;
}

static int set_problem(struct uki_profile *p, const char *fmt, ...) _printf_(2, 3);
static int set_problem(struct uki_profile *p, const char *fmt, ...)
{
        va_list ap;

        if (p->problem)
                return 0;
        va_start(ap, fmt);
        p->problem = util_vasprintf(fmt, ap);
        va_end(ap);
        return p->problem ? 0 : -ENOMEM;
}

/* The texts of a profile: .osrel (title, version, sort key), .profile, .cmdline, .uname. */
static int read_profile_texts(const struct pefile *pe, struct uki_profile *p)
{
        static const char *const name_keys[] = {"PRETTY_NAME", "IMAGE_ID", "NAME", "ID"};
        static const char *const version_keys[] = {"IMAGE_VERSION", "VERSION", "VERSION_ID",
                                                   "BUILD_ID"};
        static const char *const sort_keys[] = {"IMAGE_ID", "ID"};
        _cleanup_free_ char *osrel = NULL, *profile = NULL, *name = NULL, *ptitle = NULL;
        const enum uki_part_kind texts[] = {UKI_OSREL, UKI_PROFILE, UKI_CMDLINE, UKI_UNAME};
        char **dest[] = {&osrel, &profile, &p->cmdline, &p->uname};
        int r;

        for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
                _cleanup_free_ char *why = NULL;

                r = read_text(pe, &p->parts[texts[i]], dest[i], &why);
                if (r == -EBADMSG) {
                        r = set_problem(p, "section %s %s", uki_part_names[texts[i]], why);
                        if (r < 0)
                                return r;
                        p->parts[texts[i]] = (struct uki_part){0};
                } else if (r < 0)
                        return r;
        }
        if (!p->cmdline && !(p->cmdline = strdup("")))
                return -ENOMEM;
        trim_text(p->cmdline);
        if (p->uname) {
                trim_text(p->uname);
                if (!*p->uname) {
                        free(p->uname);
                        p->uname = NULL;
                }
        }
        if (!osrel)
                return set_problem(p, "no .osrel section");
        for (size_t i = 0; i < ARRAY_SIZE(name_keys) && !name; i++)
                if (uki_osrel_get(osrel, name_keys[i], &name) < 0)
                        return -ENOMEM;
        for (size_t i = 0; i < ARRAY_SIZE(version_keys) && !p->version; i++)
                if (uki_osrel_get(osrel, version_keys[i], &p->version) < 0)
                        return -ENOMEM;
        for (size_t i = 0; i < ARRAY_SIZE(sort_keys) && !p->sort_key; i++)
                if (uki_osrel_get(osrel, sort_keys[i], &p->sort_key) < 0)
                        return -ENOMEM;
        if (uki_osrel_get(osrel, "ID", &p->os_id) < 0)
                return -ENOMEM;
        if (profile && (uki_osrel_get(profile, "ID", &p->profile_id) < 0 ||
                        uki_osrel_get(profile, "TITLE", &ptitle) < 0))
                return -ENOMEM;
        if (!name)
                return set_problem(p, "its .osrel has no PRETTY_NAME, IMAGE_ID, NAME or ID");
        /* systemd's boot_entry_load_unified(): the profile's TITLE, else its ID, else @N. */
        if (ptitle || p->profile_id)
                p->title = util_asprintf("%s (%s)", name, ptitle ? ptitle : p->profile_id);
        else if (p->index > 0)
                p->title = util_asprintf("%s (@%u)", name, p->index);
        else
                p->title = strdup(name);
        return p->title ? 0 : -ENOMEM;
}

int uki_read(pefile_read_fn read, void *userdata, uint64_t size, struct uki *ret, char **ret_why)
{
        _cleanup_free_ struct pefile_section *s = NULL;
        _cleanup_free_ size_t *starts = NULL; /* index of each .profile section */
        size_t n = 0, n_profiles = 0, n_all, base_end;
        struct pefile pe;
        int r;

        *ret = (struct uki){0};
        *ret_why = NULL;
        r = pefile_open(read, userdata, size, &pe, ret_why);
        if (r == -ENOEXEC)
                return -EBADMSG;
        if (r < 0)
                return r;
        r = pefile_sections(&pe, &s, &n, ret_why);
        if (r < 0)
                return r;
        r = check_sections(&pe, s, n, ret_why);
        if (r < 0)
                return r;
        starts = calloc(n + 1, sizeof(*starts));
        if (!starts)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                if (streq(s[i].name, ".profile"))
                        starts[n_profiles++] = i;
        base_end = n_profiles > 0 ? starts[0] : n;
        ret->multi = n_profiles > 0;
        n_all = n_profiles;
        ret->n_skipped = n_profiles > UKI_PROFILES_MAX ? n_profiles - UKI_PROFILES_MAX : 0;
        n_profiles = MIN(n_profiles, (size_t) UKI_PROFILES_MAX);
        ret->profiles = calloc(MAX(n_profiles, (size_t) 1), sizeof(*ret->profiles));
        if (!ret->profiles)
                return -ENOMEM;
        for (size_t k = 0; k < MAX(n_profiles, (size_t) 1); k++) {
                struct uki_profile *p = &ret->profiles[ret->n_profiles++];
                size_t from = ret->multi ? starts[k] : n;
                size_t to = ret->multi ? (k + 1 < n_all ? starts[k + 1] : n) : n;

                p->index = (unsigned) k;
                for (size_t kind = 0; kind < UKI_PART_MAX; kind++) {
                        /* The profile's own section first, else the base's; a section of size 0
                         * masks the base's one. */
                        ssize_t i = find(s, from, to, uki_part_names[kind]);

                        if (i < 0)
                                i = find(s, 0, base_end, uki_part_names[kind]);
                        if (i < 0 || s[i].virtual_size == 0)
                                continue;
                        p->parts[kind] = (struct uki_part){s[i].raw_offset, s[i].virtual_size};
                }
                r = read_profile_texts(&pe, p);
                if (r < 0)
                        goto fail;
                if (p->parts[UKI_LINUX].size == 0) {
                        r = set_problem(p, "no .linux section: an EFI program, not a unified "
                                           "kernel image");
                        if (r < 0)
                                goto fail;
                }
        }
        return 0;
fail:
        uki_done(ret);
        return r;
}

int uki_read_fd(int fd, struct uki *ret, char **ret_why)
{
        struct stat st;

        *ret = (struct uki){0};
        *ret_why = NULL;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EINVAL;
        return uki_read(pefile_fd_read, &fd, (uint64_t) st.st_size, ret, ret_why);
}
