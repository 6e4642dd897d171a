/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer targets for the LUKS hand-over's parsers (issue 12): crypttab(5) text (the stick's
 * /kexec-loader/crypttab, a target initrd's crypttab). Every parsed entry is looked up again by
 * its name and device, and its device spec written back. Built and run by tests/fuzz/run
 * (-DFUZZ_TARGET=…). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "backend/crypttab.h"

#define FUZZ_CRYPTTAB 40

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
#endif
        return 0;
}
