/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading the chosen kernel: kexec_file_load(2) first, kexec-tools ("kexec -l") when the kernel
 * has no such call, refuses the format, or the entry needs multiboot modules or reset-vga. */
#define LOG_MODULE "boot"
#include "boot.h"

#include <ctype.h>
#include <fcntl.h>
#include <linux/kexec.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "../core/fsread.h"
#include "../core/log.h"
#include "../core/util.h"
#include "pesig.h"
#include "spawn-capture.h"
#include "trust.h"

#define LOCKDOWN_PATH         "/sys/kernel/security/lockdown"
#define KEXEC_LOADED_PATH     "/sys/kernel/kexec_loaded"
#define KEXEC_TOOLS_TIMEOUT_S 120
#define TOOLS_OUTPUT_MAX      (16 * 1024)
#define CAP_SYS_BOOT_BIT      22
#define BOOT_READ_CHUNK       (64u * 1024u) /* read_through() */

/* Formats the error sentence into *err (replacing what was there), logs it, returns r. */
#define fail(err, r, ...) log_set_error(err, r, LOG_LEVEL_ERROR, LOG_MODULE, __VA_ARGS__)

/* Hands the sentence over to the caller (who may not want it). */
static int give_error(int r, char **err, char **ret_error)
{
        if (ret_error) {
                *ret_error = *err;
                *err = NULL;
        }
        return r;
}

static uint32_t le32(const unsigned char *p)
{
        return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 |
               (uint32_t) p[3] << 24;
}

/* Multiboot 1: a 4-byte aligned header in the first 8 KiB; multiboot 2: 8-byte aligned in the
 * first 32 KiB. Both have a checksum that makes the header words add up to 0. */
static bool has_multiboot_header(const unsigned char *buf, size_t n)
{
        for (size_t off = 0; off + 12 <= MIN(n, (size_t) 8192); off += 4)
                if (le32(buf + off) == 0x1BADB002u &&
                    (uint32_t) (le32(buf + off) + le32(buf + off + 4) + le32(buf + off + 8)) == 0)
                        return true;
        for (size_t off = 0; off + 16 <= MIN(n, (size_t) 32768); off += 8)
                if (le32(buf + off) == 0xE85250D6u &&
                    (uint32_t) (le32(buf + off) + le32(buf + off + 4) + le32(buf + off + 8) +
                                le32(buf + off + 12)) == 0)
                        return true;
        return false;
}

static const char *sniff(const unsigned char *buf, size_t n)
{
        static const unsigned char elf_magic[] = {0x7f, 'E', 'L', 'F'};
        static const unsigned char zstd_magic[] = {0x28, 0xb5, 0x2f, 0xfd};
        static const unsigned char xz_magic[] = {0xfd, '7', 'z', 'X', 'Z', 0x00};

        /* An x86 bzImage with the EFI stub also starts with "MZ": the setup header comes first. */
        if (n >= 0x206 && memcmp(buf + 0x202, "HdrS", 4) == 0)
                return "bzImage";
        /* Multiboot kernels (Xen, hypervisors, other systems) are usually ELF files too. */
        if (has_multiboot_header(buf, n))
                return "multiboot";
        if (n >= 4 && memcmp(buf, elf_magic, sizeof(elf_magic)) == 0)
                return "ELF";
        /* PE/COFF: EFI-stub kernels, arm64 Image with EFI stub, EFI zboot images. */
        if (n >= 2 && memcmp(buf, "MZ", 2) == 0)
                return "PE/EFI";
        /* arm64 and RISC-V "Image" without an EFI stub: magic at offset 0x38. */
        if (n >= 0x40 &&
            (memcmp(buf + 0x38, "ARM\x64", 4) == 0 || memcmp(buf + 0x38, "RSC\x05", 4) == 0))
                return "Image";
        if (n >= 2 && buf[0] == 0x1f && buf[1] == 0x8b)
                return "gzip";
        if (n >= sizeof(zstd_magic) && memcmp(buf, zstd_magic, sizeof(zstd_magic)) == 0)
                return "zstd";
        if (n >= sizeof(xz_magic) && memcmp(buf, xz_magic, sizeof(xz_magic)) == 0)
                return "xz";
        return NULL;
}

/* The format of the kernel image at off of path (a section of a unified kernel image). */
static const char *kernel_format_at(const char *path, uint64_t off)
{
        _cleanup_close_ int fd = -1;
        _cleanup_free_ unsigned char *buf = NULL;
        size_t n = 0;
        struct stat st;

        fd = util_open_regular(path);
        if (fd < 0 || fstat(fd, &st) < 0)
                return NULL;
        buf = malloc(32768);
        if (!buf)
                return NULL;
        while (n < 32768) {
                ssize_t k = pread(fd, buf + n, 32768 - n, (off_t) (off + n));

                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return NULL;
                if (k == 0)
                        break;
                n += (size_t) k;
        }
        return sniff(buf, n);
}

/* The request's kernel format: of its section when it has one. */
static const char *request_format(const struct boot_request *req)
{
        return req->kernel_part && req->kernel_part->size
                       ? kernel_format_at(req->kernel, req->kernel_part->offset)
                       : boot_kernel_format(req->kernel);
}

/* A part lies inside its file. */
static int check_part(const char *what, const char *path, const struct boot_part *part, char **err)
{
        struct stat st;

        if (!part || part->size == 0)
                return 0;
        if (stat(path, &st) < 0)
                return fail(err, -errno, "cannot access %s %s: %m", what, path);
        if (part->offset > (uint64_t) st.st_size ||
            part->size > (uint64_t) st.st_size - part->offset)
                return fail(err, -ERANGE,
                            "the %s section of %s lies past its end (the file changed?)", what,
                            path);
        return 0;
}

const char *boot_kernel_format(const char *path)
{
        return kernel_format_at(path, 0);
}

/* One file of the request: present, a regular file, readable. what: "kernel", "initrd"… */
static int check_file(const char *what, const char *path, bool allow_empty, char **err)
{
        _cleanup_close_ int fd = -1;
        struct stat st;

        if (isempty(path))
                return fail(err, -EINVAL, "no %s specified", what);
        if (stat(path, &st) < 0) {
                if (errno == ENOENT || errno == ENOTDIR)
                        return fail(err, -ENOENT, "%s %s not found", what, path);
                return fail(err, -errno, "cannot access %s %s: %m", what, path);
        }
        if (S_ISDIR(st.st_mode))
                return fail(err, -EISDIR, "%s %s is a directory", what, path);
        if (!S_ISREG(st.st_mode))
                return fail(err, -EINVAL, "%s %s is not a regular file", what, path);
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return fail(err, -errno, "cannot read %s %s: %m", what, path);
        if (st.st_size == 0 && !allow_empty)
                return fail(err, -EINVAL, "%s %s is empty", what, path);
        return 0;
}

static int check_request(const struct boot_request *req, char **err)
{
        int r;

        r = check_file("kernel", req->kernel, false, err);
        if (r >= 0)
                r = check_part("kernel", req->kernel, req->kernel_part, err);
        if (r < 0)
                return r;
        if (!request_format(req))
                return fail(err, -ENOEXEC, "%s%s is not a Linux kernel image",
                            req->kernel_part ? "the .linux section of " : "", req->kernel);
        for (size_t i = 0; req->initrds && req->initrds[i]; i++) {
                r = check_file("initrd", req->initrds[i], false, err);
                if (r >= 0 && req->initrd_parts)
                        r = check_part("initrd", req->initrds[i], &req->initrd_parts[i], err);
                if (r < 0)
                        return r;
        }
        strv_foreach (module, req->modules) {
                _cleanup_free_ char *path = NULL;
                const char *s = util_skip_blanks(module);

                path = strndup(s, strcspn(s, " \t"));
                if (!path)
                        return fail(err, -ENOMEM, "out of memory");
                r = check_file("module", path, true, err);
                if (r < 0)
                        return r;
        }
        return 0;
}

int boot_check(const struct boot_request *req, char **ret_error)
{
        _cleanup_free_ char *err = NULL;

        if (ret_error)
                *ret_error = NULL;
        return give_error(check_request(req, &err), &err, ret_error);
}

/* Writes all n bytes of buf to fd. */
static int write_all(int fd, const char *buf, size_t n)
{
        while (n > 0) {
                ssize_t w = write(fd, buf, n);

                if (w < 0 && errno == EINTR)
                        continue;
                if (w < 0)
                        return -errno;
                buf += w;
                n -= (size_t) w;
        }
        return 0;
}

/* Copies all of in to the end of out. *total counts the bytes written. */
static int copy_fd(int in, int out, unsigned long long *total)
{
        _cleanup_free_ char *buf = NULL;
        bool use_sendfile = true;
        int r;

        for (;;) {
                ssize_t k;

                if (use_sendfile) {
                        k = sendfile(out, in, NULL, 1 << 30);
                        if (k < 0 && (errno == EINVAL || errno == ENOSYS)) {
                                use_sendfile = false;
                                continue;
                        }
                } else {
                        if (!buf && !(buf = malloc(128 * 1024)))
                                return -ENOMEM;
                        k = read(in, buf, 128 * 1024);
                        if (k > 0 && (r = write_all(out, buf, (size_t) k)) < 0)
                                return r;
                }
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return -errno;
                if (k == 0)
                        return 0;
                *total += (unsigned long long) k;
        }
}

static int make_temp_file(char **ret_path, char **err);

/* Copies size bytes at off of in to the end of out (a section of a unified kernel image). */
static int copy_range(int in, int out, uint64_t off, uint64_t size, unsigned long long *total)
{
        _cleanup_free_ char *buf = NULL;
        off_t pos = (off_t) off;
        int r;

        while (size > 0) {
                ssize_t k = sendfile(out, in, &pos, (size_t) MIN(size, (uint64_t) 1 << 30));

                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0 && (errno == EINVAL || errno == ENOSYS)) {
                        /* no sendfile here: read and write */
                        if (!buf && !(buf = malloc(128 * 1024)))
                                return -ENOMEM;
                        k = pread(in, buf, (size_t) MIN(size, (uint64_t) 128 * 1024), pos);
                        if (k < 0 && errno == EINTR)
                                continue;
                        if (k > 0 && (r = write_all(out, buf, (size_t) k)) < 0)
                                return r;
                        if (k > 0)
                                pos += k;
                }
                if (k < 0)
                        return -errno;
                if (k == 0)
                        return -ERANGE; /* the file shrank */
                size -= (uint64_t) k;
                *total += (unsigned long long) k;
        }
        return 0;
}

/* Copies a file, or its part, to the end of out. */
static int copy_part(int in, int out, const struct boot_part *part, unsigned long long *total)
{
        if (part && part->size > 0)
                return copy_range(in, out, part->offset, part->size, total);
        return copy_fd(in, out, total);
}

/* A memfd (else an unlinked temporary file) holding the kernel's section of a unified kernel
 * image: kexec_file_load takes a whole file. */
static int kernel_part_fd(const struct boot_request *req, char **err)
{
        _cleanup_close_ int in = -1, out = -1;
        unsigned long long total = 0;
        int r;

        in = util_open_regular(req->kernel);
        if (in < 0)
                return fail(err, in, "cannot open kernel %s: %s", req->kernel, fsread_strerror(in));
        out = memfd_create("kernel", MFD_CLOEXEC);
        if (out < 0) {
                _cleanup_free_ char *path = NULL;

                out = make_temp_file(&path, err);
                if (out < 0)
                        return out;
                (void) unlink(path);
        }
        r = copy_range(in, out, req->kernel_part->offset, req->kernel_part->size, &total);
        if (r == -ENOMEM || r == -ENOSPC)
                return fail(err, -ENOMEM, "not enough memory to load the kernel");
        if (r < 0)
                return fail(err, r, "cannot read the .linux section of %s: %s", req->kernel,
                            strerror(-r));
        if (lseek(out, 0, SEEK_SET) < 0)
                return fail(err, -errno, "cannot load the kernel: %m");
        log_debug("the .linux section of %s: %llu bytes", req->kernel, total);
        r = out;
        out = -1;
        return r;
}

/* Writes the initrds one after another into out, each padded with zeros to a multiple of 4
 * bytes (the kernel looks for the next cpio archive at 4-byte boundaries and skips zeros). */
static int concat_initrds(const struct boot_request *req, int out, char **err)
{
        char *const *initrds = req->initrds;
        unsigned long long total = 0;

        for (size_t i = 0; initrds && initrds[i]; i++) {
                static const char zeros[4];
                const char *initrd = initrds[i];
                _cleanup_close_ int in = -1;
                size_t pad;
                int r;

                in = util_open_regular(initrd);
                if (in < 0)
                        return fail(err, in, "cannot open initrd %s: %s", initrd,
                                    fsread_strerror(in));
                r = copy_part(in, out, req->initrd_parts ? &req->initrd_parts[i] : NULL, &total);
                if (r == -ENOMEM || r == -ENOSPC)
                        return fail(err, -ENOMEM,
                                    "not enough memory to load the kernel and initrd (while "
                                    "joining the initrds)");
                if (r < 0)
                        return fail(err, r, "cannot copy initrd %s: %s", initrd, strerror(-r));
                pad = (4 - total % 4) % 4;
                if (pad > 0 && write(out, zeros, pad) != (ssize_t) pad)
                        return fail(err, -errno, "cannot join the initrds: %m");
                total += pad;
        }
        if (req->append_len > 0) {
                static const char zeros[BOOT_APPEND_ALIGN];
                size_t pad = (BOOT_APPEND_ALIGN - total % BOOT_APPEND_ALIGN) % BOOT_APPEND_ALIGN;
                int r = pad > 0 ? write_all(out, zeros, pad) : 0;

                if (r >= 0)
                        r = write_all(out, (const char *) req->append, req->append_len);
                if (r < 0)
                        return fail(err, r, "cannot append to the initrd: %s", strerror(-r));
                log_debug("appended %zu bytes after %zu bytes of padding", req->append_len, pad);
                total += pad + req->append_len;
        }
        log_debug("joined %zu initrds: %llu bytes", strv_length(initrds), total);
        if (lseek(out, 0, SEEK_SET) < 0)
                return fail(err, -errno, "cannot join the initrds: %m");
        return 0;
}

/* A temporary file for kexec-tools: /run/kexec-loader as root, else $TMPDIR or /tmp. */
static int make_temp_file(char **ret_path, char **err)
{
        const char *tmpdir = getenv("TMPDIR");
        const char *dirs[] = {NULL, isempty(tmpdir) ? "/tmp" : tmpdir, "/tmp"};
        int saved = 0;

        if (geteuid() == 0 && (mkdir("/run/kexec-loader", 0700) == 0 || errno == EEXIST))
                dirs[0] = "/run/kexec-loader";
        for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
                _cleanup_free_ char *p = NULL;
                int fd;

                if (!dirs[i])
                        continue;
                p = util_asprintf("%s/initrd-XXXXXX", dirs[i]);
                if (!p)
                        return fail(err, -ENOMEM, "out of memory");
                fd = mkostemp(p, O_CLOEXEC);
                if (fd >= 0) {
                        *ret_path = p;
                        p = NULL;
                        return fd;
                }
                saved = errno;
        }
        return fail(err, -saved, "cannot create a temporary file for the initrds: %s",
                    strerror(saved));
}

/* Whether the initrds go to the kernel as one file of their own (one whole initrd, nothing
 * appended), else they are joined. */
static bool initrd_as_is(const struct boot_request *req)
{
        return strv_length(req->initrds) == 1 && !req->initrd_parts && req->append_len == 0;
}

/* The initrds joined in a memfd; without anything appended, an unlinked temporary file when
 * memfd_create is missing (a secret never goes to a file). */
static int joined_initrd_fd(const struct boot_request *req, char **err)
{
        _cleanup_close_ int fd = memfd_create("initrd", MFD_CLOEXEC);
        int r;

        if (fd < 0 && req->append_len > 0)
                return fail(err, -errno,
                            "cannot hand the key over: no memfd (%m), and the key never goes "
                            "to a file");
        if (fd < 0) {
                _cleanup_free_ char *path = NULL;

                log_debug("memfd_create: %m; using a temporary file");
                fd = make_temp_file(&path, err);
                if (fd < 0)
                        return fd;
                (void) unlink(path);
        }
        r = concat_initrds(req, fd, err);
        if (r < 0)
                return r;
        r = fd;
        fd = -1;
        return r;
}

/* Overwrites what was appended (the key) in the joined initrd, after the kernel read it. */
static void wipe_appended(const struct boot_request *req, int fd)
{
        static const char zeros[4096];
        off_t end, pos;

        if (req->append_len == 0 || fd < 0 || (end = lseek(fd, 0, SEEK_END)) < 0)
                return;
        for (pos = end - (off_t) req->append_len; pos < end;) {
                ssize_t k = pwrite(fd, zeros, (size_t) MIN((off_t) sizeof(zeros), end - pos), pos);

                if (k <= 0)
                        break;
                pos += k;
        }
        (void) ftruncate(fd, 0);
}

static long kexec_file_load_call(int kernel_fd, int initrd_fd, const char *cmdline,
                                 unsigned long flags)
{
#ifdef SYS_kexec_file_load
        return syscall(SYS_kexec_file_load, kernel_fd, initrd_fd,
                       cmdline ? (unsigned long) strlen(cmdline) + 1 : 0UL, cmdline, flags);
#else
        errno = ENOSYS;
        return -1;
#endif
}

/* kexec_file_load(2). Failures before the call set *err; a refusal by the call itself returns
 * -errno with *err left NULL, for the caller to explain. */
static int load_file(const struct boot_request *req, char **err)
{
        _cleanup_close_ int kfd = -1, ifd = -1;
        const char *cmdline = req->cmdline ? req->cmdline : "";
        size_t n = strv_length(req->initrds);
        unsigned long flags = 0;
        int r;

        if (req->kernel_part && req->kernel_part->size > 0) {
                kfd = kernel_part_fd(req, err);
                if (kfd < 0)
                        return kfd;
        } else {
                kfd = util_open_regular(req->kernel);
                if (kfd < 0)
                        return fail(err, kfd, "cannot open kernel %s: %s", req->kernel,
                                    fsread_strerror(kfd));
        }
        if (n == 0)
                flags |= KEXEC_FILE_NO_INITRAMFS;
        else if (initrd_as_is(req)) {
                ifd = util_open_regular(req->initrds[0]);
                if (ifd < 0)
                        return fail(err, ifd, "cannot open initrd %s: %s", req->initrds[0],
                                    fsread_strerror(ifd));
        } else {
                ifd = joined_initrd_fd(req, err);
                if (ifd < 0)
                        return ifd;
        }
        log_info("kexec_file_load(%s%s, %s%s, \"%s\")",
                 req->kernel_part ? "the .linux section of " : "", req->kernel,
                 n == 0              ? "no initrd"
                 : initrd_as_is(req) ? req->initrds[0]
                                     : "joined initrds",
                 req->append_len ? " + key hand-over" : "", cmdline);
        r = kexec_file_load_call(kfd, ifd, cmdline, flags) < 0 ? -errno : 0;
        wipe_appended(req, ifd);
        if (r < 0) {
                log_info("kexec_file_load failed: %s", strerror(-r));
                return r;
        }
        return 0;
}

/* The active lockdown mode when it is not "none", else NULL. */
static char *lockdown_active(void)
{
        char *mode = boot_lockdown_mode(LOCKDOWN_PATH);

        if (mode && streq(mode, "none")) {
                free(mode);
                return NULL;
        }
        return mode;
}

static bool has_cap_sys_boot(void)
{
        _cleanup_free_ char *text = NULL;
        const char *p;
        unsigned long long caps;

        if (util_read_file("/proc/self/status", 64 * 1024, &text, NULL) < 0)
                return geteuid() == 0;
        p = strstr(text, "\nCapEff:");
        if (!p || sscanf(p + 8, "%llx", &caps) != 1)
                return geteuid() == 0;
        return caps & (1ULL << CAP_SYS_BOOT_BIT);
}

static bool kexec_disabled(void)
{
        _cleanup_free_ char *v = NULL;

        return util_read_line("/proc/sys/kernel/kexec_load_disabled", &v) == 0 && streq(v, "1");
}

/* What to do about a kernel a locked-down kernel refuses (docs/secure-boot.md). */
#define FIX_KEY                                                                                   \
        "enrol its signer's certificate (or its CA's) with MOK (key M), or turn Secure Boot off " \
        "(docs/secure-boot.md)"
#define FIX_SIGN                                                                              \
        "boot a kernel its distribution signed, or sign this one and enrol the key with MOK " \
        "(key M), or turn Secure Boot off (docs/secure-boot.md)"

/* The refusals of kexec_file_load(2) with a cause and a fix; EPERM, EINVAL and the ones that fall
 * back to kexec-tools are explained by explain_refusal() itself. fix NULL: none to give. */
static const struct refusal {
        int err;
        const char *cause;
        const char *fix;
} refusals[] = {
        {ENOKEY, "it is signed with a key this machine does not trust for kexec", FIX_KEY},
        {EKEYREJECTED,
         "its signature was rejected (the image does not match its signature, or the signature "
         "is missing)",
         FIX_SIGN},
        {ENODATA, "it is not signed", FIX_SIGN},
        {EBADMSG, "its signature is malformed", FIX_SIGN},
        {ELIBBAD, "its signature cannot be read (not a signed PE image)", FIX_SIGN},
        {EMSGSIZE, "its signature cannot be read (too large)", FIX_SIGN},
        {ENOPKG, "it is signed with an algorithm this kernel cannot check", FIX_SIGN},
        {EKEYREVOKED, "the key that signed it is revoked (dbx)", FIX_SIGN},
        {EKEYEXPIRED, "the key that signed it has expired", FIX_SIGN},
        {ENOTSUP, "its signature is of a kind the kernel does not check (not PKCS#7)", FIX_SIGN},
        {ENOEXEC, "the kernel cannot load this image format with kexec_file_load", NULL},
        {ENOMEM, "not enough memory to load the kernel and initrd", NULL},
        {EBUSY, "a kexec image is already being loaded", NULL},
};

/* Under lockdown: what the kernel's own signature says about the refusal (pesig.h), and what to
 * do, or NULL when the image cannot be read. */
/* The signature of the kernel the request loads: the file's, or its .linux section's (what
 * kexec_file_load checks of a unified kernel image). */
static int request_pesig(const struct boot_request *req, int fd, struct pesig_info *ret)
{
        if (!req->kernel_part || req->kernel_part->size == 0)
                return pesig_read_fd(fd, ret);
        return pesig_read_fd_part(fd, req->kernel_part->offset, req->kernel_part->size, ret);
}

static char *predicted_cause(const struct boot_request *req, const char **ret_fix)
{
        const char *kernel = req->kernel;
        static const char *const fixes[] = {
                [PESIG_VERDICT_OK] = "its signature names a trusted key: the image may have been "
                                     "changed after it was signed; " FIX_SIGN,
                [PESIG_VERDICT_NOT_PE] = FIX_SIGN,
                [PESIG_VERDICT_UNSIGNED] = FIX_SIGN,
                [PESIG_VERDICT_MALFORMED] = FIX_SIGN,
                [PESIG_VERDICT_UNTRUSTED] = FIX_KEY,
        };
        _cleanup_(trust_done) struct trust t = {0};
        _cleanup_(pesig_info_done) struct pesig_info info = {0};
        _cleanup_close_ int fd = util_open_regular(kernel);
        enum pesig_verdict v;

        if (fd < 0 || request_pesig(req, fd, &info) < 0 ||
            trust_read(&t, LOCKDOWN_PATH, "/proc/keys", true) < 0)
                return NULL;
        if (info.state == PESIG_SIGNED && !t.keys_known)
                return NULL;
        v = pesig_judge(&info, &t.keys, NULL);
        *ret_fix = fixes[v];
        return pesig_verdict_text(v, &info);
}

static const struct refusal *refusal_of(int err)
{
        for (size_t i = 0; i < ARRAY_SIZE(refusals); i++)
                if (refusals[i].err == err)
                        return &refusals[i];
        return NULL;
}

char *boot_refusal_text(const struct boot_refusal *f)
{
        const struct refusal *k = refusal_of(f->err);
        const char *why = strerror(f->err), *mode = f->lockdown, *fix, *seen = f->seen;

        if (f->err == EPERM && mode) {
                /* Lockdown without enforced signatures answers every bad signature with EPERM:
                 * the image's own signature says which. */
                fix = seen && f->seen_fix ? f->seen_fix : FIX_SIGN;
                return util_asprintf(
                        "the kernel is locked down (%s) and refused this kernel (%s): %s. %c%s",
                        mode, why, seen ? seen : "only kernels signed with a trusted key boot",
                        toupper((unsigned char) fix[0]), fix + 1);
        }
        if (f->err == EPERM && f->kexec_disabled)
                return util_asprintf("kexec is disabled on this system: "
                                     "kernel.kexec_load_disabled = 1 (%s)",
                                     why);
        if (f->err == EPERM && f->unprivileged)
                return util_asprintf(
                        "permission denied: kexec needs CAP_SYS_BOOT, run as root (%s)", why);
        if (f->err == EPERM)
                return util_asprintf("permission denied: the kernel refused to load it, a security "
                                     "module said no (%s)",
                                     why);
        if (f->no_tools && (f->err == ENOSYS || f->err == ENOEXEC))
                return util_asprintf("kexec-tools is not installed and %s (%s)",
                                     f->err == ENOSYS ? "this kernel has no kexec_file_load"
                                                      : "the kernel refused the image",
                                     why);
        if (f->err == EINVAL && f->cmdline_len >= 2048)
                return util_asprintf("cannot load the kernel: %s (the command line is %zu bytes "
                                     "long, maybe too long for this kernel)",
                                     why, f->cmdline_len);
        if (!k)
                return util_asprintf("cannot load the kernel: %s", why);
        if (!k->fix)
                return util_asprintf("cannot load the kernel: %s (%s)", k->cause, why);
        /* The image's own signature says by whom ("signed by …"); "not signed": the cause
         * said it. */
        if (seen && !strstr(seen, "signed by "))
                seen = NULL;
        return util_asprintf("the kernel refused this kernel%s%s%s: %s (%s)%s%s. %c%s",
                             mode ? " (locked down: " : "", mode ? mode : "", mode ? ")" : "",
                             k->cause, why, seen ? "; " : "", seen ? seen : "",
                             toupper((unsigned char) k->fix[0]), k->fix + 1);
}

/* Reads the file to its end: 0, or the -errno of the first read that failed. */
static int read_through(const char *path)
{
        _cleanup_close_ int fd = util_open_regular(path);
        _cleanup_free_ char *buf = NULL;
        ssize_t k;

        if (fd < 0)
                return fd;
        buf = malloc(BOOT_READ_CHUNK);
        if (!buf)
                return -ENOMEM;
        while ((k = read(fd, buf, BOOT_READ_CHUNK)) != 0)
                if (k < 0 && errno != EINTR)
                        return -errno;
        return 0;
}

/* kexec_file_load failed with EIO: the kernel read the files itself and hit a read error (a
 * bad sector, a failing disk) without saying in which. The first of them that cannot be read
 * through now is named. */
static int explain_read_error(int r, const struct boot_request *req, char **err)
{
        const char *what = "kernel", *path = req->kernel;
        int e = read_through(path);

        for (size_t i = 0; e >= 0 && req->initrds && req->initrds[i]; i++) {
                what = "initrd";
                path = req->initrds[i];
                e = read_through(path);
        }
        if (e < 0)
                return fail(err, r,
                            "cannot read the %s %s: %s (the disk failed to read a part of "
                            "it: a damaged disk or file)",
                            what, path, strerror(-e));
        return fail(err, r, "cannot load the kernel: %s (a disk read failed)", strerror(-r));
}

/* A sentence for a refusal of kexec_file_load (r = -errno): the facts, then the sentence. */
static int explain_refusal(int r, const struct boot_request *req, bool no_tools, char **err)
{
        _cleanup_free_ char *mode = NULL, *seen = NULL, *text = NULL;
        const struct refusal *k = refusal_of(-r);

        /* A read error is the disk's, whatever the kernel's lockdown state. */
        if (-r == EIO)
                return explain_read_error(r, req, err);

        mode = lockdown_active();
        struct boot_refusal f = {.err = -r,
                                 .lockdown = mode,
                                 .no_tools = no_tools,
                                 .cmdline_len = req->cmdline ? strlen(req->cmdline) : 0};

        /* The image is read only where its signature says something. */
        if ((-r == EPERM && mode) || (k && k->fix && !no_tools))
                f.seen = seen = predicted_cause(req, &f.seen_fix);
        if (-r == EPERM && !mode) {
                f.kexec_disabled = kexec_disabled();
                f.unprivileged = geteuid() != 0 || !has_cap_sys_boot();
        }
        text = boot_refusal_text(&f);
        if (!text)
                return fail(err, r, "cannot load the kernel: %s", strerror(-r));
        return fail(err, r, "%s", text);
}

char *boot_tools_failure_text(const char *lockdown, const char *line, int code)
{
        if (lockdown && line)
                return util_asprintf("the kernel is locked down (%s): only signed kernels can be "
                                     "booted (kexec -l: %s)",
                                     lockdown, line);
        if (lockdown)
                return util_asprintf("the kernel is locked down (%s): only signed kernels can be "
                                     "booted (kexec -l exited with %d)",
                                     lockdown, code);
        if (line)
                return util_asprintf("kexec -l failed: %s", line);
        return util_asprintf("kexec -l failed with exit code %d", code);
}

/* The last non-empty line of the output (modified in place), or NULL. */
static const char *last_line(char *out)
{
        char *line = NULL, *save = NULL;

        for (char *s = strtok_r(out, "\n", &save); s; s = strtok_r(NULL, "\n", &save)) {
                util_strip_trailing(s);
                log_debug("kexec: %s", s);
                if (*util_skip_blanks(s))
                        line = s;
        }
        return line ? util_skip_blanks(line) : NULL;
}

static bool kexec_loaded(void)
{
        _cleanup_free_ char *v = NULL;

        /* Unknown (no sysfs): trust the exit status. */
        return util_read_line(KEXEC_LOADED_PATH, &v) < 0 || streq(v, "1");
}

static int load_with_tools(const struct boot_request *req, const char *tools, char **err)
{
        _cleanup_strv_ char **argv = NULL;
        _cleanup_free_ char *tmp_path = NULL, *out = NULL, *kernel_path = NULL, *memfd_path = NULL;
        _cleanup_close_ int tmp_fd = -1, kernel_fd = -1;
        const char *initrd = NULL, *line, *kernel = req->kernel;
        size_t n = strv_length(req->initrds), out_len = 0;
        bool timed_out;
        int r, status;

        if (req->kernel_part && req->kernel_part->size > 0) {
                /* kexec -l takes paths: the .linux section goes to a temporary file. */
                _cleanup_close_ int in = util_open_regular(req->kernel);
                unsigned long long total = 0;

                if (in < 0)
                        return fail(err, in, "cannot open kernel %s: %s", req->kernel,
                                    fsread_strerror(in));
                kernel_fd = make_temp_file(&kernel_path, err);
                if (kernel_fd < 0)
                        return kernel_fd;
                r = copy_range(in, kernel_fd, req->kernel_part->offset, req->kernel_part->size,
                               &total);
                if (r < 0) {
                        r = fail(err, r, "cannot write the .linux section of %s: %s", req->kernel,
                                 strerror(-r));
                        goto finish;
                }
                kernel = kernel_path;
        }
        if (n >= 1 && initrd_as_is(req))
                initrd = req->initrds[0];
        else if (n >= 1 && req->append_len > 0) {
                /* the key stays in memory: kexec reads the memfd through /proc */
                tmp_fd = joined_initrd_fd(req, err);
                if (tmp_fd < 0) {
                        r = tmp_fd;
                        goto finish;
                }
                memfd_path = util_asprintf("/proc/%d/fd/%d", (int) getpid(), tmp_fd);
                if (!memfd_path)
                        goto oom;
                initrd = memfd_path;
        } else if (n >= 1) {
                tmp_fd = make_temp_file(&tmp_path, err);
                if (tmp_fd < 0) {
                        r = tmp_fd;
                        goto finish;
                }
                r = concat_initrds(req, tmp_fd, err);
                if (r < 0)
                        goto finish;
                initrd = tmp_path;
        }

        if (strv_push(&argv, "kexec") < 0 || strv_push(&argv, "-l") < 0 ||
            strv_push(&argv, kernel) < 0)
                goto oom;
        if (initrd && strv_consume(&argv, util_asprintf("--initrd=%s", initrd)) < 0)
                goto oom;
        if (!isempty(req->cmdline) &&
            strv_consume(&argv, util_asprintf("--command-line=%s", req->cmdline)) < 0)
                goto oom;
        if (req->reset_vga && strv_push(&argv, "--reset-vga") < 0)
                goto oom;
        strv_foreach (module, req->modules) {
                if (strv_consume(&argv, util_asprintf("--module=%s", module)) < 0)
                        goto oom;
        }
        out = malloc(TOOLS_OUTPUT_MAX + 1);
        if (!out)
                goto oom;
        out[0] = 0;

        {
                _cleanup_free_ char *joined = strv_join(argv, " ");

                log_info("running %s: %s", tools, joined ? joined : "kexec -l …");
        }
        r = spawn_capture(tools, argv, KEXEC_TOOLS_TIMEOUT_S, &status, &timed_out, out,
                          TOOLS_OUTPUT_MAX, &out_len);
        if (r < 0) {
                r = fail(err, r, "cannot run %s: %s", tools, strerror(-r));
                goto finish;
        }
        line = last_line(out);
        if (timed_out)
                r = fail(err, -ETIMEDOUT, "kexec -l did not finish within %d seconds",
                         KEXEC_TOOLS_TIMEOUT_S);
        else if (status != -1 && WIFSIGNALED(status))
                r = fail(err, -EIO, "kexec -l was killed by signal %d (%s)", WTERMSIG(status),
                         strsignal(WTERMSIG(status)));
        else if (status != -1 && WEXITSTATUS(status) != 0) {
                _cleanup_free_ char *mode = lockdown_active(),
                                    *text = boot_tools_failure_text(mode, line,
                                                                    WEXITSTATUS(status));

                r = fail(err, mode ? -EPERM : -EIO, "%s", text ? text : "kexec -l failed");
        } else if (!kexec_loaded())
                r = fail(err, -EIO, "kexec -l did not load the kernel%s%s", line ? ": " : "",
                         line ? line : "");
        else {
                log_info("kernel loaded with kexec-tools");
                r = 0;
        }
        goto finish;

oom:
        r = fail(err, -ENOMEM, "out of memory");
finish:
        if (memfd_path)
                wipe_appended(req, tmp_fd);
        if (tmp_path)
                (void) unlink(tmp_path);
        if (kernel_path)
                (void) unlink(kernel_path);
        return r;
}

static int load(const struct boot_request *req, enum boot_method *ret_method, char **err)
{
        _cleanup_free_ char *tools = NULL, *mode = NULL;
        const char *format;
        bool need_tools;
        int r;

        r = check_request(req, err);
        if (r < 0)
                return r;
        format = request_format(req);
        log_info("loading %s%s (%s)", req->kernel_part ? "the .linux section of " : "", req->kernel,
                 format ? format : "?");
        strv_foreach (initrd, req->initrds)
                log_info("  initrd %s", initrd);
        strv_foreach (module, req->modules)
                log_info("  module %s", module);
        log_info("  command line \"%s\"%s", req->cmdline ? req->cmdline : "",
                 req->reset_vga ? ", reset-vga" : "");

        /* Nothing stale may stay loaded if this load fails. */
        boot_unload();

        need_tools = strv_length(req->modules) > 0 || streq_ptr(format, "multiboot");
        mode = lockdown_active();
        /* Locked down, kexec_load(2) is refused: kexec-tools cannot help. */
        if (mode && need_tools)
                return fail(err, -EPERM,
                            "the kernel is locked down (%s): %s needs kexec_load (kexec-tools), "
                            "which it refuses; only kexec_file_load of a signed Linux kernel "
                            "works. Turn Secure Boot off to boot it (docs/secure-boot.md)",
                            mode,
                            strv_length(req->modules) > 0 ? "an entry with modules"
                                                          : "a multiboot kernel");
        if (mode && req->reset_vga)
                log_warn("reset-vga ignored: the kernel is locked down (%s) and refuses "
                         "kexec_load, which kexec-tools needs for it",
                         mode);
        if (need_tools || (req->reset_vga && !mode)) {
                tools = boot_find_kexec_tools();
                if (tools) {
                        if (ret_method)
                                *ret_method = BOOT_METHOD_KEXEC_TOOLS;
                        return load_with_tools(req, tools, err);
                }
                if (need_tools)
                        return fail(err, -ENOENT,
                                    "kexec-tools is not installed: it is needed for multiboot "
                                    "kernels and modules");
                log_warn("reset-vga ignored: kexec-tools is not installed");
        }

        r = load_file(req, err);
        if (r == 0) {
                log_info("kernel loaded with kexec_file_load");
                if (ret_method)
                        *ret_method = BOOT_METHOD_FILE_LOAD;
                return 0;
        }
        if (*err)
                return r;
        if (r != -ENOSYS && r != -ENOEXEC)
                return explain_refusal(r, req, false, err);
        /* Locked down, kexec-tools' kexec_load is refused as well: say why the kernel would not
         * take the image. */
        if (r == -ENOEXEC && mode)
                return explain_refusal(r, req, false, err);

        tools = boot_find_kexec_tools();
        if (!tools)
                return explain_refusal(r, req, true, err);
        log_info("trying kexec-tools instead");
        if (ret_method)
                *ret_method = BOOT_METHOD_KEXEC_TOOLS;
        return load_with_tools(req, tools, err);
}

int boot_load(const struct boot_request *req, enum boot_method *ret_method, char **ret_error)
{
        _cleanup_free_ char *err = NULL;
        int r;

        if (ret_error)
                *ret_error = NULL;
        r = load(req, ret_method, &err);
        if (r < 0 && !err)
                (void) fail(&err, r, "cannot load the kernel: %s", strerror(-r));
        return give_error(r, &err, ret_error);
}

void boot_unload(void)
{
#ifdef SYS_kexec_file_load
        if (syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL, (unsigned long) KEXEC_FILE_UNLOAD) == 0)
                return;
        if (errno != ENOSYS) {
                log_debug("kexec_file_load(UNLOAD): %m");
                return;
        }
#endif
#ifdef SYS_kexec_load
        if (syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0UL) < 0)
                log_debug("kexec_load(unload): %m");
#endif
}

int boot_execute(void)
{
        int r;

        log_info("starting the new kernel");
        sync();
        reboot(RB_KEXEC);
        r = -errno;
        log_error("reboot(LINUX_REBOOT_CMD_KEXEC) failed: %s", strerror(-r));
        return r;
}

char *boot_lockdown_mode(const char *securityfs_path)
{
        _cleanup_free_ char *line = NULL;
        const char *open_br, *close_br;

        if (util_read_line(securityfs_path, &line) < 0)
                return NULL;
        open_br = strchr(line, '[');
        if (!open_br)
                return NULL;
        close_br = strchr(open_br + 1, ']');
        if (!close_br || close_br == open_br + 1)
                return NULL;
        return strndup(open_br + 1, (size_t) (close_br - open_br - 1));
}

static bool is_executable(const char *path)
{
        struct stat st;

        return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

char *boot_find_kexec_tools(void)
{
        static const char *const fallbacks[] = {"/sbin/kexec", "/usr/sbin/kexec"};
        const char *env = getenv("PATH");
        _cleanup_free_ char *path = strdup(
                !isempty(env) ? env
                              : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        char *save = NULL;

        if (!path)
                return NULL;
        for (char *dir = strtok_r(path, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
                char *candidate;

                if (dir[0] != '/') /* relative entries would depend on the current directory */
                        continue;
                candidate = util_asprintf("%s%skexec", dir, dir[strlen(dir) - 1] == '/' ? "" : "/");
                if (candidate && is_executable(candidate))
                        return candidate;
                free(candidate);
        }
        for (size_t i = 0; i < ARRAY_SIZE(fallbacks); i++)
                if (is_executable(fallbacks[i]))
                        return strdup(fallbacks[i]);
        return NULL;
}

void boot_plan_done(struct boot_plan *p)
{
        if (p->append) {
                explicit_bzero(p->append, p->append_len);
                (void) munlock(p->append, p->append_len);
                free(p->append);
        }
        free(p->append_note);
        free(p->kernel);
        strv_free(p->initrds);
        strv_free(p->modules);
        free(p->cmdline);
        for (size_t i = 0; i < p->n_fds; i++)
                close(p->fds[i]);
        free(p->fds);
        free(p->initrd_parts);
        *p = (struct boot_plan){0};
}

struct boot_request boot_plan_request(const struct boot_plan *p)
{
        return (struct boot_request){
                .kernel = p->kernel,
                .kernel_part = p->kernel_part.size > 0 ? &p->kernel_part : NULL,
                .initrd_parts = p->initrd_parts,
                .initrds = p->initrds,
                .cmdline = p->cmdline,
                .modules = p->modules,
                .reset_vga = p->reset_vga,
                .append = p->append,
                .append_len = p->append_len,
        };
}
