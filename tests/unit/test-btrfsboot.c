/* SPDX-License-Identifier: GPL-2.0-or-later */
/* import/btrfsboot.c: rootflags=subvol= for a system whose root is a btrfs subvolume other than
 * the default one, added only where the kernel would otherwise mount the wrong subvolume. */
#include "test.h"

#include "import/btrfsboot.h"

#define UUID "7d3a1b2c-0000-4000-8000-000000000001"

static void expect(bool *test_failed, const char *cmdline, const char *subvol, const char *want)
{
        _cleanup_free_ char *got = NULL;

        CHECK_INTEQ(btrfsboot_rootflags(cmdline, subvol, UUID, &got), 0);
        if (!want)
                CHECK(got == NULL);
        else
                CHECK_STREQ(got, want);
        if (want ? !got || strcmp(got, want) : got != NULL)
                printf("# %s -> %s\n", cmdline, got ? got : "(unchanged)");
}

TEST(added_when_root_is_this_filesystem)
{
        expect(test_failed, "root=UUID=" UUID " ro quiet", "@",
               "root=UUID=" UUID " ro quiet rootflags=subvol=@");
        /* the UUID in another case, and by-uuid */
        expect(test_failed, "root=UUID=7D3A1B2C-0000-4000-8000-000000000001 ro", "@",
               "root=UUID=7D3A1B2C-0000-4000-8000-000000000001 ro rootflags=subvol=@");
        expect(test_failed, "root=/dev/disk/by-uuid/" UUID, "@root",
               "root=/dev/disk/by-uuid/" UUID " rootflags=subvol=@root");
        /* before init's arguments and the installer's "---" */
        expect(test_failed, "root=UUID=" UUID " -- single", "@",
               "root=UUID=" UUID " rootflags=subvol=@ -- single");
        expect(test_failed, "root=UUID=" UUID " --- quiet", "@",
               "root=UUID=" UUID " rootflags=subvol=@ --- quiet");
}

TEST(existing_rootflags_extended)
{
        expect(test_failed, "root=UUID=" UUID " rootflags=compress=zstd ro", "@",
               "root=UUID=" UUID " rootflags=compress=zstd,subvol=@ ro");
        /* the last rootflags= is the kernel's */
        expect(test_failed, "rootflags=noatime root=UUID=" UUID " rootflags=ssd", "@",
               "rootflags=noatime root=UUID=" UUID " rootflags=ssd,subvol=@");
}

TEST(left_alone)
{
        /* a subvolume named already (grub-mkconfig's 10_linux, Fedora's BLS options) */
        expect(test_failed, "root=UUID=" UUID " rootflags=subvol=@ ro", "@", NULL);
        expect(test_failed, "root=UUID=" UUID " rootflags=subvolid=256", "@", NULL);
        expect(test_failed, "root=UUID=" UUID " rootflags=ssd,subvol=/@", "@", NULL);
        /* root= names another filesystem, or none */
        expect(test_failed, "root=UUID=11111111-2222-3333-4444-555555555555 ro", "@", NULL);
        expect(test_failed, "root=/dev/sda2 ro", "@", NULL);
        expect(test_failed, "ro quiet", "@", NULL);
        /* the last root= counts */
        expect(test_failed, "root=UUID=" UUID " root=/dev/sdb1", "@", NULL);
        /* root= after "--" is init's */
        expect(test_failed, "ro -- root=UUID=" UUID, "@", NULL);
        /* an unclosed quote runs to the end (the kernel's parser too): nothing added in it */
        expect(test_failed, "root=UUID=" UUID " \"quoted arg ro --- x", "@", NULL);
        /* a quoted rootflags= is left alone */
        expect(test_failed, "root=UUID=" UUID " rootflags=\"ssd,x y\"", "@", NULL);
        /* a vertical tab is a blank to the kernel */
        expect(test_failed, "root=UUID=" UUID "\v--\vsingle", "@",
               "root=UUID=" UUID " rootflags=subvol=@ --\vsingle");
        /* a closed one is a word */
        expect(test_failed, "root=UUID=" UUID " \"a b\" ro", "@",
               "root=UUID=" UUID " \"a b\" ro rootflags=subvol=@");
        /* names that would not survive the command line */
        expect(test_failed, "root=UUID=" UUID, "my subvol", NULL);
        expect(test_failed, "root=UUID=" UUID, "a,b", NULL);
        expect(test_failed, "root=UUID=" UUID, "a\"b", NULL);
        expect(test_failed, "root=UUID=" UUID, "", NULL);
        {
                char *got = (char *) 1;

                CHECK_INTEQ(btrfsboot_rootflags("root=UUID=" UUID, "@", NULL, &got), 0);
                CHECK(got == NULL);
        }
}
