/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer targets for the LUKS hand-over's parsers (issue 12): crypttab(5) text (the stick's
 * /kexec-loader/crypttab, a target initrd's crypttab). Every parsed entry is looked up again by
 * its name and device, and its device spec written back. keycpio: a target initrd's crypttab
 * (untrusted: it comes from a scanned disk) rewritten for the hand-over and the archive built,
 * and the same bytes as a list of member names for the generator detection. initrd: a target's
 * initrd (uncompressed newc archives, then a compressed one through libarchive), its members
 * checked against the bounds and its crypttabs kept. Built and run by
 * tests/fuzz/run
 * (-DFUZZ_TARGET=…). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <string.h>

#include "backend/crypttab.h"
#include "backend/initrd.h"
#include "backend/keycpio.h"

#define FUZZ_CRYPTTAB 40
#define FUZZ_KEYCPIO  41
#define FUZZ_INITRD   42

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
#if FUZZ_TARGET == FUZZ_CRYPTTAB
        struct crypttab t = {0};
        struct diag_list d = {0};

        if (crypttab_parse(&t, (const char *) data, len, "fs", "crypttab", &d) == 0) {
                for (size_t i = 0; i < t.n; i++) {
                        const struct crypttab_entry *e = &t.items[i];
                        char *spec = crypttab_device_spec(e);

                        if (!crypttab_name_valid(e->name) || !crypttab_find_name(&t, e->name) ||
                            !crypttab_find_device(&t, e->dev_kind, e->device))
                                abort();
                        if (e->key_kind != CRYPTTAB_KEY_ASK && !e->key_path)
                                abort();
                        free(spec);
                }
        }
        crypttab_done(&t);
        diag_list_done(&d);
#elif FUZZ_TARGET == FUZZ_KEYCPIO
        static const char uuid[] = "2505567a-9e27-4efe-a4d5-15ad146c258b";
        const char *names[64];
        size_t n = 0;
        char *text = strndup((const char *) data, len);
        struct keycpio c = {0};

        for (enum keycpio_gen g = KEYCPIO_GEN_DRACUT; g <= KEYCPIO_GEN_MKINITCPIO_SYSTEMD; g++) {
                char *tab = NULL, *name = NULL;

                if (keycpio_crypttab(g, (const char *) data, len, uuid, &tab, &name) == 0) {
                        /* the volume's entry always names the key file */
                        char *key = keycpio_key_path(g, name);

                        if (!key || !strstr(tab, key))
                                abort();
                        free(key);
                }
                free(tab);
                free(name);
                if (keycpio_build(g, uuid, "k", 1, (const char *) data, len, &c) == 0 &&
                    c.len % KEYCPIO_BLOCK)
                        abort();
                keycpio_done(&c);
        }
        if (text) {
                char *save = NULL;

                for (char *l = strtok_r(text, "\n", &save); l && n < 64;
                     l = strtok_r(NULL, "\n", &save))
                        names[n++] = l;
                (void) keycpio_detect(names, n);
        }
        free(text);
#elif FUZZ_TARGET == FUZZ_INITRD
        static const char *const want[] = {"etc/crypttab", "cryptroot/crypttab"};
        struct initrd_info i = {0};
        const char *why = NULL;
        int r = initrd_scan(data, len, want, 2, &i, &why);

        if ((r < 0) != (why != NULL) || i.n_names > INITRD_MAX_MEMBERS ||
            i.name_bytes > INITRD_MAX_NAME_BYTES)
                abort();
        for (size_t k = 0; k < 2; k++)
                if (i.files[k] && (i.file_len[k] > INITRD_MAX_FILE || i.files[k][i.file_len[k]]))
                        abort();
        (void) keycpio_detect((const char *const *) i.names, i.n_names);
        initrd_info_done(&i);
#endif
        return 0;
}
