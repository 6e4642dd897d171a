/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Entries kexec cannot start, booted through the firmware (issue 11): Windows Boot Manager, EFI
 * tools, GRUB's chainloader and fwsetup. On UEFI, choosing one writes BootNext (and a Boot####
 * option for the file when none exists) or OsIndications through efivarfs (efiboot-efi.c), then
 * the machine reboots; nothing is written to any disk. Under BIOS they are not bootable. */
#define LOG_MODULE "firmware"

#include <strings.h>
#include <sys/stat.h>

#include "../core/log.h"
#include "backend.h"
#include "efiboot-efi.h"

#define GLOBAL_VAR(name) name "-" EFIBOOT_GLOBAL_GUID

/* The sysfs whose firmware/efi is this machine's; NULL for --fs runs without --sysfs (fixtures
 * stand for disks, not for the machine's firmware). */
static const char *fw_root(const struct backend *b)
{
        return b->opt.fw_sysroot ? b->opt.fw_sysroot : b->opt.fs_args ? NULL : "/sys";
}

bool backend_uefi(const struct backend *b)
{
        _cleanup_free_ char *p =
                util_asprintf("%s/firmware/efi", b->opt.fw_sysroot ? b->opt.fw_sysroot : "/sys");
        struct stat st;

        return p && stat(p, &st) == 0;
}

char *backend_efivars(const struct backend *b)
{
        return util_asprintf("%s/firmware/efi/efivars",
                             b->opt.fw_sysroot ? b->opt.fw_sysroot : "/sys");
}

/* Whether the firmware offers to start its setup (OsIndicationsSupported: BOOT_TO_FW_UI). */
static bool fw_setup_supported(const struct backend *b)
{
        const char *root = fw_root(b);
        _cleanup_free_ char *p = root ? util_asprintf("%s/firmware/efi/efivars/%s", root,
                                                      GLOBAL_VAR("OsIndicationsSupported"))
                                      : NULL;
        _cleanup_free_ char *data = NULL;
        size_t len = 0;

        /* efivarfs: 4 bytes of attributes, then the UINT64 */
        return p && util_read_file(p, 64, &data, &len) >= 0 && len == 12 &&
               efiboot_fw_ui_supported((const uint8_t *) data + 4, 8);
}

static bool same_efi_target(const struct boot_entry *a, const struct boot_entry *c)
{
        return a->efi.path && c->efi.path && a->efi.device >= 0 && a->efi.device == c->efi.device &&
               strcasecmp(a->efi.path, c->efi.path) == 0;
}

static void drop_entry(struct backend *b, size_t i)
{
        boot_entry_done(&b->entries[i]);
        memmove(&b->entries[i], &b->entries[i + 1], (b->n_entries - i - 1) * sizeof(*b->entries));
        b->n_entries--;
}

void backend_firmware_entries(struct backend *b)
{
        bool uefi = backend_uefi(b), has_setup = false;

        /* An EFI loader found on an ESP that a configuration's chainloader entry (os-prober's
         * "Windows Boot Manager (on /dev/sda1)") already starts is listed once: that entry. */
        for (size_t i = 0; i < b->n_entries;) {
                const struct boot_entry *e = &b->entries[i];
                bool dup = false;

                for (size_t k = 0; !dup && streq_ptr(e->source, "efi") && k < b->n_entries; k++)
                        dup = k != i && !streq_ptr(b->entries[k].source, "efi") &&
                              b->entries[k].action == BOOT_ACTION_EFI_APP &&
                              same_efi_target(e, &b->entries[k]);
                if (dup && !e->is_default) {
                        log_debug("%s on %s: listed by a configuration's entry already",
                                  e->efi.path, backend_ref_fs(b, &e->efi));
                        drop_entry(b, i);
                        continue;
                }
                i++;
        }
        for (size_t i = 0; i < b->n_entries; i++) {
                struct boot_entry *e = &b->entries[i];

                if (e->action == BOOT_ACTION_KEXEC)
                        continue;
                has_setup |= e->action == BOOT_ACTION_FW_SETUP;
                if (!uefi && !e->not_bootable)
                        e->not_bootable = strdup(BACKEND_NEEDS_UEFI);
                /* A live ISO's chainloader (its EFI shell): the firmware reads partitions only. */
                else if ((e->efi.iso || e->efi.subvol) && !e->not_bootable)
                        e->not_bootable =
                                util_asprintf("%s is inside %s: the firmware cannot "
                                              "start it",
                                              e->efi.path, e->efi.iso ? e->efi.iso : e->efi.subvol);
        }
        /* systemd-boot's "Reboot Into Firmware Interface", last. */
        if (uefi && !has_setup && fw_setup_supported(b)) {
                struct boot_entry e = {.config.device = -1, .kernel.device = -1, .efi.device = -1};

                e.action = BOOT_ACTION_FW_SETUP;
                if (!(e.title = strdup(BACKEND_FW_SETUP_TITLE)) ||
                    !(e.submenu = calloc(1, sizeof(char *))) || !(e.source = strdup("firmware")) ||
                    !(e.cmdline = strdup("")) || backend_entries_add(b, &e) < 0)
                        boot_entry_done(&e);
        }
}

/* The HD node of the partition holding the filesystem d: its number, start and size from sysfs
 * (in logical blocks of the disk), its GUID (or MBR signature) from libblkid's PARTUUID. */
static int partition_hd(const struct backend *b, const struct device *d, struct efiboot_hd *ret,
                        char **ret_error)
{
        const char *root = b->opt.fw_sysroot ? b->opt.fw_sysroot : b->opt.sysroot;
        static const char *const attrs[] = {"start", "size"};
        uint64_t v[2], lbs = 512;
        int r;

        if (d->partno == 0 || !d->partuuid) {
                *ret_error = util_asprintf("%s is not a partition with a GPT or MBR entry: the "
                                           "firmware cannot be told where the file is",
                                           d->path);
                return -ENXIO;
        }
        for (size_t i = 0; i < ARRAY_SIZE(attrs); i++) {
                _cleanup_free_ char *p =
                        util_asprintf("%s/class/block/%s/%s", root, d->name, attrs[i]);
                _cleanup_free_ char *line = NULL;
                char *end;

                if (!p)
                        return -ENOMEM;
                r = util_read_line(p, &line);
                if (r < 0) {
                        *ret_error = util_asprintf("cannot read %s: %s", p, strerror(-r));
                        return r;
                }
                errno = 0;
                v[i] = strtoull(line, &end, 10);
                if (errno || end == line || line[0] == '-') {
                        *ret_error = util_asprintf("%s: not a number", p);
                        return -EINVAL;
                }
        }
        {
                _cleanup_free_ char *p = util_asprintf("%s/class/block/%s/queue/logical_block_size",
                                                       root, d->disk ? d->disk : d->name);
                _cleanup_free_ char *line = NULL;
                unsigned long long s;

                if (!p)
                        return -ENOMEM;
                if (util_read_line(p, &line) >= 0 && (s = strtoull(line, NULL, 10)) >= 512 &&
                    s % 512 == 0)
                        lbs = s;
        }
        /* sysfs counts 512-byte sectors; the HD node logical blocks */
        r = efiboot_hd_from_partuuid(d->partuuid, d->partno, v[0] * 512 / lbs, v[1] * 512 / lbs,
                                     ret);
        if (r < 0)
                *ret_error = util_asprintf("%s: PARTUUID %s is neither a GPT GUID nor an MBR one",
                                           d->path, d->partuuid);
        return r;
}

int backend_firmware_prepare(struct backend *b, const struct boot_entry *e, bool dry_run,
                             char ***ret_lines, char **ret_error)
{
        _cleanup_free_ char *efivars = backend_efivars(b);
        struct efiboot_option o = {.attributes = EFIBOOT_LOAD_OPTION_ACTIVE, .has_hd = true};
        const struct device *d;
        int r;

        *ret_error = NULL;
        if (!efivars)
                return -ENOMEM;
        if (!backend_uefi(b)) {
                *ret_error = strdup(BACKEND_NEEDS_UEFI);
                return -EOPNOTSUPP;
        }
        if (e->action == BOOT_ACTION_FW_SETUP)
                return efiboot_efi_firmware_setup(efivars, dry_run, ret_lines, ret_error);
        if (e->action != BOOT_ACTION_EFI_APP || !e->efi.path)
                return -EINVAL;
        if (e->efi.device < 0 || (size_t) e->efi.device >= b->devices.n) {
                *ret_error = util_asprintf("%s is not present", e->efi.spec);
                return -ENODEV;
        }
        d = &b->devices.items[e->efi.device];
        if (e->efi.iso || e->efi.subvol) {
                *ret_error = util_asprintf("%s is inside %s: the firmware cannot start it",
                                           e->efi.path, e->efi.iso ? e->efi.iso : e->efi.subvol);
                return -EINVAL;
        }
        if (d->image_fs) {
                *ret_error = util_asprintf("%s is inside the disk image %s on %s: the firmware "
                                           "cannot start it",
                                           e->efi.path, d->image_path, d->image_fs);
                return -EINVAL;
        }
        r = partition_hd(b, d, &o.hd, ret_error);
        if (r < 0)
                return r;
        if (strlen(e->efi.path) > EFIBOOT_PATH_MAX) {
                *ret_error = strdup("the file's path is too long for a boot option");
                return -ENAMETOOLONG;
        }
        strcpy(o.path, e->efi.path);
        /* The description: the title, cut to what a boot option holds (whole characters). */
        {
                size_t n = 0, chars = 0;

                for (const char *t = e->title; *t && n + 4 < sizeof(o.description); t++) {
                        if (((unsigned char) *t & 0xc0) != 0x80 && ++chars > EFIBOOT_DESC_MAX)
                                break;
                        o.description[n++] = *t;
                }
                o.description[n] = 0;
        }
        r = efiboot_efi_boot_next(efivars, &o, dry_run, ret_lines, ret_error);
        if (r == -EINVAL && !*ret_error)
                *ret_error = strdup("the title or path cannot be written in a boot option");
        return r;
}
