/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include "core/util.h"

TEST(natcmp)
{
        CHECK(util_natcmp("sda2", "sda10") < 0);
        CHECK(util_natcmp("sda10", "sda2") > 0);
        CHECK(util_natcmp("sda", "sda1") < 0);
        CHECK(util_natcmp("nvme0n1p2", "nvme0n1p2") == 0);
        CHECK(util_natcmp("sdb", "sda") > 0);
}

TEST(strv)
{
        _cleanup_strv_ char **l = NULL;
        _cleanup_free_ char *j = NULL;

        CHECK(strv_split_blanks("  a \t bb   c ", &l) == 0);
        CHECK_INTEQ(strv_length(l), 3);
        j = strv_join(l, ",");
        CHECK_STREQ(j, "a,bb,c");
        CHECK(strv_contains(l, "bb"));
        CHECK(!strv_contains(l, "b"));
}

TEST(format_size)
{
        char b[32];

        util_format_size(512, b, sizeof(b));
        CHECK_STREQ(b, "512 B");
        util_format_size(1536, b, sizeof(b));
        CHECK_STREQ(b, "1.5 KiB");
        util_format_size(16ULL * 1024 * 1024 * 1024, b, sizeof(b));
        CHECK_STREQ(b, "16.0 GiB");
}
