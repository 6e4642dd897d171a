/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The LUKS key hand-over (issue 12, opt-in per boot): after an unlock, the key can go to the
 * target so that its initramfs does not ask for the passphrase again. As Heads'
 * kexec-insert-key and nmbl do, a small newc cpio archive holding the key file and a crypttab
 * naming it is appended to the target's initrd (the kernel unpacks every archive of the
 * initramfs in order, a later file replacing an earlier one), in memory only.
 *
 * What the target's initramfs reads depends on its generator (docs/storage.md, "The key
 * hand-over"):
 *
 *   generator          found by                     key file                crypttab
 *   dracut             usr/lib/dracut/              secret.key              etc/crypttab
 *   initramfs-tools    conf/initramfs.conf+scripts/ cryptroot/keyfiles/N.key cryptroot/crypttab
 *   mkinitcpio         buildconfig+hooks/encrypt    crypto_keyfile.bin      (none)
 *   mkinitcpio systemd buildconfig+cryptsetup gen.  secret.key              etc/crypttab
 *
 * The crypttab is the target initrd's own one with the entry of the volume rewritten to name
 * the key file (its name and options kept; keyscript=, keyfile-offset=, keyfile-size= dropped),
 * or, when the volume has no entry, that crypttab plus `luks-<UUID> UUID=<UUID> KEY luks`.
 * Everything here is pure: the caller lists and reads the target's initrd. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum keycpio_gen {
        KEYCPIO_GEN_UNKNOWN,
        KEYCPIO_GEN_DRACUT,
        KEYCPIO_GEN_INITRAMFS_TOOLS,
        KEYCPIO_GEN_MKINITCPIO,         /* the busybox `encrypt` hook */
        KEYCPIO_GEN_MKINITCPIO_SYSTEMD, /* the `sd-encrypt` hook */
};

#define KEYCPIO_BLOCK   512u          /* the archive's size and the initrd's are padded to this */
#define KEYCPIO_MAX_KEY (8u << 20)    /* cryptsetup's default key file limit (8 MiB) */
#define KEYCPIO_MAX_TAB (256u * 1024) /* the target's crypttab (CRYPTTAB_MAX_FILE) */

/* The generator that made an initrd, from the names of its members ("usr/lib/dracut/…",
 * "./conf/initramfs.conf", "/hooks/encrypt": a leading "./" or "/" is ignored). */
enum keycpio_gen keycpio_detect(const char *const *names, size_t n);
/* "dracut", "initramfs-tools", "mkinitcpio", "mkinitcpio (sd-encrypt)", or "unknown". */
const char *keycpio_gen_name(enum keycpio_gen g);

/* Where the key file and the crypttab go for a generator: paths inside the initramfs without
 * the leading `/` (crypttab NULL: none is written). The key path of initramfs-tools holds the
 * mapping's name: keycpio_key_path() fills it in. NULL for KEYCPIO_GEN_UNKNOWN. */
const char *keycpio_crypttab_path(enum keycpio_gen g);
/* The key file's path for a mapping name ("secret.key", "cryptroot/keyfiles/sda5_crypt.key"):
 * malloc'ed, NULL on OOM or for an unknown generator. */
char *keycpio_key_path(enum keycpio_gen g, const char *name);

/* The crypttab for the target: orig (its initrd's crypttab at keycpio_crypttab_path(), len
 * bytes; NULL or empty when it has none) with the entry whose device is UUID=uuid (or
 * /dev/disk/by-uuid/uuid) naming the key file, or a new entry `luks-<uuid>`. *ret_name gets the
 * mapping's name (malloc'ed). Lines holding a NUL byte are dropped. Returns 0, -EINVAL (uuid not a
 * plain UUID, orig too long) or -ENOMEM. */
int keycpio_crypttab(enum keycpio_gen g, const char *orig, size_t len, const char *uuid, char **ret,
                     char **ret_name);

/* A newc ("070701") cpio archive being built in memory. Its buffer is zeroed before it is freed
 * or moved (it holds a key). */
struct keycpio {
        uint8_t *data;
        size_t len, cap;
        uint32_t ino;
};
/* Adds a directory, or a regular file (owner 0:0, mtime 0). name has no leading `/`. Returns 0,
 * -EINVAL (empty name, a `..` component, too long) or -ENOMEM. */
int keycpio_add_dir(struct keycpio *c, const char *name, mode_t perm);
int keycpio_add_file(struct keycpio *c, const char *name, mode_t perm, const void *data,
                     size_t len);
/* Adds the TRAILER!!! entry and pads the archive with zeros to a multiple of KEYCPIO_BLOCK. */
int keycpio_finish(struct keycpio *c);
/* Zeroes and frees the buffer. */
void keycpio_done(struct keycpio *c);

/* The zeros to append to an initrd of initrd_len bytes before the archive (to KEYCPIO_BLOCK). */
size_t keycpio_initrd_pad(uint64_t initrd_len);

/* The whole hand-over archive for a generator: the directories, the key file (mode 0400) and
 * the crypttab (mode 0644, from keycpio_crypttab()), finished. orig: the target initrd's
 * crypttab (may be NULL). Returns 0, -EOPNOTSUPP (unknown generator), -EINVAL or -ENOMEM. */
int keycpio_build(enum keycpio_gen g, const char *uuid, const void *key, size_t key_len,
                  const char *orig, size_t orig_len, struct keycpio *ret);

/* The uncompressed newc archives ("070701", "070702") at the start of an initrd, read as the
 * kernel's init/initramfs.c reads them: members up to each TRAILER!!!, zeros between archives
 * skipped (dracut's and initramfs-tools' early microcode archive comes first, the compressed
 * main archive after it). cb gets each member but the trailers (name NUL-terminated inside buf,
 * its data and size); a non-zero return stops the walk and is returned. *ret_end: where the
 * first data that is not an uncompressed archive starts (len when there is none). Returns 0, the
 * callback's value, or -EBADMSG (a header that is not hex, a name without its NUL, a member
 * running past the end). Pure and bounded by len. */
struct keycpio_member {
        const char *name; /* as stored ("kernel/x86/microcode/GenuineIntel.bin", "./init") */
        uint32_t mode;
        const uint8_t *data;
        size_t size;
};
typedef int (*keycpio_member_cb)(const struct keycpio_member *m, void *userdata);
int keycpio_newc_scan(const uint8_t *buf, size_t len, keycpio_member_cb cb, void *userdata,
                      size_t *ret_end);
