/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel format sniffing, boot_check's sentences, the lockdown file, and boot_load refusing bad
 * requests before any system call. Nothing here loads or executes a kernel. */
#include "test.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>

#include "backend/boot.h"
#include "core/util.h"

/* The test program's scratch directory (test.h). */
static char *const tmpdir = test_scratch;

/* Writes a file of size bytes (zeros) with data at offset; returns its malloc'ed path. */
static char *make_file(const char *name, size_t size, size_t offset, const void *data, size_t len)
{
        _cleanup_free_ unsigned char *buf = calloc(1, size ? size : 1);
        char *path = util_asprintf("%s/%s", tmpdir, name);
        int fd;

        if (!buf || !path)
                abort();
        if (data)
                memcpy(buf + offset, data, len);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || write(fd, buf, size) != (ssize_t) size)
                abort();
        close(fd);
        return path;
}

static void put_le32(unsigned char *p, uint32_t v)
{
        p[0] = (unsigned char) v;
        p[1] = (unsigned char) (v >> 8);
        p[2] = (unsigned char) (v >> 16);
        p[3] = (unsigned char) (v >> 24);
}

static char *make_bzimage(const char *name)
{
        return make_file(name, 8192, 0x202, "HdrS", 4);
}

TEST(format_magic)
{
        static const unsigned char elf[] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
        static const unsigned char gz[] = {0x1f, 0x8b, 0x08};
        static const unsigned char zst[] = {0x28, 0xb5, 0x2f, 0xfd};
        static const unsigned char xz[] = {0xfd, '7', 'z', 'X', 'Z', 0x00};
        _cleanup_free_ char *bz = make_bzimage("bzImage"), *e = make_file("elf", 4096, 0, elf, 7),
                            *pe = make_file("pe", 4096, 0, "MZ", 2),
                            *g = make_file("gz", 100, 0, gz, 3),
                            *z = make_file("zst", 100, 0, zst, 4),
                            *x = make_file("xz", 100, 0, xz, 6),
                            *arm = make_file("Image", 4096, 0x38, "ARM\x64", 4),
                            *empty = make_file("empty", 0, 0, NULL, 0),
                            *missing = util_asprintf("%s/missing", tmpdir);

        CHECK_STREQ(boot_kernel_format(bz), "bzImage");
        CHECK_STREQ(boot_kernel_format(e), "ELF");
        CHECK_STREQ(boot_kernel_format(pe), "PE/EFI");
        CHECK_STREQ(boot_kernel_format(g), "gzip");
        CHECK_STREQ(boot_kernel_format(z), "zstd");
        CHECK_STREQ(boot_kernel_format(x), "xz");
        CHECK_STREQ(boot_kernel_format(arm), "Image");
        CHECK(boot_kernel_format(empty) == NULL);
        CHECK(boot_kernel_format(missing) == NULL);
        CHECK(boot_kernel_format(tmpdir) == NULL);
}

TEST(format_bzimage_with_efi_stub)
{
        _cleanup_free_ char *p = make_bzimage("bz-efi");
        int fd = open(p, O_WRONLY | O_CLOEXEC);

        REQUIRE(fd >= 0);
        CHECK(write(fd, "MZ", 2) == 2);
        close(fd);
        CHECK_STREQ(boot_kernel_format(p), "bzImage");
}

TEST(format_multiboot)
{
        static const unsigned char elf[] = {0x7f, 'E', 'L', 'F'};
        unsigned char hdr[16];
        _cleanup_free_ char *mb1 = NULL, *mb2 = NULL, *elf_mb = NULL, *bad = NULL, *late = NULL;
        int fd;

        /* multiboot 1 at 4096: magic, flags, checksum */
        put_le32(hdr, 0x1BADB002u);
        put_le32(hdr + 4, 0x00000003u);
        put_le32(hdr + 8, (uint32_t) - (0x1BADB002u + 0x00000003u));
        mb1 = make_file("mb1", 16384, 4096, hdr, 12);
        CHECK_STREQ(boot_kernel_format(mb1), "multiboot");

        /* the same header in an ELF file: multiboot wins */
        elf_mb = make_file("mb-elf", 16384, 4096, hdr, 12);
        fd = open(elf_mb, O_WRONLY | O_CLOEXEC);
        REQUIRE(fd >= 0);
        CHECK(write(fd, elf, sizeof(elf)) == (ssize_t) sizeof(elf));
        close(fd);
        CHECK_STREQ(boot_kernel_format(elf_mb), "multiboot");

        /* a wrong checksum is not a header */
        put_le32(hdr + 8, 0x12345678u);
        bad = make_file("mb-bad", 16384, 4096, hdr, 12);
        CHECK(boot_kernel_format(bad) == NULL);

        /* multiboot 2 at 4096: magic, architecture, header length, checksum */
        put_le32(hdr, 0xE85250D6u);
        put_le32(hdr + 4, 0);
        put_le32(hdr + 8, 16);
        put_le32(hdr + 12, (uint32_t) - (0xE85250D6u + 0u + 16u));
        mb2 = make_file("mb2", 16384, 4096, hdr, 16);
        CHECK_STREQ(boot_kernel_format(mb2), "multiboot");

        /* beyond the first 32 KiB it does not count */
        late = make_file("mb2-late", 65536, 40960, hdr, 16);
        CHECK(boot_kernel_format(late) == NULL);
}

TEST(format_junk)
{
        unsigned char junk[4096];
        _cleanup_free_ char *p = NULL;

        srand(42);
        for (size_t i = 0; i < sizeof(junk); i++)
                junk[i] = (unsigned char) (rand() & 0xff);
        junk[0] = 'J'; /* none of the magic numbers */
        memset(junk + 0x38, 0, 4);
        memset(junk + 0x202, 0, 4);
        p = make_file("junk", sizeof(junk), 0, junk, sizeof(junk));
        CHECK(boot_kernel_format(p) == NULL);
}

TEST(check_messages)
{
        _cleanup_free_ char *bz = make_bzimage("vmlinuz"),
                            *junk = make_file("junk2", 64, 0, "x", 1),
                            *initrd = make_file("initrd.img", 512, 0, "070701", 6),
                            *empty = make_file("empty-initrd", 0, 0, NULL, 0),
                            *missing = util_asprintf("%s/nope", tmpdir), *err = NULL;
        char *initrds[] = {initrd, NULL, NULL};
        char *mods[] = {NULL, NULL};
        _cleanup_free_ char *expect = NULL, *mod = NULL;
        struct boot_request req = {.kernel = missing, .cmdline = "quiet"};

        CHECK_INTEQ(boot_check(&req, &err), -ENOENT);
        free(expect);
        expect = util_asprintf("kernel %s not found", missing);
        CHECK_STREQ(err, expect);

        free(err);
        err = NULL;
        req.kernel = tmpdir;
        CHECK_INTEQ(boot_check(&req, &err), -EISDIR);
        free(expect);
        expect = util_asprintf("kernel %s is a directory", tmpdir);
        CHECK_STREQ(err, expect);

        free(err);
        err = NULL;
        req.kernel = junk;
        CHECK_INTEQ(boot_check(&req, &err), -ENOEXEC);
        free(expect);
        expect = util_asprintf("%s is not a Linux kernel image", junk);
        CHECK_STREQ(err, expect);

        free(err);
        err = NULL;
        req.kernel = bz;
        initrds[1] = missing;
        req.initrds = initrds;
        CHECK_INTEQ(boot_check(&req, &err), -ENOENT);
        free(expect);
        expect = util_asprintf("initrd %s not found", missing);
        CHECK_STREQ(err, expect);

        free(err);
        err = NULL;
        initrds[1] = empty;
        CHECK_INTEQ(boot_check(&req, &err), -EINVAL);
        free(expect);
        expect = util_asprintf("initrd %s is empty", empty);
        CHECK_STREQ(err, expect);

        free(err);
        err = (char *) 1; /* must be reset to NULL on success */
        initrds[1] = NULL;
        CHECK_INTEQ(boot_check(&req, &err), 0);
        CHECK(err == NULL);

        /* modules: the path is the first word */
        mod = util_asprintf("%s/xen-module arg=1", tmpdir);
        mods[0] = mod;
        req.modules = mods;
        CHECK_INTEQ(boot_check(&req, &err), -ENOENT);
        free(expect);
        expect = util_asprintf("module %s/xen-module not found", tmpdir);
        CHECK_STREQ(err, expect);
        free(err);
        err = NULL;
        free(mod);
        mod = util_asprintf("%s arg=1", initrd);
        mods[0] = mod;
        CHECK_INTEQ(boot_check(&req, &err), 0);

        /* NULL ret_error is allowed */
        req.kernel = missing;
        CHECK_INTEQ(boot_check(&req, NULL), -ENOENT);
}

TEST(check_unreadable)
{
        _cleanup_free_ char *bz = make_bzimage("unreadable"), *err = NULL, *expect = NULL;
        struct boot_request req = {.kernel = bz};

        if (geteuid() == 0) {
                printf("# SKIP root can read any file\n");
                return;
        }
        REQUIRE(chmod(bz, 0) == 0);
        CHECK_INTEQ(boot_check(&req, &err), -EACCES);
        expect = util_asprintf("cannot read kernel %s: %s", bz, strerror(EACCES));
        CHECK_STREQ(err, expect);
}

TEST(load_refuses_before_any_syscall)
{
        _cleanup_free_ char *junk = make_file("junk3", 64, 0, "x", 1),
                            *missing = util_asprintf("%s/gone", tmpdir), *err = NULL,
                            *expect = NULL;
        struct boot_request req = {.kernel = missing};
        enum boot_method m = BOOT_METHOD_FILE_LOAD;

        CHECK_INTEQ(boot_load(&req, &m, &err), -ENOENT);
        expect = util_asprintf("kernel %s not found", missing);
        CHECK_STREQ(err, expect);

        free(err);
        err = NULL;
        req.kernel = junk;
        CHECK_INTEQ(boot_load(&req, NULL, &err), -ENOEXEC);
        free(expect);
        expect = util_asprintf("%s is not a Linux kernel image", junk);
        CHECK_STREQ(err, expect);
}

TEST(lockdown_mode)
{
        _cleanup_free_ char *a = make_file("lockdown-a", 0, 0, NULL, 0),
                            *b = make_file("lockdown-b", 0, 0, NULL, 0),
                            *c = make_file("lockdown-c", 0, 0, NULL, 0),
                            *missing = util_asprintf("%s/no-lockdown", tmpdir), *m = NULL;
        FILE *f;

        f = fopen(a, "we");
        REQUIRE(f);
        fputs("none [integrity] confidentiality\n", f);
        fclose(f);
        f = fopen(b, "we");
        REQUIRE(f);
        fputs("[none] integrity confidentiality\n", f);
        fclose(f);
        f = fopen(c, "we");
        REQUIRE(f);
        fputs("none integrity confidentiality\n", f);
        fclose(f);

        m = boot_lockdown_mode(a);
        CHECK_STREQ(m, "integrity");
        free(m);
        m = boot_lockdown_mode(b);
        CHECK_STREQ(m, "none");
        free(m);
        m = boot_lockdown_mode(c);
        CHECK(m == NULL);
        free(m);
        m = boot_lockdown_mode(missing);
        CHECK(m == NULL);
}

TEST(find_kexec_tools)
{
        static const char script[] = "#!/bin/sh\nexit 1\n";
        _cleanup_free_ char *p = boot_find_kexec_tools(), *saved = NULL, *fake = NULL,
                            *expect = NULL;
        const char *env = getenv("PATH");

        if (p)
                CHECK(access(p, X_OK) == 0);

        /* a kexec first in PATH wins; relative PATH entries are ignored */
        saved = env ? strdup(env) : NULL;
        fake = make_file("kexec", strlen(script), 0, script, strlen(script));
        REQUIRE(chmod(fake, 0755) == 0);
        expect = util_asprintf("relative:%s:/usr/sbin", tmpdir);
        REQUIRE(setenv("PATH", expect, 1) == 0);
        free(p);
        p = boot_find_kexec_tools();
        CHECK_STREQ(p, fake);
        if (saved)
                setenv("PATH", saved, 1);
        else
                unsetenv("PATH");
}

/* Unprivileged, the kernel refuses any kexec: the refusal must come back as a sentence. As root
 * this would really load a kernel, so it only runs unprivileged. */
TEST(load_unprivileged_refused)
{
        _cleanup_free_ char *bz = make_bzimage("fake-bzImage"), *err = NULL;
        struct boot_request req = {.kernel = bz, .cmdline = "console=ttyS0"};
        int r;

        if (geteuid() == 0) {
                printf("# SKIP only unprivileged (root could really load a kernel)\n");
                return;
        }
        r = boot_load(&req, NULL, &err);
        CHECK(r < 0);
        REQUIRE(err);
        printf("# %s: %s\n", strerror(-r), err);
        if (r == -EPERM)
                CHECK(startswith(err, "permission denied") ||
                      startswith(err, "the kernel is locked down") ||
                      startswith(err, "kexec is disabled"));
}

/* The sentences for the kernel's refusals carry the kernel's own reason, its errno's text (issue
 * 14): a user under Secure Boot sees "Key was rejected by service", a wrong format "Exec format
 * error", next to the cause and the fix. */
TEST(refusal_texts)
{
        static const struct {
                struct boot_refusal f;
                const char *want;
        } cases[] = {
                {{.err = EKEYREJECTED, .lockdown = "integrity"},
                 "the kernel refused this kernel (locked down: integrity): its signature was "
                 "rejected (the image does not match its signature, or the signature is missing) "
                 "(Key was rejected by service). Boot a kernel its distribution signed, or sign "
                 "this one and enrol the key with MOK (key M), or turn Secure Boot off "
                 "(docs/secure-boot.md)"},
                {{.err = ENOKEY, .seen = "signed by Test: this machine does not trust that key"},
                 "the kernel refused this kernel: it is signed with a key this machine does not "
                 "trust for kexec (Required key not available); signed by Test: this machine does "
                 "not trust that key. Enrol its signer's certificate (or its CA's) with MOK (key "
                 "M), or turn Secure Boot off (docs/secure-boot.md)"},
                {{.err = ENODATA, .seen = "not signed"},
                 "the kernel refused this kernel: it is not signed (No data available). Boot a "
                 "kernel its distribution signed, or sign this one and enrol the key with MOK "
                 "(key M), or turn Secure Boot off (docs/secure-boot.md)"},
                {{.err = EPERM,
                  .lockdown = "confidentiality",
                  .seen = "not signed",
                  .seen_fix = "sign it"},
                 "the kernel is locked down (confidentiality) and refused this kernel (Operation "
                 "not permitted): not signed. Sign it"},
                {{.err = EPERM, .lockdown = "integrity"},
                 "the kernel is locked down (integrity) and refused this kernel (Operation not "
                 "permitted): only kernels signed with a trusted key boot. Boot a kernel its "
                 "distribution signed, or sign this one and enrol the key with MOK (key M), or "
                 "turn Secure Boot off (docs/secure-boot.md)"},
                {{.err = EPERM, .kexec_disabled = true},
                 "kexec is disabled on this system: kernel.kexec_load_disabled = 1 (Operation not "
                 "permitted)"},
                {{.err = EPERM, .unprivileged = true},
                 "permission denied: kexec needs CAP_SYS_BOOT, run as root (Operation not "
                 "permitted)"},
                {{.err = EPERM},
                 "permission denied: the kernel refused to load it, a security module said no "
                 "(Operation not permitted)"},
                {{.err = ENOEXEC},
                 "cannot load the kernel: the kernel cannot load this image format with "
                 "kexec_file_load (Exec format error)"},
                {{.err = ENOEXEC, .no_tools = true},
                 "kexec-tools is not installed and the kernel refused the image (Exec format "
                 "error)"},
                {{.err = ENOSYS, .no_tools = true},
                 "kexec-tools is not installed and this kernel has no kexec_file_load (Function "
                 "not implemented)"},
                {{.err = ENOMEM},
                 "cannot load the kernel: not enough memory to load the kernel and initrd (Cannot "
                 "allocate memory)"},
                {{.err = EINVAL, .cmdline_len = 4096},
                 "cannot load the kernel: Invalid argument (the command line is 4096 bytes long, "
                 "maybe too long for this kernel)"},
                {{.err = EINVAL, .cmdline_len = 20}, "cannot load the kernel: Invalid argument"},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                _cleanup_free_ char *got = boot_refusal_text(&cases[i].f);

                CHECK_STREQ(got, cases[i].want);
        }
}

/* kexec -l's failures: its last line (which has the kernel's reason) is kept under lockdown too. */
TEST(tools_failure_texts)
{
        _cleanup_free_ char *a = boot_tools_failure_text(
                                    "integrity", "kexec_load failed: Operation not permitted", 255),
                            *b = boot_tools_failure_text("integrity", NULL, 1),
                            *c = boot_tools_failure_text(NULL, "Cannot determine the file type", 1),
                            *d = boot_tools_failure_text(NULL, NULL, 3);

        CHECK_STREQ(a, "the kernel is locked down (integrity): only signed kernels can be booted "
                       "(kexec -l: kexec_load failed: Operation not permitted)");
        CHECK_STREQ(b, "the kernel is locked down (integrity): only signed kernels can be booted "
                       "(kexec -l exited with 1)");
        CHECK_STREQ(c, "kexec -l failed: Cannot determine the file type");
        CHECK_STREQ(d, "kexec -l failed with exit code 3");
}
