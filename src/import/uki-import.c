/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Boot Loader Specification type #2 entries: the unified kernel images in /EFI/Linux, one entry
 * per profile, ordered and titled as systemd-boot does (boot_entry_compare(),
 * generate_boot_entry_titles()); and the images BLS type #1 entries name with `efi` or `uki`. */
#define LOG_MODULE "uki"

#include <ctype.h>

#include "import.h"
#include "uki.h"

#include "../core/fsread.h"
#include "../core/log.h"

#define UKI_MAX_FILES 1024

struct uki_item {
        char *id;         /* file name without boot counting, lower case (+ "@profile") */
        char *id_base;    /* the same without the profile */
        char *path;       /* /EFI/Linux/NAME.efi */
        char *show;       /* the title shown (made unique) */
        unsigned profile; /* @N */
        const struct uki_profile *p;
};

/* systemd's boot_filename_extract_tries(): "name+LEFT[-DONE].efi" is "name.efi". */
static char *strip_tries(const char *name)
{
        const char *dot = strrchr(name, '.'), *plus = NULL, *q;
        char *id;

        if (!dot)
                dot = name + strlen(name);
        for (const char *p = name; p < dot; p++)
                if (*p == '+')
                        plus = p;
        if (plus) {
                q = plus + 1;
                if (!isdigit((unsigned char) *q))
                        plus = NULL;
                while (plus && isdigit((unsigned char) *q))
                        q++;
                if (plus && *q == '-') {
                        q++;
                        if (!isdigit((unsigned char) *q))
                                plus = NULL;
                        while (plus && isdigit((unsigned char) *q))
                                q++;
                }
                if (plus && q != dot)
                        plus = NULL;
        }
        id = plus ? util_asprintf("%.*s%s", (int) (plus - name), name, dot) : strdup(name);
        for (char *p = id; p && *p; p++)
                *p = (char) tolower((unsigned char) *p);
        return id;
}

static int cmp_ptr(const char *a, const char *b, bool vers)
{
        if (!a || !b)
                return (a != NULL) - (b != NULL);
        return vers ? strverscmp(a, b) : strcmp(a, b);
}

/* boot_entry_compare() of systemd: sort key, then version newest first, then id newest first,
 * then profile. Entries without a sort key last. */
static int item_cmp(const void *pa, const void *pb)
{
        const struct uki_item *a = pa, *b = pb;
        int r;

        if (!a->p->sort_key != !b->p->sort_key)
                return a->p->sort_key ? -1 : 1;
        if (a->p->sort_key) {
                r = strcmp(a->p->sort_key, b->p->sort_key);
                if (r == 0)
                        r = -cmp_ptr(a->p->version, b->p->version, true);
                if (r != 0)
                        return r;
        }
        r = -strverscmp(a->id_base, b->id_base);
        if (r != 0)
                return r;
        return a->profile < b->profile ? -1 : a->profile > b->profile;
}

static bool all_unique(struct uki_item *it, size_t n, bool *unique)
{
        bool all = true;

        for (size_t i = 0; i < n; i++)
                for (size_t k = i + 1; k < n; k++)
                        if (streq(it[i].show, it[k].show))
                                all = unique[i] = unique[k] = false;
        return all;
}

/* generate_boot_entry_titles(): titles seen twice get the version, then the id, appended. */
static int unique_titles(struct uki_item *it, size_t n)
{
        _cleanup_free_ bool *unique = calloc(n + 1, sizeof(bool));

        if (!unique)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                unique[i] = true;
                if (!(it[i].show = strdup(it[i].p->title)))
                        return -ENOMEM;
        }
        for (int round = 0; round < 2 && !all_unique(it, n, unique); round++)
                for (size_t i = 0; i < n; i++) {
                        const char *add = round == 0 ? it[i].p->version : it[i].id;
                        char *t;

                        if (unique[i])
                                continue;
                        unique[i] = true;
                        if (!add)
                                continue;
                        t = util_asprintf("%s (%s)", it[i].show, add);
                        if (!t)
                                return -ENOMEM;
                        free(it[i].show);
                        it[i].show = t;
                }
        return 0;
}

/* Sets kernel and initrds of e to the sections of profile p of the image at path. */
static int set_files(struct import_entry *e, const char *dev, const char *path,
                     const struct uki_profile *p)
{
        static const enum uki_part_kind initrds[] = {UKI_UCODE, UKI_INITRD};

        if (import_file_set(&e->kernel, dev, path) < 0 ||
            util_strdup_to(&e->kernel.section, uki_part_names[UKI_LINUX]) < 0)
                return -ENOMEM;
        /* The microcode first: the kernel looks for it in the first archive only. */
        for (size_t i = 0; i < ARRAY_SIZE(initrds); i++)
                if (p->parts[initrds[i]].size > 0 &&
                    import_entry_add_initrd_section(e, dev, path, uki_part_names[initrds[i]]) < 0)
                        return -ENOMEM;
        e->uki = true;
        e->uki_profile = p->index;
        return util_strdup_to(&e->version, p->version);
}

/* Opens and reads one image: 1 read, 0 not an image (a diagnostic says why unless quiet), or
 * -ENOMEM. */
static int read_image(const struct import_fs *fs, struct import_result *res, const char *path,
                      bool quiet, struct uki *ret, char **ret_why)
{
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *why = NULL;
        int r;

        *ret_why = NULL;
        fd = fs->open ? fs->open(fs->userdata, NULL, path) : -EOPNOTSUPP;
        if (fd == -EISDIR && quiet)
                return 0;
        if (fd < 0) {
                *ret_why = util_asprintf("cannot read: %s", fsread_strerror(fd));
                return *ret_why ? 0 : -ENOMEM;
        }
        r = uki_read_fd(fd, ret, &why);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                *ret_why = why ? util_asprintf("not a unified kernel image: %s", why)
                               : util_asprintf("cannot read: %s", strerror(-r));
                return *ret_why ? 0 : -ENOMEM;
        }
        if (ret->n_skipped > 0 && diag_add(&res->diags, fs->dev, path, 0,
                                           "more than %d profiles: %zu more are not listed",
                                           UKI_PROFILES_MAX, ret->n_skipped) < 0)
                return -ENOMEM;
        return 1;
}

static int emit(const struct import_fs *fs, struct import_result *res, const struct uki_item *it)
{
        struct import_entry *e = import_result_add(res);

        if (!e)
                return -ENOMEM;
        if (util_strdup_to(&e->title, it->show) < 0 || util_strdup_to(&e->id, it->id) < 0 ||
            util_strdup_to(&e->config, it->path) < 0 ||
            util_strdup_to(&e->cmdline, it->p->cmdline) < 0 ||
            set_files(e, fs->dev, it->path, it->p) < 0)
                return -ENOMEM;
        if (it->p->problem)
                return util_strdup_to(&e->not_bootable, it->p->problem);
        return 0;
}

static bool efi_name(const char *name)
{
        size_t l = strlen(name);

        return name[0] != '.' && l > 4 && strcaseeq(name + l - 4, ".efi");
}

int uki_import(const struct import_fs *fs, const char *dir, struct import_result *ret)
{
        _cleanup_strv_ char **names = NULL;
        struct uki *imgs = NULL;
        struct uki_item *items = NULL;
        size_t n_imgs = 0, n = 0, cap = 0;
        int r;

        r = fs->list(fs->userdata, fs->dev, dir, &names);
        if (r < 0)
                return r == -ENOMEM ? r
                                    : diag_add(&ret->diags, fs->dev, dir, 0, "cannot list: %s",
                                               fsread_strerror(r));
        imgs = calloc(MIN(strv_length(names), (size_t) UKI_MAX_FILES) + 1, sizeof(*imgs));
        if (!imgs)
                return -ENOMEM;
        strv_foreach (name, names) {
                _cleanup_free_ char *path = NULL, *why = NULL, *id = NULL;
                struct uki *u = &imgs[n_imgs];

                if (!efi_name(name))
                        continue;
                if (n_imgs >= UKI_MAX_FILES) {
                        r = diag_add(&ret->diags, fs->dev, dir, 0,
                                     "more than %d images: the rest skipped", UKI_MAX_FILES);
                        if (r < 0)
                                goto out;
                        break;
                }
                path = util_asprintf("%s/%s", dir, name);
                id = strip_tries(name);
                if (!path || !id) {
                        r = -ENOMEM;
                        goto out;
                }
                r = read_image(fs, ret, path, true, u, &why);
                if (r < 0)
                        goto out;
                if (r == 0) {
                        if (why && diag_add(&ret->diags, fs->dev, path, 0, "%s", why) < 0) {
                                r = -ENOMEM;
                                goto out;
                        }
                        continue;
                }
                n_imgs++;
                for (size_t k = 0; k < u->n_profiles; k++) {
                        const struct uki_profile *p = &u->profiles[k];
                        struct uki_item *it;

                        if (!p->title) { /* systemd-boot lists no image without a name */
                                _cleanup_free_ char *at =
                                        u->multi ? util_asprintf("profile @%u: ", p->index)
                                                 : strdup("");

                                if (!at) {
                                        r = -ENOMEM;
                                        goto out;
                                }
                                r = diag_add(&ret->diags, fs->dev, path, 0, "%snot an entry: %s",
                                             at, p->problem ? p->problem : "no title");
                                if (r < 0)
                                        goto out;
                                continue;
                        }
                        r = UTIL_GROW(items, cap, n + 1);
                        if (r < 0)
                                goto out;
                        it = &items[n++];
                        *it = (struct uki_item){.profile = p->index, .p = p};
                        it->path = strdup(path);
                        it->id_base = strdup(id);
                        if (p->profile_id)
                                it->id = util_asprintf("%s@%s", id, p->profile_id);
                        else if (p->index > 0)
                                it->id = util_asprintf("%s@%u", id, p->index);
                        else
                                it->id = strdup(id);
                        if (!it->path || !it->id_base || !it->id) {
                                r = -ENOMEM;
                                goto out;
                        }
                }
        }
        if (n > 1)
                qsort(items, n, sizeof(*items), item_cmp);
        r = unique_titles(items, n);
        for (size_t i = 0; i < n && r >= 0; i++)
                r = emit(fs, ret, &items[i]);
out:
        for (size_t i = 0; i < n; i++) {
                free(items[i].id);
                free(items[i].id_base);
                free(items[i].path);
                free(items[i].show);
        }
        free(items);
        for (size_t i = 0; i < n_imgs; i++)
                uki_done(&imgs[i]);
        free(imgs);
        return r < 0 ? -ENOMEM : 0;
}

int uki_import_bls(const struct import_fs *fs, const char *path, unsigned profile,
                   struct import_entry *e, char **ret_why)
{
        _cleanup_(uki_done) struct uki u = {0};
        const struct uki_profile *p;
        struct import_result scratch = {.timeout = -1, .default_index = -1};
        struct import_file *own;
        size_t n_own;
        int r;

        *ret_why = NULL;
        r = read_image(fs, &scratch, path, false, &u, ret_why);
        diag_list_done(&scratch.diags);
        if (r <= 0)
                return r;
        p = uki_find_profile(&u, profile);
        if (!p) {
                *ret_why = util_asprintf("the unified kernel image has no profile @%u", profile);
                return *ret_why ? 0 : -ENOMEM;
        }
        if (p->parts[UKI_LINUX].size == 0) {
                *ret_why = strdup(p->problem ? p->problem : "no .linux section");
                return *ret_why ? 0 : -ENOMEM;
        }
        /* The image's initrds first, then the entry's own (as systemd-stub adds the initrds the
         * boot loader passes after its own). */
        own = e->initrds;
        n_own = e->n_initrds;
        e->initrds = NULL;
        e->n_initrds = 0;
        r = set_files(e, fs->dev, path, p);
        for (size_t i = 0; i < n_own; i++) {
                if (r >= 0)
                        r = import_entry_add_initrd(e, own[i].dev, own[i].path);
                free(own[i].dev);
                free(own[i].path);
                free(own[i].section);
        }
        free(own);
        if (r < 0)
                return r;
        /* The entry's options replace the image's .cmdline (as systemd-stub does when Secure
         * Boot is off); without options, the image's own. */
        if (isempty(e->cmdline)) {
                free(e->cmdline);
                if (!(e->cmdline = strdup(p->cmdline)))
                        return -ENOMEM;
        }
        return 1;
}
