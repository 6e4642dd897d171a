/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer targets for the parsers of untrusted input: kexec-loader.conf, grub.cfg, menu.lst,
 * BLS entries, syslinux.cfg, PE images' signatures (PKCS#7) and /proc/keys. One file, one target
 * per build (-DFUZZ_TARGET=…): the input is the configuration file; every other file read through
 * the import_fs is absent, so the fuzzers do no I/O. Built and run by tests/fuzz/run. */
#include <stddef.h>
#include <stdint.h>

#include "backend/config.h"
#include "backend/pesig.h"
#include "import/btrfsboot.h"
#include "import/import.h"
#include "import/snapper.h"
#include "import/uki.h"

#include <sys/mman.h>

#define FUZZ_CONFIG    1
#define FUZZ_GRUB2     2
#define FUZZ_LEGACY    3
#define FUZZ_BLS       4
#define FUZZ_SYSLINUX  5
#define FUZZ_PESIG     6
#define FUZZ_UKI       10
#define FUZZ_SNAPPER   12
#define FUZZ_BTRFSBOOT 13

struct input {
        const uint8_t *data;
        size_t len;
        const char *path;
};

static int mem_read(void *ud, const char *dev, const char *path, size_t max, char **ret,
                    size_t *ret_len)
{
        const struct input *in = ud;
        char *c;

        if (dev || strcmp(path, in->path) != 0)
                return -ENOENT;
        if (in->len > max)
                return -EFBIG;
        c = malloc(in->len + 1);
        if (!c)
                return -ENOMEM;
        memcpy(c, in->data, in->len);
        c[in->len] = 0;
        *ret = c;
        if (ret_len)
                *ret_len = in->len;
        return 0;
}

static int mem_stat(void *ud, const char *dev, const char *path, uint64_t *ret_size)
{
        const struct input *in = ud;

        if (dev || strcmp(path, in->path) != 0)
                return strcmp(path, "/loader/entries") == 0 ? 2 : 0;
        if (ret_size)
                *ret_size = in->len;
        return 1;
}

static int mem_list(void *ud, const char *dev, const char *dir, char ***ret)
{
        char **l = calloc(2, sizeof(char *));

        (void) ud;
        if (!l)
                return -ENOMEM;
        if (!dev && strcmp(dir, "/loader/entries") == 0)
                l[0] = strdup("fuzz.conf");
        if (!dev && strcmp(dir, "/EFI/Linux") == 0)
                l[0] = strdup("fuzz.efi");
        *ret = l;
        return 0;
}

/* The input as a file: a memfd. */
static int mem_open(void *ud, const char *dev, const char *path)
{
        const struct input *in = ud;
        int fd;

        if (dev || strcmp(path, in->path) != 0)
                return -ENOENT;
        fd = memfd_create("fuzz", MFD_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (write(fd, in->data, in->len) != (ssize_t) in->len) {
                close(fd);
                return -EIO;
        }
        return fd;
}

static char *mem_search(void *ud, const char *kind, const char *value)
{
        (void) ud;
        (void) kind;
        (void) value;
        return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
#if FUZZ_TARGET == FUZZ_CONFIG
        struct config_source src = {.fs = "/dev/fuzz", .file = "/kexec-loader.conf"};
        struct diag_list diags = {0};
        struct config c = {0};

        (void) config_parse((const char *) data, len, &src, &c, &diags);
        for (size_t i = 0; i < c.n_entries; i++) {
                char *cl = config_entry_command_line(&c.entries[i]);
                free(cl);
        }
        config_done(&c);
        diag_list_done(&diags);
#elif FUZZ_TARGET == FUZZ_PESIG
        /* The input is a PE image; the same bytes as /proc/keys text are the trusted keys. */
        struct pesig_info info;
        struct pesig_keyset keys = {0};
        char *text = malloc(len + 1);
        int32_t *rings = NULL;
        size_t n_rings = 0;

        if (!text)
                return 0;
        memcpy(text, data, len);
        text[len] = 0;
        (void) pesig_keyset_add_proc_keys(&keys, text, NULL, 0);
        (void) pesig_proc_keyrings(text, ".platform", &rings, &n_rings);
        free(rings);
        free(text);
        if (pesig_parse(data, len, &info) == 0) {
                char *t = pesig_verdict_text(pesig_judge(&info, &keys, NULL), &info);

                free(t);
                (void) pesig_signer_issuer(&info);
                pesig_info_done(&info);
        }
        pesig_keyset_done(&keys);
#elif FUZZ_TARGET == FUZZ_UKI
        /* The input is a unified kernel image: parsed from memory, then listed from /EFI/Linux
         * through a memfd (titles, order, profiles), and read as os-release text. */
        struct uki u;
        char *why = NULL, *v = NULL, *text = malloc(len + 1);
        struct input in = {.data = data, .len = len, .path = "/EFI/Linux/fuzz.efi"};
        struct import_fs fs = {.userdata = &in,
                               .read = mem_read,
                               .stat = mem_stat,
                               .list = mem_list,
                               .search = mem_search,
                               .open = mem_open};
        struct import_result r = {.timeout = -1, .default_index = -1};

        if (uki_read(pefile_mem_read, (void *) data, len, &u, &why) == 0)
                uki_done(&u);
        free(why);
        if (text) {
                memcpy(text, data, len);
                text[len] = 0;
                (void) uki_osrel_get(text, "PRETTY_NAME", &v);
                free(v);
                free(text);
        }
        (void) uki_import(&fs, "/EFI/Linux", &r);
        import_result_done(&r);
#elif FUZZ_TARGET == FUZZ_SNAPPER
        /* The input is a snapper info.xml: what parses has a well-formed date and a bounded
         * description; a failure names a line inside the input. */
        struct snapper_info info;
        unsigned line = 0;
        const char *why = NULL;
        int r = snapper_info_parse((const char *) data, len, &info, &line, &why);

        if (r == 0) {
                if (strlen(info.date) != 19 || strlen(info.description) > SNAPPER_DESC_MAX ||
                    info.num == 0)
                        __builtin_trap();
                snapper_info_done(&info);
        } else if (r == -EINVAL && (line == 0 || line > len + 1 || !why)) {
                __builtin_trap();
        }
#elif FUZZ_TARGET == FUZZ_BTRFSBOOT
        /* The input is a kernel command line (from a scanned config), its first line the
         * subvolume: rootflags=subvol= is added at most once (blanks at the end may go). */
        const uint8_t *nl = memchr(data, '\n', len);
        size_t sl = nl ? (size_t) (nl - data) : 0;
        char *sub = strndup((const char *) data, sl);
        char *cmd = strndup((const char *) data + (nl ? sl + 1 : 0), len - (nl ? sl + 1 : 0));
        char *out = NULL;

        if (sub && cmd && strlen(cmd) > 0 && strlen(sub) == sl &&
            btrfsboot_rootflags(cmd, sub, "7d3a", &out) == 0 && out) {
                char *again = NULL;

                if (!strstr(out, "subvol="))
                        __builtin_trap();
                /* once added, never again */
                if (btrfsboot_rootflags(out, sub, "7d3a", &again) == 0 && again)
                        __builtin_trap();
                free(again);
        }
        free(out);
        free(sub);
        free(cmd);
#else
        static const char *const paths[] = {
                [FUZZ_GRUB2] = "/boot/grub/grub.cfg",
                [FUZZ_LEGACY] = "/boot/grub/menu.lst",
                [FUZZ_BLS] = "/loader/entries/fuzz.conf",
                [FUZZ_SYSLINUX] = "/syslinux.cfg",
        };
        struct input in = {.data = data, .len = len, .path = paths[FUZZ_TARGET]};
        struct import_fs fs = {.userdata = &in,
                               .read = mem_read,
                               .stat = mem_stat,
                               .list = mem_list,
                               .search = mem_search};
        struct import_result r = {.timeout = -1, .default_index = -1};

#if FUZZ_TARGET == FUZZ_GRUB2
        (void) grub2_import(&fs, paths[FUZZ_TARGET], &r);
#elif FUZZ_TARGET == FUZZ_LEGACY
        (void) grub_legacy_import(&fs, paths[FUZZ_TARGET], &r);
#elif FUZZ_TARGET == FUZZ_BLS
        (void) bls_import(&fs, "/loader/entries", &r);
#elif FUZZ_TARGET == FUZZ_SYSLINUX
        (void) syslinux_import(&fs, paths[FUZZ_TARGET], &r);
#endif
        import_result_done(&r);
#endif
        return 0;
}
