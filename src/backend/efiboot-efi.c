/* SPDX-License-Identifier: GPL-2.0-or-later */
/* BootNext and OsIndications on this machine (see efiboot-efi.h). */
#include "efiboot-efi.h"

#include <dirent.h>

#include "../core/log.h"
#include "../core/util.h"
#include "mok-efi.h"

/* efivarfs files: 4 bytes of attributes, then the payload. */
#define ATTR_LEN 4

static char *var_path(const char *efivars, const char *name)
{
        return util_asprintf("%s/%s-" EFIBOOT_GLOBAL_GUID, efivars, name);
}

struct existing {
        struct efiboot_existing *items;
        char **data; /* what items point into (attributes first) */
        size_t n, cap;
};

static void existing_done(struct existing *e)
{
        for (size_t i = 0; i < e->n; i++)
                free(e->data[i]);
        free(e->items);
        free(e->data);
}

/* Every Boot#### variable of efivars; one that cannot be read is kept empty (it matches nothing
 * but its number stays used). */
static int read_existing(const char *efivars, struct existing *ret)
{
        DIR *d = opendir(efivars);
        struct dirent *de;

        if (!d)
                return -errno;
        while ((de = readdir(d))) {
                int num = efiboot_name_number(de->d_name);
                _cleanup_free_ char *path = NULL;
                char *data = NULL;
                size_t len = 0;

                if (num < 0)
                        continue;
                if (ret->n == ret->cap) {
                        size_t cap = ret->cap ? 2 * ret->cap : 16;
                        void *a = realloc(ret->items, cap * sizeof(*ret->items));
                        if (!a)
                                goto oom;
                        ret->items = a;
                        a = realloc(ret->data, cap * sizeof(*ret->data));
                        if (!a)
                                goto oom;
                        ret->data = a;
                        ret->cap = cap;
                }
                path = util_asprintf("%s/%s", efivars, de->d_name);
                if (!path)
                        goto oom;
                if (util_read_file(path, EFIBOOT_OPTION_MAX + ATTR_LEN, &data, &len) < 0 ||
                    len < ATTR_LEN) {
                        free(data);
                        data = NULL;
                        len = ATTR_LEN;
                }
                ret->data[ret->n] = data;
                ret->items[ret->n] = (struct efiboot_existing){
                        .number = (uint16_t) num,
                        .data = data ? (const uint8_t *) data + ATTR_LEN : (const uint8_t *) "",
                        .len = len - ATTR_LEN,
                };
                ret->n++;
        }
        closedir(d);
        return 0;
oom:
        closedir(d);
        return -ENOMEM;
}

static int fail(char **ret_error, int r, char *msg)
{
        *ret_error = msg;
        return r;
}

int efiboot_efi_boot_next(const char *efivars, const struct efiboot_option *target, bool dry_run,
                          char ***ret_lines, char **ret_error)
{
        _cleanup_free_ char *next_path = var_path(efivars, "BootNext"), *opt_path = NULL;
        _cleanup_free_ uint8_t *payload = NULL;
        _cleanup_strv_ char **lines = NULL;
        struct existing ex = {0};
        uint8_t next[2];
        size_t payload_len = 0;
        char name[9], text[EFIBOOT_TEXT_MAX];
        int num, r;

        *ret_error = NULL;
        if (!next_path)
                return -ENOMEM;
        r = read_existing(efivars, &ex);
        if (r == -ENOMEM) {
                existing_done(&ex);
                return r;
        }
        if (r < 0)
                return fail(ret_error, r,
                            util_asprintf("%s: %s (this machine did not start through UEFI)",
                                          efivars, strerror(-r)));
        num = efiboot_find(ex.items, ex.n, target);
        bool create = num < 0;
        if (create) {
                num = efiboot_free_number(ex.items, ex.n);
                r = num < 0 ? num : efiboot_encode(target, &payload, &payload_len);
        }
        existing_done(&ex);
        if (r < 0)
                return fail(ret_error, r,
                            util_asprintf("cannot make a boot option for %s: %s", target->path,
                                          strerror(-r)));
        snprintf(name, sizeof(name), "Boot%04X", (unsigned) (uint16_t) num);
        opt_path = var_path(efivars, name);
        if (!opt_path)
                return -ENOMEM;
        efiboot_bootnext((uint16_t) num, next);
        efiboot_option_text(target, text, sizeof(text));
        if ((create &&
             strv_consume(&lines, util_asprintf("%s: new option \"%s\" %s, attributes ACTIVE, "
                                                "not added to BootOrder (%zu bytes)",
                                                opt_path, target->description, text,
                                                payload_len + ATTR_LEN)) < 0) ||
            strv_consume(&lines, util_asprintf("%s: %s (%s)", next_path, name,
                                               create ? "the new option" : "an existing option")) <
                    0)
                return -ENOMEM;
        if (!dry_run) {
                if (create) {
                        r = mok_efi_write_var(opt_path, payload, payload_len);
                        if (r < 0)
                                return fail(ret_error, r,
                                            util_asprintf("cannot write %s: %s", opt_path,
                                                          strerror(-r)));
                }
                r = mok_efi_write_var(next_path, next, sizeof(next));
                if (r < 0)
                        return fail(ret_error, r,
                                    util_asprintf("cannot write %s: %s", next_path, strerror(-r)));
                log_info("firmware: BootNext=%s (%s)", name, target->path);
        }
        if (ret_lines) {
                *ret_lines = lines;
                lines = NULL;
        }
        return 0;
}

int efiboot_efi_firmware_setup(const char *efivars, bool dry_run, char ***ret_lines,
                               char **ret_error)
{
        _cleanup_free_ char *sup_path = var_path(efivars, "OsIndicationsSupported"),
                            *ind_path = var_path(efivars, "OsIndications"), *sup = NULL,
                            *cur = NULL;
        _cleanup_strv_ char **lines = NULL;
        size_t sup_len = 0, cur_len = 0;
        uint8_t out[8];
        int r;

        *ret_error = NULL;
        if (!sup_path || !ind_path)
                return -ENOMEM;
        r = util_read_file(sup_path, 64, &sup, &sup_len);
        if (r < 0 || sup_len != ATTR_LEN + 8)
                return fail(ret_error, r < 0 ? r : -EINVAL,
                            util_asprintf("%s: %s (this firmware cannot be asked for its setup)",
                                          sup_path, r < 0 ? strerror(-r) : "malformed"));
        r = util_read_file(ind_path, 64, &cur, &cur_len);
        bool have_cur = r >= 0 && cur_len == ATTR_LEN + 8;
        r = efiboot_os_indications((uint8_t *) sup + ATTR_LEN, 8,
                                   have_cur ? (uint8_t *) cur + ATTR_LEN : NULL, have_cur ? 8 : 0,
                                   out);
        if (r < 0)
                return fail(ret_error, r,
                            strdup(r == -EOPNOTSUPP
                                           ? "this firmware does not offer booting to its setup"
                                           : "OsIndications cannot be read"));
        unsigned long long v = 0;
        for (int i = 7; i >= 0; i--)
                v = v << 8 | out[i];
        if (strv_consume(&lines, util_asprintf("%s: 0x%016llx (BOOT_TO_FW_UI set)", ind_path, v)) <
            0)
                return -ENOMEM;
        if (!dry_run) {
                r = mok_efi_write_var(ind_path, out, sizeof(out));
                if (r < 0)
                        return fail(ret_error, r,
                                    util_asprintf("cannot write %s: %s", ind_path, strerror(-r)));
                log_info("firmware: OsIndications BOOT_TO_FW_UI set");
        }
        if (ret_lines) {
                *ret_lines = lines;
                lines = NULL;
        }
        return 0;
}
