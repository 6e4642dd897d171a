/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Device lists, kernel device names and device specs: the pure part of device.h.
 * device_scan_sysfs() is in device-scan.c; GRUB names are resolved in grub-devname.c. */
#include "device.h"

static int copy_str(char **dst, const char *src)
{
        *dst = NULL;
        if (!src)
                return 0;
        *dst = strdup(src);
        return *dst ? 0 : -ENOMEM;
}

void device_done(struct device *d)
{
        free(d->name);
        free(d->path);
        free(d->disk);
        free(d->fstype);
        free(d->uuid);
        free(d->label);
        free(d->partuuid);
        free(d->partlabel);
        free(d->parttype);
        free(d->mountdir);
        free(d->image_fs);
        free(d->image_path);
        free(d->mapname);
        free(d->not_mounted);
        *d = (struct device){0};
}

/* libblkid's types of devices that hold volumes, not a filesystem. */
static const char *const container_types[] = {"crypto_LUKS", "LVM2_member", "linux_raid_member"};

bool device_is_container(const struct device *d)
{
        for (size_t i = 0; d->fstype && i < ARRAY_SIZE(container_types); i++)
                if (streq(d->fstype, container_types[i]))
                        return true;
        return false;
}

void device_list_done(struct device_list *l)
{
        for (size_t i = 0; i < l->n; i++)
                device_done(&l->items[i]);
        free(l->items);
        *l = (struct device_list){0};
}

int device_list_add(struct device_list *l, const struct device *d)
{
        struct device c = {
                .partno = d->partno,
                .major = d->major,
                .minor = d->minor,
                .size = d->size,
                .removable = d->removable,
                .usb = d->usb,
                .locked = d->locked,
                .read_error = d->read_error,
        };
        int r;

        if (copy_str(&c.name, d->name) < 0 || copy_str(&c.path, d->path) < 0 ||
            copy_str(&c.disk, d->disk) < 0 || copy_str(&c.fstype, d->fstype) < 0 ||
            copy_str(&c.uuid, d->uuid) < 0 || copy_str(&c.label, d->label) < 0 ||
            copy_str(&c.partuuid, d->partuuid) < 0 || copy_str(&c.partlabel, d->partlabel) < 0 ||
            copy_str(&c.parttype, d->parttype) < 0 || copy_str(&c.mountdir, d->mountdir) < 0 ||
            copy_str(&c.image_fs, d->image_fs) < 0 || copy_str(&c.image_path, d->image_path) < 0 ||
            copy_str(&c.mapname, d->mapname) < 0 || copy_str(&c.not_mounted, d->not_mounted) < 0) {
                device_done(&c);
                return -ENOMEM;
        }
        r = UTIL_GROW(l->items, l->cap, l->n + 1);
        if (r < 0) {
                device_done(&c);
                return r;
        }
        l->items[l->n++] = c;
        return 0;
}

static int device_cmp(const struct device *a, const struct device *b)
{
        if (a->removable != b->removable)
                return a->removable ? -1 : 1;
        return util_natcmp(a->name ? a->name : "", b->name ? b->name : "");
}

void device_list_sort(struct device_list *l)
{
        struct device *tmp;

        if (l->n < 2)
                return;
        tmp = malloc(l->n * sizeof(*tmp));
        if (!tmp) {
                /* Out of memory: a stable insertion sort in place. */
                for (size_t i = 1; i < l->n; i++) {
                        struct device d = l->items[i];
                        size_t j = i;

                        for (; j > 0 && device_cmp(&l->items[j - 1], &d) > 0; j--)
                                l->items[j] = l->items[j - 1];
                        l->items[j] = d;
                }
                return;
        }
        /* Bottom-up merge sort: stable, O(n log n). */
        for (size_t width = 1; width < l->n; width *= 2) {
                for (size_t lo = 0; lo < l->n; lo += 2 * width) {
                        size_t mid = MIN(lo + width, l->n), hi = MIN(lo + 2 * width, l->n);
                        size_t i = lo, j = mid, k = lo;

                        while (i < mid && j < hi)
                                tmp[k++] = device_cmp(&l->items[j], &l->items[i]) < 0
                                                   ? l->items[j++]
                                                   : l->items[i++];
                        while (i < mid)
                                tmp[k++] = l->items[i++];
                        while (j < hi)
                                tmp[k++] = l->items[j++];
                }
                memcpy(l->items, tmp, l->n * sizeof(*tmp));
        }
        free(tmp);
}

const struct device *device_list_find_name(const struct device_list *l, const char *name)
{
        for (size_t i = 0; i < l->n; i++)
                if (streq_ptr(l->items[i].name, name))
                        return &l->items[i];
        return NULL;
}

static bool is_digit(char ch)
{
        return ch >= '0' && ch <= '9';
}

/* Whole disks whose kernel names end in a number: their partitions get a "p<N>" suffix. */
static bool is_numbered_disk(const char *name)
{
        static const char *const prefixes[] = {
                "sr",   "fd",   "loop",     "md",       "nbd", "ram", "zram",  "mmcblk",
                "nvme", "pmem", "mtdblock", "ubiblock", "rbd", "dm-", "nullb", "vdisk",
        };

        for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
                const char *rest = startswith(name, prefixes[i]);

                if (rest && is_digit(*rest))
                        return true;
        }
        return false;
}

int device_split_name(const char *name, char **ret_disk, unsigned *ret_partno)
{
        size_t len, base;
        unsigned long part = 0;
        char *disk;

        if (isempty(name))
                return -EINVAL;
        len = strlen(name);
        base = len;
        while (base > 0 && is_digit(name[base - 1]))
                base--;

        if (base < len && base > 0 && len - base <= 6) {
                part = strtoul(name + base, NULL, 10);
                if (base >= 2 && name[base - 1] == 'p' && is_digit(name[base - 2])) {
                        /* "nvme0n1p2", "mmcblk0p1", "loop0p1", "md0p1" */
                        base--;
                } else if (is_numbered_disk(name)) {
                        part = 0;
                }
                /* Partitions count from 1: "cciss!c0d0" style names ending in 0 are disks. */
                if (part == 0)
                        base = len;
        } else {
                base = len;
        }

        disk = strndup(name, base);
        if (!disk)
                return -ENOMEM;
        if (ret_disk)
                *ret_disk = disk;
        else
                free(disk);
        if (ret_partno)
                *ret_partno = base == len ? 0 : (unsigned) part;
        return 0;
}

int device_from_fs_option(const char *arg, unsigned index, struct device *ret)
{
        struct device d = {0};
        _cleanup_free_ char *copy = NULL;
        char *s, *field;
        int r = -EINVAL;

        if (isempty(arg))
                return -EINVAL;
        copy = strdup(arg);
        if (!copy)
                return -ENOMEM;
        s = copy;
        field = strsep(&s, ",");
        if (!*field)
                return -EINVAL;
        d.mountdir = strdup(field);
        if (!d.mountdir)
                return -ENOMEM;

        while ((field = strsep(&s, ","))) {
                char *eq = strchr(field, '='), **dst;
                const char *value;

                if (!eq || eq == field || !eq[1])
                        goto fail;
                *eq = 0;
                value = eq + 1;
                if (streq(field, "dev")) {
                        const char *name = startswith(value, "/dev/");

                        if (!name) {
                                if (strchr(value, '/'))
                                        goto fail;
                                name = value;
                        }
                        if (!*name || name[strlen(name) - 1] == '/')
                                goto fail;
                        free(d.path);
                        free(d.name);
                        d.path = util_asprintf("/dev/%s", name);
                        d.name = strdup(strrchr(name, '/') ? strrchr(name, '/') + 1 : name);
                        if (!d.path || !d.name) {
                                r = -ENOMEM;
                                goto fail;
                        }
                        continue;
                }
                if (streq(field, "uuid"))
                        dst = &d.uuid;
                else if (streq(field, "label"))
                        dst = &d.label;
                else if (streq(field, "partuuid"))
                        dst = &d.partuuid;
                else if (streq(field, "partlabel"))
                        dst = &d.partlabel;
                else if (streq(field, "parttype"))
                        dst = &d.parttype;
                else if (streq(field, "type"))
                        dst = &d.fstype;
                else
                        goto fail;
                if (util_strdup_to(dst, value) < 0) {
                        r = -ENOMEM;
                        goto fail;
                }
        }

        d.locked = streq_ptr(d.fstype, "crypto_LUKS");
        if (d.name) {
                r = device_split_name(d.name, &d.disk, &d.partno);
                if (r < 0)
                        goto fail;
        } else {
                /* Not a kernel device: a whole "disk" of its own, never a GRUB (hdN). */
                d.name = util_asprintf("fs%u", index);
                d.path = util_asprintf("fs%u", index);
                d.disk = util_asprintf("fs%u", index);
                if (!d.name || !d.path || !d.disk) {
                        r = -ENOMEM;
                        goto fail;
                }
                d.partno = 0;
        }
        *ret = d;
        return 0;
fail:
        device_done(&d);
        return r;
}

void devspec_done(struct devspec *s)
{
        free(s->value);
        s->value = NULL;
}

/* udev escapes blanks and some other bytes in /dev/disk/by-label names as "\x20". */
static char *udev_unescape(const char *s)
{
        char *r = malloc(strlen(s) + 1), *o = r;

        if (!r)
                return NULL;
        while (*s) {
                if (s[0] == '\\' && s[1] == 'x' && util_hexval(s[2]) >= 0 &&
                    util_hexval(s[3]) >= 0 && (util_hexval(s[2]) || util_hexval(s[3]))) {
                        *o++ = (char) (util_hexval(s[2]) * 16 + util_hexval(s[3]));
                        s += 4;
                } else {
                        *o++ = *s++;
                }
        }
        *o = 0;
        return r;
}

/* Reads a decimal number of at most 6 digits. */
static int parse_num(const char **p, int *ret)
{
        const char *s = *p;
        int v = 0;

        if (!is_digit(*s))
                return -EINVAL;
        for (; is_digit(*s); s++) {
                if (s - *p >= 6)
                        return -EINVAL;
                v = v * 10 + (*s - '0');
        }
        *p = s;
        *ret = v;
        return 0;
}

static int parse_grub(const char *s, bool legacy, struct devspec *ret)
{
        size_t len = strlen(s);
        _cleanup_free_ char *value = NULL;
        const char *q, *rest;
        char type;
        int disk = 0, part = 0, n;

        if (len < 3 || s[0] != '(' || s[len - 1] != ')')
                return -EINVAL;
        value = strndup(s + 1, len - 2);
        if (!value)
                return -ENOMEM;
        q = value;
        if ((rest = startswith_no_case(q, "hd")))
                type = 'h';
        else if ((rest = startswith_no_case(q, "fd")))
                type = 'f';
        else if ((rest = startswith_no_case(q, "cd")))
                type = 'c';
        else
                return -EINVAL;
        q = rest;
        if (is_digit(*q)) {
                if (parse_num(&q, &disk) < 0)
                        return -EINVAL;
        } else if (type != 'c') {
                return -EINVAL;
        }
        if (*q == ',') {
                bool one_based = !legacy;

                if (type != 'h')
                        return -EINVAL;
                q++;
                if ((rest = startswith_no_case(q, "msdos")) ||
                    (rest = startswith_no_case(q, "gpt"))) {
                        q = rest;
                        one_based = true;
                }
                if (parse_num(&q, &n) < 0)
                        return -EINVAL;
                if (one_based) {
                        if (n == 0)
                                return -EINVAL;
                        part = n;
                } else {
                        part = n + 1;
                }
        }
        /* BSD slices "(hd0,0,a)" and anything else left over. */
        if (*q)
                return -EINVAL;
        *ret = (struct devspec){
                .kind = DEVSPEC_GRUB,
                .value = value,
                .grub_type = type,
                .grub_disk = disk,
                .grub_part = part,
        };
        value = NULL;
        return 0;
}

static int make_spec(enum devspec_kind kind, const char *v, size_t n, bool unescape,
                     struct devspec *ret)
{
        char *value;

        if (n == 0)
                return -EINVAL;
        value = strndup(v, n);
        if (!value)
                return -ENOMEM;
        if (unescape) {
                char *u = udev_unescape(value);

                free(value);
                if (!u)
                        return -ENOMEM;
                value = u;
                if (!*value) {
                        free(value);
                        return -EINVAL;
                }
        }
        *ret = (struct devspec){.kind = kind, .value = value};
        return 0;
}

int devspec_parse(const char *s, bool legacy_numbering, struct devspec *ret)
{
        static const struct {
                const char *prefix;
                enum devspec_kind kind;
                bool unescape;
        } by_dirs[] = {
                {"/dev/disk/by-uuid/", DEVSPEC_UUID, false},
                {"/dev/disk/by-label/", DEVSPEC_LABEL, true},
                {"/dev/disk/by-partuuid/", DEVSPEC_PARTUUID, false},
                {"/dev/disk/by-partlabel/", DEVSPEC_PARTLABEL, true},
        };
        static const struct {
                const char *key;
                enum devspec_kind kind;
        } keys[] = {
                {"UUID=", DEVSPEC_UUID},
                {"LABEL=", DEVSPEC_LABEL},
                {"PARTUUID=", DEVSPEC_PARTUUID},
                {"PARTLABEL=", DEVSPEC_PARTLABEL},
        };
        const char *rest;

        if (isempty(s))
                return -EINVAL;
        if (s[0] == '(')
                return parse_grub(s, legacy_numbering, ret);

        for (size_t i = 0; i < ARRAY_SIZE(by_dirs); i++)
                if ((rest = startswith(s, by_dirs[i].prefix))) {
                        if (strchr(rest, '/'))
                                return -EINVAL;
                        return make_spec(by_dirs[i].kind, rest, strlen(rest), by_dirs[i].unescape,
                                         ret);
                }

        for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
                if ((rest = startswith_no_case(s, keys[i].key))) {
                        size_t n = strlen(rest);

                        if (n >= 2 && rest[0] == '"' && rest[n - 1] == '"') {
                                rest++;
                                n -= 2;
                        }
                        return make_spec(keys[i].kind, rest, n, false, ret);
                }

        if ((rest = startswith(s, "/dev/"))) {
                rest += strspn(rest, "/");
                s = rest;
        } else if (s[0] == '/') {
                return -EINVAL;
        }
        /* A kernel name: no blanks, no "KEY=", no ':', no parentheses, no trailing '/'. */
        if (!*s || strpbrk(s, " \t\r\n=:()") || s[strlen(s) - 1] == '/')
                return -EINVAL;
        return make_spec(DEVSPEC_NAME, s, strlen(s), false, ret);
}

const struct device *devspec_resolve(const struct devspec *s, const struct device_list *l)
{
        if (!s->value || !l || s->kind == DEVSPEC_GRUB)
                return NULL;
        for (size_t i = 0; i < l->n; i++) {
                const struct device *d = &l->items[i];
                bool match = false;

                switch (s->kind) {
                case DEVSPEC_NAME:
                        match = streq_ptr(d->name, s->value);
                        break;
                case DEVSPEC_UUID:
                        match = d->uuid && strcaseeq(d->uuid, s->value);
                        break;
                case DEVSPEC_LABEL:
                        match = streq_ptr(d->label, s->value);
                        break;
                case DEVSPEC_PARTUUID:
                        match = d->partuuid && strcaseeq(d->partuuid, s->value);
                        break;
                case DEVSPEC_PARTLABEL:
                        match = streq_ptr(d->partlabel, s->value);
                        break;
                case DEVSPEC_GRUB:
                        break;
                }
                if (match)
                        return d;
        }
        return NULL;
}
