/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading a kernel with kexec and jumping into it.
 *
 * kexec_file_load(2) first: it works under Secure Boot / lockdown with signed kernels, and several
 * initrds are concatenated into one memfd. kexec-tools' "kexec -l" is the fallback when the
 * syscall is missing (ENOSYS) or refuses the image format (ENOEXEC), and the only way for
 * multiboot entries (modules) and reset-vga. Every failure gets a sentence a user understands. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum boot_method {
        BOOT_METHOD_FILE_LOAD,   /* kexec_file_load(2) */
        BOOT_METHOD_KEXEC_TOOLS, /* kexec -l */
};

/* A part of a file: a section of a unified kernel image (its .linux, .initrd, .ucode). */
struct boot_part {
        uint64_t offset, size; /* size 0: the whole file */
};

struct boot_request {
        const char *kernel;                   /* path in this process's filesystem view */
        const struct boot_part *kernel_part;  /* NULL: the whole file */
        const struct boot_part *initrd_parts; /* one per initrd, or NULL: whole files */
        char *const *initrds;                 /* NULL-terminated, may be NULL */
        const char *cmdline;                  /* may be NULL */
        char *const *modules; /* "path [args]" with a host path, NULL-terminated, may be NULL */
        bool reset_vga;
        /* Bytes appended after the initrds, which are then padded with zeros to a multiple of
         * BOOT_APPEND_ALIGN first (the LUKS key hand-over's cpio archive, keycpio.h). They hold
         * a secret: the joined initrd is built in a memfd only (never a file), and its copy of
         * them is overwritten with zeros once the kernel has loaded it. */
        const void *append;
        size_t append_len;
};
#define BOOT_APPEND_ALIGN 512u

/* A boot entry turned into host paths, ready for boot_check/boot_load (the
 * backend prepares it from a boot entry; it owns the strings boot_request points to). */
struct boot_plan {
        char *kernel;
        char **initrds;
        char **modules; /* "hostpath args" */
        char *cmdline;
        bool reset_vga;
        int *fds; /* memfds the paths above name (/proc/PID/fd/N: files read out of ISO images) */
        size_t n_fds, cap_fds;
        struct boot_part kernel_part;   /* size 0: the whole file */
        struct boot_part *initrd_parts; /* one per initrd, or NULL */
        /* boot_request's append, owned (mlock'ed; zeroed and freed by boot_plan_done), and what
         * it is, for the screen and --dry-run ("key hand-over: …"), or NULL */
        uint8_t *append;
        size_t append_len;
        char *append_note;
};
void boot_plan_done(struct boot_plan *p);
/* The boot_request view of a plan (pointers into the plan). */
struct boot_request boot_plan_request(const struct boot_plan *p);

/* What the kernel file looks like: "bzImage", "ELF", "PE/EFI", "gzip", "zstd", "xz",
 * "multiboot", or NULL when it is not a kernel image we know. */
const char *boot_kernel_format(const char *path);

/* Checks that every file exists, is a regular readable file, and that the kernel looks like a
 * kernel. Used by --dry-run and before loading. */
int boot_check(const struct boot_request *req, char **ret_error);

/* Loads the kernel (not executed yet). ret_method may be NULL. On failure returns -errno and
 * *ret_error explains: missing file, not a kernel, lockdown active, signature rejected, out of
 * memory, no permission. */
int boot_load(const struct boot_request *req, enum boot_method *ret_method, char **ret_error);

/* Unloads a loaded kernel (after a failure later on). */
void boot_unload(void);

/* sync() then reboot(LINUX_REBOOT_CMD_KEXEC). Only returns on failure (-errno). */
int boot_execute(void);

/* The active lockdown mode from /sys/kernel/security/lockdown ("none", "integrity",
 * "confidentiality"), or NULL when unknown. malloc'ed. */
char *boot_lockdown_mode(const char *securityfs_path);

/* Path of kexec-tools' kexec binary (PATH, /sbin, /usr/sbin), or NULL. malloc'ed. */
char *boot_find_kexec_tools(void);

/* What a refusal by the kernel of kexec_file_load(2) is explained with (boot.c gathers it). */
struct boot_refusal {
        int err;              /* the call's errno (positive) */
        const char *lockdown; /* the active lockdown mode, or NULL */
        const char *seen;     /* what the image's own signature says (pesig), or NULL */
        const char *seen_fix; /* locked down, EPERM: the fix that goes with seen (NULL: sign) */
        bool kexec_disabled;  /* kernel.kexec_load_disabled = 1 */
        bool unprivileged;    /* not root, or no CAP_SYS_BOOT */
        bool no_tools;        /* ENOSYS or ENOEXEC, and no kexec-tools to try instead */
        size_t cmdline_len;
};
/* The sentence for it: the cause, the kernel's own reason (its errno's text: "Key was rejected by
 * service", "Exec format error"), then the fix. malloc'ed, NULL: out of memory. */
char *boot_refusal_text(const struct boot_refusal *f);
/* The sentence for kexec -l exiting with code: line is the last line of its output (or NULL),
 * which carries the kernel's reason; lockdown as above. */
char *boot_tools_failure_text(const char *lockdown, const char *line, int code);
