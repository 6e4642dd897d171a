/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Whether an NTFS volume may be read: a Windows that is hibernated, or shut down with Fast
 * Startup, keeps the volume's metadata in the memory image it will resume from; anything read
 * meanwhile may be stale, and a driver that replays the volume's $LogFile would write it. The
 * state is read from the raw device before any mount, as ntfs-3g does
 * (ntfs_volume_check_hiberfile, ntfs_check_logfile/ntfs_is_logfile_clean):
 *  - the boot sector (bytes per sector and cluster, the MFT's cluster, the record size);
 *  - the MFT's own record (0) for its data runs, then records with their update-sequence fixups;
 *  - $Volume (3): $VOLUME_INFORMATION's flags (VOLUME_IS_DIRTY: chkdsk pending);
 *  - $LogFile (2): its restart pages ("RSTR"/"CHKD", fixups): the newer one's restart area is
 *    clean when no client is in use or RESTART_VOLUME_IS_CLEAN is set; a log of only 0xff bytes
 *    is empty (clean);
 *  - hiberfil.sys in the root directory (5; its $I30 index root and every index block): its data
 *    starting with "hibr" or "HIBR" is a hibernated system ("wake": resumed, fine).
 * Everything is bounded: records of 512 bytes to 64 KiB, NTFS_STATE_MAX_RUNS data runs,
 * NTFS_STATE_MAX_INDEX bytes of index blocks, reads only inside dev_size. Pure: the reads go
 * through a callback (a device in backend/ntfs-check.c, a buffer in the tests and the fuzzer). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NTFS_STATE_MAX_RUNS  512         /* data runs decoded per attribute */
#define NTFS_STATE_MAX_INDEX (16u << 20) /* bytes of the root directory's index blocks read */

/* Reads n bytes at off into buf: 0, or -errno (-EIO when they are not all there). */
typedef int (*ntfs_read_fn)(void *userdata, uint64_t off, void *buf, size_t n);

struct ntfs_state {
        uint16_t volume_flags; /* $VOLUME_INFORMATION's flags */
        bool dirty;            /* VOLUME_IS_DIRTY */
        bool log_empty;        /* $LogFile holds only 0xff bytes (reset by chkdsk or mkntfs) */
        bool log_clean;        /* the restart area says clean (or the log is empty) */
        bool hiberfile;        /* hiberfil.sys is in the root directory */
        bool hibernated;       /* and starts with "hibr" or "HIBR" */
        char hiber_magic[5];   /* its first 4 bytes, NUL-terminated ("" when it is empty) */
        uint64_t mft_record;   /* hiberfil.sys's MFT record number */
        /* Where the values are on the device (bytes from its start; 0: not there), for the
         * tests, which patch them: $VOLUME_INFORMATION's flags, the restart area's flags of the
         * restart page that was used, hiberfil.sys's first data byte and $LogFile's. */
        uint64_t volume_flags_at, restart_flags_at, hiber_data_at, log_data_at;
};

/* Reads the state of the NTFS volume of dev_size bytes. 0 (*ret filled), -EMEDIUMTYPE when it
 * is no NTFS volume (no "NTFS    " boot sector), -EBADMSG when its structures do not parse (or
 * exceed the bounds), -ENOMEM, or the read callback's error. */
int ntfs_state_read(ntfs_read_fn read, void *userdata, uint64_t dev_size, struct ntfs_state *ret);

/* Why the volume must not be mounted (a sentence for the device list), or NULL when it may be
 * mounted read-only (a volume that is only marked dirty may). */
const char *ntfs_state_refusal(const struct ntfs_state *s);
/* The same for an error of ntfs_state_read() (other than -EMEDIUMTYPE): the state cannot be
 * told, so the volume is not mounted either. */
const char *ntfs_state_error_refusal(int r);
