/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GRUB device names: device.map, the BIOS-like order of whole disks, "(hdN,M)" resolution.
 * Pure: works on a struct device_list. */
#include "grub-devname.h"

#include <limits.h>

static bool is_digit(char ch)
{
        return ch >= '0' && ch <= '9';
}

static bool all_digits(const char *s)
{
        return *s && !s[strspn(s, "0123456789")];
}

void grub_devmap_done(struct grub_devmap *m)
{
        for (size_t i = 0; i < m->n; i++) {
                free(m->items[i].grub);
                free(m->items[i].device);
        }
        free(m->items);
        *m = (struct grub_devmap){0};
}

static int devmap_set(struct grub_devmap *m, const char *grub, size_t grub_len, const char *device,
                      size_t device_len)
{
        struct grub_devmap_entry *e = NULL;
        char *g, *d;
        int r;

        for (size_t i = 0; i < m->n; i++)
                if (strlen(m->items[i].grub) == grub_len &&
                    strncasecmp(m->items[i].grub, grub, grub_len) == 0) {
                        e = &m->items[i];
                        break;
                }
        g = strndup(grub, grub_len);
        d = strndup(device, device_len);
        if (!g || !d) {
                free(g);
                free(d);
                return -ENOMEM;
        }
        if (!e) {
                r = UTIL_GROW(m->items, m->cap, m->n + 1);
                if (r < 0) {
                        free(g);
                        free(d);
                        return r;
                }
                e = &m->items[m->n++];
        } else {
                free(e->grub);
                free(e->device);
        }
        *e = (struct grub_devmap_entry){.grub = g, .device = d};
        return 0;
}

int grub_devmap_parse(const char *text, const struct config_source *src, struct grub_devmap *ret,
                      struct diag_list *diags)
{
        struct grub_devmap m = {0};
        unsigned lineno = 0;
        int r;

        while (text && *text) {
                const char *eol = strchr(text, '\n');
                size_t len = eol ? (size_t) (eol - text) : strlen(text);
                const char *s = text, *end = text + len, *grub, *dev;
                size_t grub_len, dev_len;

                text = eol ? eol + 1 : end;
                if (lineno < UINT_MAX)
                        lineno++;
                while (s < end && strchr(" \t\r", *s))
                        s++;
                while (end > s && strchr(" \t\r", end[-1]))
                        end--;
                if (s == end || *s == '#')
                        continue;

                /* "(name)" blanks "device" [blanks "#comment"] */
                if (*s != '(')
                        goto malformed;
                grub = ++s;
                while (s < end && *s != ')' && *s != '(' && *s != ' ' && *s != '\t')
                        s++;
                if (s == end || *s != ')' || s == grub)
                        goto malformed;
                grub_len = (size_t) (s - grub);
                s++;
                if (s == end || (*s != ' ' && *s != '\t'))
                        goto malformed;
                while (s < end && (*s == ' ' || *s == '\t'))
                        s++;
                dev = s;
                while (s < end && *s != ' ' && *s != '\t')
                        s++;
                dev_len = (size_t) (s - dev);
                while (s < end && (*s == ' ' || *s == '\t'))
                        s++;
                if (dev_len == 0 || *dev == '#' || (s < end && *s != '#'))
                        goto malformed;
                r = devmap_set(&m, grub, grub_len, dev, dev_len);
                if (r < 0)
                        goto fail;
                continue;
        malformed:
                if (diags) {
                        r = diag_add(diags, src ? src->fs : NULL, src ? src->file : NULL, lineno,
                                     "malformed line, expected '(hd0) /dev/sda'");
                        if (r < 0)
                                goto fail;
                }
        }
        *ret = m;
        return 0;
fail:
        grub_devmap_done(&m);
        return r;
}

/* The device mapped to a GRUB name (without parentheses); later entries win. */
static const char *devmap_lookup(const struct grub_devmap *map, const char *grub)
{
        if (!map)
                return NULL;
        for (size_t i = map->n; i > 0; i--)
                if (map->items[i - 1].grub && strcaseeq(map->items[i - 1].grub, grub))
                        return map->items[i - 1].device;
        return NULL;
}

/* "/dev/sda" -> "sda"; other paths cannot be named by this list. */
static const char *kernel_name_of(const char *path)
{
        const char *n = startswith(path, "/dev/");

        if (n)
                return *n ? n : NULL;
        return strchr(path, '/') ? NULL : path;
}

static const char *disk_of(const struct device *d)
{
        return d->disk ? d->disk : d->name;
}

static bool disk_known(const struct device_list *l, const char *disk)
{
        for (size_t i = 0; i < l->n; i++)
                if (streq_ptr(l->items[i].name, disk) || streq_ptr(disk_of(&l->items[i]), disk))
                        return true;
        return false;
}

/* Partition part of disk, or the disk itself for part 0. */
static const struct device *find_part(const struct device_list *l, const char *disk, int part)
{
        if (part == 0)
                return device_list_find_name(l, disk);
        for (size_t i = 0; i < l->n; i++) {
                const struct device *d = &l->items[i];

                if (d->partno == (unsigned) part && streq_ptr(disk_of(d), disk) &&
                    !streq_ptr(d->name, disk))
                        return d;
        }
        return NULL;
}

enum disk_class {
        CLASS_HD,
        CLASS_SD,
        CLASS_VD,
        CLASS_XVD,
        CLASS_NVME,
        CLASS_MMC,
};

static bool all_lower(const char *s)
{
        if (!*s)
                return false;
        for (; *s; s++)
                if (*s < 'a' || *s > 'z')
                        return false;
        return true;
}

/* The class of a whole-disk name, or -1 for disks that are no (hdN). */
static int disk_class(const char *name)
{
        const char *r;

        if ((r = startswith(name, "hd")) && all_lower(r))
                return CLASS_HD;
        if ((r = startswith(name, "sd")) && all_lower(r))
                return CLASS_SD;
        if ((r = startswith(name, "vd")) && all_lower(r))
                return CLASS_VD;
        if ((r = startswith(name, "xvd")) && all_lower(r))
                return CLASS_XVD;
        if ((r = startswith(name, "mmcblk")) && all_digits(r))
                return CLASS_MMC;
        if ((r = startswith(name, "nvme")) && is_digit(*r)) {
                while (is_digit(*r))
                        r++;
                if (*r == 'n' && all_digits(r + 1))
                        return CLASS_NVME;
        }
        return -1;
}

struct disk_slot {
        const char *name;
        int rank;
        bool removable;
        bool letters; /* "sdz" < "sdaa": shorter names first */
};

static int slot_cmp(const void *x, const void *y)
{
        const struct disk_slot *a = x, *b = y;
        size_t la, lb;

        if (a->removable != b->removable)
                return a->removable ? 1 : -1;
        if (a->rank != b->rank)
                return a->rank < b->rank ? -1 : 1;
        if (a->letters) {
                la = strlen(a->name);
                lb = strlen(b->name);
                if (la != lb)
                        return la < lb ? -1 : 1;
        }
        return util_natcmp(a->name, b->name);
}

/* The N-th whole disk in BIOS-like order, from the disks named by any device in l (fixtures may
 * list partitions only). */
static const char *bios_disk(const struct device_list *l, int n, enum config_grub_first order)
{
        _cleanup_free_ struct disk_slot *slots = NULL;
        size_t n_slots = 0;
        const char *found = NULL;

        if (n < 0 || l->n == 0)
                return NULL;
        slots = calloc(l->n, sizeof(*slots));
        if (!slots)
                return NULL;
        for (size_t i = 0; i < l->n; i++) {
                const struct device *d = &l->items[i];
                const char *disk = disk_of(d);
                size_t j;
                int cls;

                if (!disk)
                        continue;
                cls = disk_class(disk);
                if (cls < 0)
                        continue;
                for (j = 0; j < n_slots; j++)
                        if (streq(slots[j].name, disk))
                                break;
                if (j == n_slots) {
                        int rank = cls;

                        if (order == CONFIG_GRUB_FIRST_SDX && (cls == CLASS_HD || cls == CLASS_SD))
                                rank = cls == CLASS_HD ? CLASS_SD : CLASS_HD;
                        slots[n_slots++] = (struct disk_slot){
                                .name = disk,
                                .rank = rank,
                                .letters = cls <= CLASS_XVD,
                        };
                }
                if (d->removable)
                        slots[j].removable = true;
        }
        qsort(slots, n_slots, sizeof(*slots), slot_cmp);
        if ((size_t) n < n_slots)
                found = slots[n].name;
        return found;
}

/* The N-th CD drive (sr*) in natural order. */
static const struct device *nth_cdrom(const struct device_list *l, int n)
{
        const struct device *best = NULL;
        const char *after = NULL;

        /* Repeated minimum search: n is small and the list short. */
        for (int k = 0; k <= n; k++) {
                best = NULL;
                for (size_t i = 0; i < l->n; i++) {
                        const struct device *d = &l->items[i];
                        const char *r = d->name ? startswith(d->name, "sr") : NULL;

                        if (!r || !all_digits(r))
                                continue;
                        if (after && util_natcmp(d->name, after) <= 0)
                                continue;
                        if (!best || util_natcmp(d->name, best->name) < 0)
                                best = d;
                }
                if (!best)
                        return NULL;
                after = best->name;
        }
        return best;
}

static const struct device *resolve_grub(const struct devspec *s, const struct device_list *l,
                                         const struct grub_devmap *map,
                                         enum config_grub_first order)
{
        const struct device *d;
        const char *mapped, *name, *disk;
        char key[32];

        /* The whole name in device.map. */
        mapped = devmap_lookup(map, s->value);
        if (mapped && (name = kernel_name_of(mapped)) && (d = device_list_find_name(l, name)))
                return d;

        /* The disk in device.map, when that disk exists here. */
        if (s->grub_type != 'c') {
                snprintf(key, sizeof(key), "%cd%d", s->grub_type, s->grub_disk);
                mapped = devmap_lookup(map, key);
                if (mapped && (name = kernel_name_of(mapped)) && disk_known(l, name))
                        return find_part(l, name, s->grub_part);
        }

        switch (s->grub_type) {
        case 'f':
                if (s->grub_part != 0)
                        return NULL;
                snprintf(key, sizeof(key), "fd%d", s->grub_disk);
                return device_list_find_name(l, key);
        case 'c':
                return s->grub_part == 0 ? nth_cdrom(l, s->grub_disk) : NULL;
        case 'h':
                disk = bios_disk(l, s->grub_disk, order);
                return disk ? find_part(l, disk, s->grub_part) : NULL;
        default:
                return NULL;
        }
}

const struct device *grub_devname_resolve(const struct devspec *s, const struct device_list *l,
                                          const struct grub_devmap *map,
                                          enum config_grub_first order)
{
        if (!s->value || !l)
                return NULL;
        if (s->kind == DEVSPEC_GRUB)
                return resolve_grub(s, l, map, order);
        return devspec_resolve(s, l);
}

const struct device *grub_devname_resolve_string(const char *spec, const struct device_list *l,
                                                 const struct grub_devmap *map,
                                                 enum config_grub_first order)
{
        _cleanup_free_ char *device = NULL;
        struct devspec s;
        const struct device *d;

        if (!spec || config_split_fstype(spec, NULL, &device) < 0)
                return NULL;
        if (devspec_parse(device, true, &s) < 0)
                return NULL;
        d = grub_devname_resolve(&s, l, map, order);
        devspec_done(&s);
        return d;
}
