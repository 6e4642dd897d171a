/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include <fcntl.h>

#include "core/log.h"
#include "core/util.h"

TEST(natcmp)
{
        CHECK(util_natcmp("sda2", "sda10") < 0);
        CHECK(util_natcmp("sda10", "sda2") > 0);
        CHECK(util_natcmp("sda", "sda1") < 0);
        CHECK(util_natcmp("nvme0n1p2", "nvme0n1p2") == 0);
        CHECK(util_natcmp("sdb", "sda") > 0);
}

TEST(hexval)
{
        CHECK_INTEQ(util_hexval('0'), 0);
        CHECK_INTEQ(util_hexval('9'), 9);
        CHECK_INTEQ(util_hexval('a'), 10);
        CHECK_INTEQ(util_hexval('F'), 15);
        CHECK_INTEQ(util_hexval('g'), -1);
        CHECK_INTEQ(util_hexval('\0'), -1);
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

TEST(unescape_octal)
{
        char s[] = "/mnt/my\\040disk\\011x\\\\y\\9";

        CHECK_STREQ(util_unescape_octal(s), "/mnt/my disk\tx\\\\y\\9");
}

#include "core/utf8.h"

TEST(utf8)
{
        uint32_t c = 0;
        char b[4];

        CHECK_INTEQ(utf8_decode("a", 1, &c), 1);
        CHECK_INTEQ(c, 'a');
        CHECK_INTEQ(utf8_decode("\xc3\xa9", 2, &c), 2);
        CHECK_INTEQ(c, 0xe9);
        CHECK_INTEQ(utf8_decode("\xe2\x9c\x93", 3, &c), 3);
        CHECK_INTEQ(c, 0x2713);
        CHECK_INTEQ(utf8_decode("\xf0\x9f\x98\x80", 4, &c), 4);
        CHECK_INTEQ(c, 0x1f600);
        CHECK_INTEQ(utf8_decode("\xc3\xa9", 1, &c), 0);         /* truncated */
        CHECK_INTEQ(utf8_decode("\xc0\xaf", 2, &c), 0);         /* over-long */
        CHECK_INTEQ(utf8_decode("\xed\xa0\x80", 3, &c), 0);     /* surrogate */
        CHECK_INTEQ(utf8_decode("\xf4\x90\x80\x80", 4, &c), 0); /* > U+10FFFF */
        CHECK_INTEQ(utf8_decode("\x80", 1, &c), 0);
        CHECK_INTEQ(utf8_encode(0x2713, b), 3);
        CHECK(memcmp(b, "\xe2\x9c\x93", 3) == 0);
        CHECK_INTEQ(utf8_encode(0x1f600, b), 4);
        CHECK(memcmp(b, "\xf0\x9f\x98\x80", 4) == 0);
        CHECK_INTEQ(utf8_encode('x', b), 1);
}

/* Text from disks as shown: control characters '?', invalid UTF-8 U+FFFD, a tab a space. */
TEST(utf8_shown)
{
        char buf[8];
        char *s;

        s = utf8_shown("a\x1b[2Jb\rc\nd\te\x7f\xc2\x9b"
                       "f\xff\xc3\xa9");
        CHECK_STREQ(s, "a?[2Jb?c?d e??f\xef\xbf\xbd\xc3\xa9");
        free(s);
        CHECK(utf8_shown(NULL) == NULL);
        /* Cut at a character boundary. */
        CHECK_INTEQ(utf8_shown_to(buf, sizeof(buf), "abcde\xc3\xa9\xc3\xa9"), 7);
        CHECK_STREQ(buf, "abcde\xc3\xa9");
        CHECK_INTEQ(utf8_shown_to(buf, 7, "abcde\xc3\xa9"), 5);
        CHECK_STREQ(buf, "abcde");

        /* The debug log and the trace: a title can neither drive the console nor forge a line. */
        char path[] = "/tmp/kl-log-XXXXXX";
        int fd = mkstemp(path);
        _cleanup_free_ char *text = NULL;

        REQUIRE(fd >= 0);
        close(fd);
        fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
        REQUIRE(fd >= 0);
        REQUIRE(log_open(path) == 0);
        log_write(LOG_LEVEL_INFO, "test", "booting '%s'", "T\x1b]0;x\x07\r\nfake: line");
        log_trace(fd, "boot start '%s'", "T\nmenu ready");
        log_close();
        REQUIRE(util_read_file(path, 4096, &text, NULL) == 0);
        CHECK(strstr(text, "test: info: booting 'T?]0;x???fake: line'\n") != NULL);
        CHECK(strstr(text, "] boot start 'T?menu ready'\n") != NULL);
        CHECK(strchr(text, '\x1b') == NULL && strchr(text, '\r') == NULL);
        close(fd);
        unlink(path);
}
