/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer targets for the binary parsers of the MOK and TPM features: a shim's .vendor_cert
 * (the input is the PE file; each certificate found is parsed with libcrypto), a LUKS header
 * (the input is the start of the volume) and a firmware boot option (the input is a Boot####
 * payload; what decodes is encoded again and must decode to the same target). Built and run by
 * tests/fuzz/run (-DFUZZ_TARGET=…). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend/efiboot.h"
#include "backend/luks.h"
#include "backend/mok.h"

#define FUZZ_SHIMCERT 7
#define FUZZ_LUKS     8
#define FUZZ_BOOTOPT  11

#if FUZZ_TARGET == FUZZ_SHIMCERT
static int parse_cert(const uint8_t *der, size_t len, void *ud)
{
        struct mok_cert c = {0};
        uint8_t *payload = NULL;
        size_t n;

        (void) ud;
        if (mok_cert_parse(der, len, "fuzz", &c) == 0) {
                if (mok_new_payload(c.der, c.der_len, NULL, 0, &payload, &n) >= 0)
                        (void) mok_siglist_foreach(payload, n, parse_cert, NULL);
                free(payload);
                mok_cert_done(&c);
        }
        return 0;
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
#if FUZZ_TARGET == FUZZ_SHIMCERT
        (void) mok_shim_vendor_certs(data, len, parse_cert, NULL);
        (void) mok_siglist_foreach(data, len, parse_cert, NULL);
#elif FUZZ_TARGET == FUZZ_LUKS
        struct luks_info info;
        size_t hdr;

        if (luks_header_size(data, len, &hdr) == 0)
                (void) luks_parse(data, len, &info);
        /* the JSON reader on any bytes: the input after a fixed binary header */
        if (len < 16384 - LUKS_BIN_HEADER) {
                static uint8_t h[16384];

                memcpy(h, "LUKS\xba\xbe\x00\x02\x00\x00\x00\x00\x00\x00\x40\x00", 16);
                memset(h + LUKS_BIN_HEADER, 0, sizeof(h) - LUKS_BIN_HEADER);
                memcpy(h + LUKS_BIN_HEADER, data, len);
                (void) luks_parse(h, sizeof(h), &info);
        }
        {
                char *text = strndup((const char *) data, len);

                if (text)
                        (void) luks_cmdline_names(text, "5ae178bb-ed75-4d1b-9bcb-ce843ddda150");
                free(text);
        }
#elif FUZZ_TARGET == FUZZ_BOOTOPT
        struct efiboot_option o, back;
        struct efiboot_existing ex = {1, data, len};
        uint8_t *enc = NULL, out[8];
        size_t n;

        if (efiboot_decode(data, len, &o) == 0 && o.path[0] && efiboot_encode(&o, &enc, &n) == 0) {
                if (efiboot_decode(enc, n, &back) != 0 || !efiboot_same_target(&o, &back) ||
                    efiboot_find(&ex, 1, &o) != 1)
                        abort();
                free(enc);
        }
        (void) efiboot_os_indications(data, len < 8 ? len : 8, len >= 16 ? data + 8 : NULL,
                                      len >= 16 ? 8 : 0, out);
#endif
        return 0;
}
