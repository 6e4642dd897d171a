/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for fonts read from scanned disks: GRUB's PF2 files (a theme's *.pf2, a
 * system's unicode.pf2). The input is the file: parsed, then every glyph of its index read and
 * every pixel of it touched. Built and run by tests/fuzz/run (target pf2). */
#include <stddef.h>
#include <stdint.h>

#include "gfx/pf2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
        struct pf2_font f;
        unsigned sum = 0;

        if (pf2_parse(data, len, &f) < 0)
                return 0;
        for (uint32_t i = 0; i < f.n_chars && i < 4096; i++) {
                struct pf2_glyph g;

                if (pf2_glyph(&f, pf2_char_code(&f, i), &g) < 0)
                        continue;
                for (int y = 0; y < g.height; y++)
                        for (int x = 0; x < g.width; x++)
                                sum += pf2_pixel(&g, x, y);
        }
        (void) pf2_glyph(&f, 0x10ffff, &(struct pf2_glyph){});
        return sum == 0xffffffffu;
}
