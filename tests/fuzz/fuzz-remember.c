/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for the stick's remembered choice (issue 13, backend/remember.c): the file
 * /kexec-loader/last as a user (or anything that writes the stick) may have left it. Whatever
 * the input: remember_parse() never fails but for memory, keeps every value within its bounds
 * (REMEMBER_VALUE_MAX bytes, REMEMBER_SUBMENU_MAX levels); what it read, written back with
 * remember_format(), is one line per key with no raw control character, reads back without a
 * diagnostic into the same identities, and formats to the same text again. Built and run by
 * tests/fuzz/run. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/remember.h"
#include "core/util.h"

/* abort() naming the invariant that failed */
#define check(ok) \
        ((ok) ? (void) 0 : (fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #ok), abort()))

static void check_bounds(const struct remember_id *id)
{
        const char *const values[] = {id->fs, id->config, id->iso, id->title};

        for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
                check(!values[i] || strlen(values[i]) <= REMEMBER_VALUE_MAX);
        check(strv_length(id->submenu) <= REMEMBER_SUBMENU_MAX);
        for (size_t i = 0; id->submenu && id->submenu[i]; i++)
                check(strlen(id->submenu[i]) <= REMEMBER_VALUE_MAX);
}

/* The same identity, or none on both sides (a file naming no title names no entry, whatever
 * else it holds: remember_id_equal() is false for it). */
static bool same_id(const struct remember_id *a, const struct remember_id *b)
{
        return (!a->title && !b->title) || remember_id_equal(a, b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
        struct remember_file f, back;
        struct diag_list d = {0}, d2 = {0};
        char *text, *again;

        if (remember_parse((const char *) data, len, "last", &f, &d) < 0) {
                diag_list_done(&d);
                return 0;
        }
        check_bounds(&f.last);
        check_bounds(&f.once);
        text = remember_format(&f);
        check(text);
        for (const char *s = text; *s; s++)
                check(*s == '\n' || (unsigned char) *s >= 0x20);
        check(remember_parse(text, strlen(text), "last", &back, &d2) == 0);
        check(d2.n == 0);
        check(same_id(&back.last, &f.last));
        check(same_id(&back.once, &f.once));
        again = remember_format(&back);
        check(again && strcmp(again, text) == 0);
        free(again);
        free(text);
        remember_file_done(&back);
        remember_file_done(&f);
        diag_list_done(&d2);
        diag_list_done(&d);
        return 0;
}
