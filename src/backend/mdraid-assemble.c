/* SPDX-License-Identifier: GPL-2.0-or-later */
/* md RAID arrays assembled read-only from the members of the device list, and stopped again
 * (docs/storage.md, "RAID"). What is written: nothing on any disk. Each member is set read-only
 * (BLKROSET) before mdadm sees it, so md itself starts the array read-only (md_run() switches an
 * array with a read-only member to read-only) and any superblock write mdadm might try fails;
 * mdadm is asked for a read-only assembly (mdraid_assemble_argv()), md_mod's start_ro is set, and
 * the array's state is checked to be read-only before it is used. */
#define LOG_MODULE "mdraid"
#include "backend.h"

#include <fcntl.h>
#include <sys/wait.h>

#include "../core/log.h"
#include "../init/modules.h"
#include "mount.h"
#include "spawn-capture.h"

#define MDADM_TIMEOUT_S  60
#define MDADM_OUTPUT_MAX 4096
#define MD_MINOR_FIRST   127 /* as mdadm picks them: md127, md126, ... */

static const char *const mdadm_paths[] = {"/sbin/mdadm", "/usr/sbin/mdadm", "/bin/mdadm",
                                          "/usr/bin/mdadm"};

static const char *const why_mdadm = "mdadm is not installed (initramfs/mkinitramfs --no-mdadm)";
static const char *const why_ro = "a member could not be made read-only (see the log)";
static const char *const why_level = "its RAID level is not known (mdadm --examine)";
static const char *const why_assemble = "mdadm could not assemble it read-only (see the log)";
static const char *const why_state = "md did not start it read-only: stopped again";
static const char *const why_minor = "no free md device number";
/* not kept in b->md: tried again at the next scan */
static const char *const why_waiting = "members are missing: waiting for them (R assembles it "
                                       "degraded)";

static const char *find_mdadm(void)
{
        for (size_t i = 0; i < ARRAY_SIZE(mdadm_paths); i++)
                if (access(mdadm_paths[i], X_OK) == 0)
                        return mdadm_paths[i];
        return NULL;
}

/* Runs mdadm; its output (the tail) in *ret_out when asked for. The exit status, or -errno. */
static int run_mdadm(char *const *argv, char **ret_out)
{
        _cleanup_free_ char *out = malloc(MDADM_OUTPUT_MAX + 1);
        _cleanup_free_ char *cmd = strv_join(argv, " ");
        size_t len = 0;
        bool timed_out;
        int r, status;

        if (!out || !cmd)
                return -ENOMEM;
        out[0] = 0;
        r = spawn_capture(argv[0], argv, MDADM_TIMEOUT_S, &status, &timed_out, out,
                          MDADM_OUTPUT_MAX, &len);
        if (r < 0) {
                log_error("cannot run %s: %s", cmd, strerror(-r));
                return r;
        }
        util_strip_trailing(out);
        log_info("%s: %s%s", cmd, timed_out ? "timed out; " : "", out);
        if (ret_out) {
                *ret_out = out;
                out = NULL;
        }
        if (timed_out)
                return -ETIMEDOUT;
        return status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -ECHILD;
}

/* md's own read-only state of /sys/block/<kname>: "readonly" (--readonly), or "read-auto"
 * (start_ro: read-only until the first write, which BLKROSET and MS_RDONLY keep away). */
static bool array_read_only(const char *sysroot, const char *kname)
{
        _cleanup_free_ char *path = util_asprintf("%s/block/%s/md/array_state", sysroot, kname);
        _cleanup_free_ char *state = NULL;

        if (!path || util_read_line(path, &state) < 0)
                return false;
        util_strip_trailing(state);
        return streq(state, "readonly") || streq(state, "read-auto");
}

/* The first md device number from 127 down that the kernel has no device for. */
static int free_kname(const char *sysroot, char **ret)
{
        for (int n = MD_MINOR_FIRST; n >= 0; n--) {
                _cleanup_free_ char *path = util_asprintf("%s/block/md%d", sysroot, n);

                if (!path)
                        return -ENOMEM;
                if (access(path, F_OK) < 0 && errno == ENOENT) {
                        *ret = util_asprintf("md%d", n);
                        return *ret ? 0 : -ENOMEM;
                }
        }
        return -ENOSPC;
}

static void load_module(struct modules *m, const char *alias)
{
        int r = m ? modules_load_alias(m, alias) : -ENOENT;

        if (r < 0)
                log_info("module %s: %s (the kernel may have it built in)", alias, strerror(-r));
}

/* md_mod's start_ro: arrays started by anyone (mdadm, the kernel) start read-only. */
static void set_start_ro(const char *sysroot)
{
        _cleanup_free_ char *path = util_asprintf("%s/module/md_mod/parameters/start_ro", sysroot);
        _cleanup_close_ int fd = path ? open(path, O_WRONLY | O_CLOEXEC) : -1;

        if (fd < 0 || write(fd, "1", 1) != 1)
                log_info("cannot set md_mod's start_ro: %s", strerror(errno));
}

static int assemble_one(struct backend *b, const char *mdadm, struct modules *m,
                        struct mdraid_array *a)
{
        _cleanup_strv_ char **argv = NULL;
        _cleanup_free_ char *out = NULL, *kname = NULL, *dev = NULL;
        char *examine[] = {(char *) mdadm, "--examine", "--export", a->members[0], NULL};
        const char *alias;
        int r;

        strv_foreach (p, a->members)
                if (mount_set_read_only(p, NULL) < 0) {
                        a->why = why_ro;
                        return 0;
                }
        r = run_mdadm(examine, &out);
        if (r == -ENOMEM)
                return r;
        if (r != 0 || mdraid_examine_value(out, "MD_LEVEL", &a->level) < 0 ||
            !(alias = mdraid_personality(a->level))) {
                a->why = why_level;
                return 0;
        }
        /* Disks come one after the other (USB, the coldplug): an array waits for all its
         * members, unless R asked for what there is. */
        a->devices = mdraid_examine_devices(out);
        if (a->devices > strv_length(a->members) && !b->md.incomplete_ok) {
                log_info("md array %s (%s): %zu of %u members: waiting for the others",
                         a->name ? a->name : "-", a->uuid, strv_length(a->members), a->devices);
                a->why = why_waiting;
                return 0;
        }
        load_module(m, alias);
        r = free_kname(b->opt.sysroot, &kname);
        if (r < 0) {
                a->why = why_minor;
                return r == -ENOMEM ? r : 0;
        }
        dev = util_asprintf("%s/%s", b->opt.devroot, kname);
        argv = dev ? mdraid_assemble_argv(mdadm, dev, a->members) : NULL;
        if (!argv)
                return -ENOMEM;
        r = run_mdadm(argv, NULL);
        if (r == -ENOMEM)
                return r;
        if (r != 0) {
                a->why = why_assemble;
                return 0;
        }
        a->kname = kname;
        kname = NULL;
        if (!array_read_only(b->opt.sysroot, a->kname)) {
                log_error("%s (%s) is not read-only: stopping it", dev, a->uuid);
                backend_md_stop(b, a);
                a->why = why_state;
                return 0;
        }
        (void) mount_set_read_only(dev, NULL);
        log_info("%s: the md array %s (%s, %s) assembled read-only from %zu members", dev,
                 a->name ? a->name : "-", a->uuid, a->level, strv_length(a->members));
        return 1;
}

int backend_md_assemble(struct backend *b, struct device_list *l)
{
        _cleanup_free_ bool *skip = NULL;
        struct mdraid_list found = {0};
        struct modules *m = NULL;
        const char *mdadm;
        int r, assembled = 0;

        /* Real devices only, as root: not --fs fixtures, nor a sysfs tree of a test. */
        if (b->opt.fs_args || !streq(b->opt.sysroot, "/sys") || geteuid() != 0)
                return 0;
        skip = calloc(l->n + 1, sizeof(*skip));
        if (!skip)
                return -ENOMEM;
        for (size_t i = 0; i < l->n; i++) {
                const struct device *d = &l->items[i];

                if (!mdraid_is_member(d))
                        continue;
                /* in an array already (ours, or one the system had), or of an array tried */
                r = device_sysfs_held(b->opt.sysroot, d->name, &skip[i]);
                if (r < 0)
                        return r;
                skip[i] = skip[i] || mdraid_list_find_uuid(&b->md, d->uuid);
        }
        r = mdraid_group(l, skip, &found);
        if (r < 0 || !found.n)
                return r;
        mdadm = find_mdadm();
        if (mdadm) {
                r = modules_init(&m);
                if (r < 0)
                        log_info("no kernel modules to load md from: %s", strerror(-r));
                load_module(m, "md_mod");
                set_start_ro(b->opt.sysroot);
        }
        r = 0;
        for (size_t i = 0; i < found.n; i++) {
                if (!mdadm) {
                        found.items[i].why = why_mdadm;
                        continue;
                }
                r = assemble_one(b, mdadm, m, &found.items[i]);
                if (r < 0)
                        break;
                assembled += r;
        }
        modules_free(m);
        /* the arrays tried are kept (not tried again), the waiting ones are not */
        for (size_t i = found.n; i-- > 0;)
                if (found.items[i].why == why_waiting)
                        mdraid_list_remove(&found, i);
        if (r >= 0)
                r = mdraid_list_take(&b->md, &found);
        mdraid_list_done(&found);
        if (r < 0 || !assembled)
                return r < 0 ? r : 0;
        /* The arrays' devices, as the device list has them. */
        device_list_done(l);
        r = device_scan_sysfs(b->opt.sysroot, b->opt.devroot, l);
        return r < 0 ? r : assembled;
}

void backend_md_stop(struct backend *b, struct mdraid_array *a)
{
        _cleanup_free_ char *dev = NULL;
        const char *mdadm = find_mdadm();

        if (!a->kname)
                return;
        dev = util_asprintf("%s/%s", b->opt.devroot, a->kname);
        if (dev && mdadm) {
                char *argv[] = {(char *) mdadm, "--stop", dev, NULL};

                if (run_mdadm(argv, NULL) != 0)
                        log_warn("cannot stop %s", dev);
        }
        free(a->kname);
        a->kname = NULL;
}

void backend_md_release(struct backend *b)
{
        if (!b->md.n) {
                b->md.incomplete_ok = true;
                return;
        }
        /* Nothing on them may stay mounted. */
        backend_release(b);
        for (size_t i = 0; i < b->md.n; i++)
                backend_md_stop(b, &b->md.items[i]);
        mdraid_list_done(&b->md);
        /* R: the arrays are assembled again, with what there is of them */
        b->md.incomplete_ok = true;
}
