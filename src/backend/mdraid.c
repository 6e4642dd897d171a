/* SPDX-License-Identifier: GPL-2.0-or-later */
/* md RAID arrays: members, grouping, mdadm's examine output and command line (pure). */
#include "mdraid.h"

#include <ctype.h>
#include <string.h>

/* Printable ASCII, 1..MDRAID_VALUE_MAX bytes: what a value from a superblock must be to be used
 * in a comparison, a log line or a command line. */
static bool value_ok(const char *s)
{
        size_t n = 0;

        if (isempty(s))
                return false;
        for (; s[n]; n++)
                if (n >= MDRAID_VALUE_MAX || s[n] <= ' ' || s[n] > '~')
                        return false;
        return true;
}

static void array_done(struct mdraid_array *a)
{
        free(a->uuid);
        free(a->name);
        strv_free(a->members);
        free(a->level);
        free(a->kname);
        *a = (struct mdraid_array){0};
}

void mdraid_list_done(struct mdraid_list *l)
{
        for (size_t i = 0; i < l->n; i++)
                array_done(&l->items[i]);
        free(l->items);
        *l = (struct mdraid_list){0};
}

bool mdraid_is_member(const struct device *d)
{
        return streq_ptr(d->fstype, MDRAID_FSTYPE);
}

struct mdraid_array *mdraid_list_find_uuid(const struct mdraid_list *l, const char *uuid)
{
        for (size_t i = 0; uuid && i < l->n; i++)
                if (strcaseeq(l->items[i].uuid, uuid))
                        return &l->items[i];
        return NULL;
}

struct mdraid_array *mdraid_list_find_kname(const struct mdraid_list *l, const char *kname)
{
        for (size_t i = 0; kname && i < l->n; i++)
                if (streq_ptr(l->items[i].kname, kname))
                        return &l->items[i];
        return NULL;
}

int mdraid_group(const struct device_list *l, const bool *skip, struct mdraid_list *ret)
{
        struct mdraid_list g = {0};

        for (size_t i = 0; i < l->n; i++) {
                const struct device *d = &l->items[i];
                struct mdraid_array *a;

                if ((skip && skip[i]) || !mdraid_is_member(d) || !value_ok(d->uuid))
                        continue;
                a = mdraid_list_find_uuid(&g, d->uuid);
                if (!a) {
                        if (g.n >= MDRAID_ARRAYS_MAX)
                                continue;
                        if (UTIL_GROW(g.items, g.cap, g.n + 1) < 0)
                                goto oom;
                        a = &g.items[g.n++];
                        *a = (struct mdraid_array){0};
                        if (util_strdup_to(&a->uuid, d->uuid) < 0 ||
                            (d->label && util_strdup_to(&a->name, d->label) < 0))
                                goto oom;
                }
                if (strv_length(a->members) < MDRAID_MEMBERS_MAX &&
                    strv_push(&a->members, d->path) < 0)
                        goto oom;
        }
        *ret = g;
        return 0;
oom:
        mdraid_list_done(&g);
        return -ENOMEM;
}

size_t mdraid_list_members_assembled(const struct mdraid_list *l)
{
        size_t n = 0;

        for (size_t i = 0; i < l->n; i++)
                if (l->items[i].kname)
                        n += strv_length(l->items[i].members);
        return n;
}

void mdraid_list_remove(struct mdraid_list *l, size_t i)
{
        if (i >= l->n)
                return;
        array_done(&l->items[i]);
        memmove(&l->items[i], &l->items[i + 1], (l->n - i - 1) * sizeof(*l->items));
        l->n--;
}

int mdraid_list_take(struct mdraid_list *dst, struct mdraid_list *src)
{
        if (src->n && UTIL_GROW(dst->items, dst->cap, dst->n + src->n) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < src->n; i++)
                dst->items[dst->n++] = src->items[i];
        free(src->items);
        *src = (struct mdraid_list){0};
        return 0;
}

int mdraid_examine_value(const char *text, const char *key, char **ret)
{
        const char *p = text, *end = text + strnlen(text, 64 * 1024);
        size_t k = strlen(key);

        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t) (end - p));
                size_t n = (size_t) ((nl ? nl : end) - p);

                if (n > k && !memcmp(p, key, k) && p[k] == '=') {
                        _cleanup_free_ char *v = strndup(p + k + 1, n - k - 1);

                        if (!v)
                                return -ENOMEM;
                        if (!value_ok(v))
                                return -EINVAL;
                        *ret = v;
                        v = NULL;
                        return 0;
                }
                p += n + 1;
        }
        return -ENOENT;
}

unsigned mdraid_examine_devices(const char *text)
{
        _cleanup_free_ char *v = NULL;
        unsigned long n;
        char *end;

        if (mdraid_examine_value(text, "MD_DEVICES", &v) < 0 || !isdigit((unsigned char) v[0]))
                return 0;
        errno = 0;
        n = strtoul(v, &end, 10);
        return errno || *end || n < 1 || n > 1920 ? 0 : (unsigned) n;
}

const char *mdraid_personality(const char *level)
{
        /* mdadm's names of the levels (its "pers" table) and the aliases md's modules carry */
        static const struct {
                const char *level, *alias;
        } table[] = {
                {"linear", "md-linear"}, {"raid0", "md-raid0"},         {"raid1", "md-raid1"},
                {"raid4", "md-raid4"},   {"raid5", "md-raid5"},         {"raid6", "md-raid6"},
                {"raid10", "md-raid10"}, {"multipath", "md-multipath"},
        };

        for (size_t i = 0; level && i < ARRAY_SIZE(table); i++)
                if (streq(level, table[i].level))
                        return table[i].alias;
        return NULL;
}

char **mdraid_assemble_argv(const char *mdadm, const char *dev, char *const *members)
{
        static const char *const opts[] = {"--assemble", "--readonly", "--run", "--config=none"};
        char **argv = NULL;

        if (strv_push(&argv, mdadm) < 0)
                return NULL;
        for (size_t i = 0; i < ARRAY_SIZE(opts); i++)
                if (strv_push(&argv, opts[i]) < 0)
                        goto oom;
        if (strv_push(&argv, dev) < 0)
                goto oom;
        strv_foreach (m, members)
                if (strv_push(&argv, m) < 0)
                        goto oom;
        return argv;
oom:
        strv_free(argv);
        return NULL;
}

void mdraid_list_to_json(const struct mdraid_list *l, const char *devroot, struct json *j)
{
        json_key(j, "arrays");
        json_begin_array(j);
        for (size_t i = 0; i < l->n; i++) {
                const struct mdraid_array *a = &l->items[i];
                _cleanup_free_ char *dev =
                        a->kname ? util_asprintf("%s/%s", devroot, a->kname) : NULL;

                json_begin_object(j);
                json_key(j, "device");
                json_string(j, dev ? dev : a->kname);
                json_field_string(j, "name", a->name);
                json_field_string(j, "uuid", a->uuid);
                json_field_string(j, "level", a->level);
                json_field_strv(j, "members", a->members);
                json_field_bool(j, "assembled", a->kname != NULL);
                json_field_bool(j, "read_only", a->kname != NULL);
                json_field_string(j, "why", a->why);
                json_end_object(j);
        }
        json_end_array(j);
}
