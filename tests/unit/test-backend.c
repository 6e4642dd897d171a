/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The backend against --fs fixture directories: search order, entries with file references,
 * mount points, late resolution, the device table and the JSON document. */
#include "test.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "backend/backend.h"

/* A fresh directory for one test's filesystems, below the program's scratch directory. */
static char *fixture_root(void)
{
        static unsigned n;
        _cleanup_free_ char *name = util_asprintf("backend-%u", n++);

        return name ? test_scratch_subdir(name) : NULL;
}

TEST(search_order_and_entries)
{
        _cleanup_free_ char *root = fixture_root();
        _cleanup_free_ char *fs0 = NULL, *fs1 = NULL;
        _cleanup_strv_ char **fs = NULL;
        struct backend b;

        REQUIRE(root);
        test_write(root, "a/kexec-loader.conf", "title From A\nroot sda1\nkernel /k\n");
        test_write(root, "b/kexec-loader.conf",
                   "timeout 3\ntitle From B\nroot LABEL=b\nmount sda1 /boot\nkernel /boot/vmlinuz\n"
                   "initrd /boot/i1 /i2\nmodule /boot/mod x=1\ncmdline c\nappend a\ndefault\n");
        fs0 = util_asprintf("%s/a,dev=/dev/sda1,uuid=AAAA", root);
        fs1 = util_asprintf("%s/b,dev=/dev/sdb1,label=b", root);
        strv_push(&fs, fs0);
        strv_push(&fs, fs1);

        /* Without kexec_config=, the first filesystem in order wins. */
        struct backend_options o = {.fs_args = fs, .cmdline_text = ""};
        REQUIRE(backend_init(&b, &o) == 0);
        REQUIRE(backend_scan_devices(&b, NULL) == 0);
        CHECK_INTEQ(b.devices.n, 2);
        CHECK_INTEQ(backend_load_config(&b), 1);
        REQUIRE(b.n_entries == 1);
        CHECK_STREQ(b.entries[0].title, "From A");
        CHECK_STREQ(b.config_fs, "/dev/sda1");
        backend_done(&b);

        /* kexec_config= goes first. */
        o.cmdline_text = "ro kexec_config=LABEL=b";
        REQUIRE(backend_init(&b, &o) == 0);
        REQUIRE(backend_scan_devices(&b, NULL) == 0);
        CHECK_INTEQ(backend_load_config(&b), 1);
        REQUIRE(b.n_entries == 1);
        const struct boot_entry *e = &b.entries[0];
        CHECK_STREQ(e->title, "From B");
        CHECK_STREQ(b.config_fs, "/dev/sdb1");
        /* /boot is another filesystem: the kernel is /vmlinuz on sda1. */
        CHECK_STREQ(backend_ref_fs(&b, &e->kernel), "/dev/sda1");
        CHECK_STREQ(e->kernel.path, "/vmlinuz");
        REQUIRE(e->n_initrds == 2);
        CHECK_STREQ(backend_ref_fs(&b, &e->initrds[0]), "/dev/sda1");
        CHECK_STREQ(e->initrds[0].path, "/i1");
        CHECK_STREQ(backend_ref_fs(&b, &e->initrds[1]), "/dev/sdb1");
        CHECK_STREQ(e->initrds[1].path, "/i2");
        REQUIRE(e->n_modules == 1);
        CHECK_STREQ(e->modules[0].path, "/mod");
        CHECK_STREQ(e->modules[0].args, "x=1");
        CHECK_STREQ(e->cmdline, "c a");
        CHECK_INTEQ(backend_timeout(&b), 3);
        CHECK_INTEQ(backend_default_entry(&b), 0);
        CHECK(backend_entry_problem(&b, e) == NULL);

        /* Host paths for booting. */
        struct boot_plan p;
        char *err = NULL;
        CHECK(backend_prepare(&b, e, NULL, NULL, &p, &err) < 0); /* the files do not exist */
        CHECK(err && strstr(err, "not found"));
        free(err);
        backend_done(&b);
}

TEST(late_resolution)
{
        _cleanup_free_ char *root = fixture_root();
        _cleanup_free_ char *fs0 = NULL, *fs1 = NULL;
        _cleanup_strv_ char **fs = NULL;
        struct backend b;
        bool changed = false;

        REQUIRE(root);
        test_write(root, "a/kexec-loader.conf", "title Later\nroot UUID=late-disk\nkernel /k\n");
        test_write(root, "b/k", "");
        fs0 = util_asprintf("%s/a,dev=/dev/sda1", root);
        fs1 = util_asprintf("%s/b,dev=/dev/sdc1,uuid=LATE-DISK", root);
        strv_push(&fs, fs0);

        struct backend_options o = {.fs_args = fs, .cmdline_text = ""};
        REQUIRE(backend_init(&b, &o) == 0);
        REQUIRE(backend_scan_devices(&b, &changed) == 0);
        CHECK(changed);
        CHECK_INTEQ(backend_load_config(&b), 1);
        REQUIRE(b.n_entries == 1);
        char *why = backend_entry_problem(&b, &b.entries[0]);
        CHECK_STREQ(why, "UUID=late-disk is not present");
        free(why);
        CHECK(b.entries[0].kernel.device < 0);

        struct json j;
        json_init(&j);
        backend_to_json(&b, &j);
        CHECK(strstr(json_text(&j), "\"kernel\": {\"fs\": \"UUID=late-disk\", \"path\": \"/k\", "
                                    "\"resolved\": false}") != NULL);
        json_done(&j);

        /* The disk appears: the same entry resolves by itself (UUIDs match in any case). */
        strv_push(&fs, fs1);
        b.opt.fs_args = fs;
        REQUIRE(backend_scan_devices(&b, &changed) == 0);
        CHECK(changed);
        CHECK(backend_entry_problem(&b, &b.entries[0]) == NULL);
        CHECK_STREQ(backend_ref_fs(&b, &b.entries[0].kernel), "/dev/sdc1");
        REQUIRE(backend_scan_devices(&b, &changed) == 0);
        CHECK(!changed);
        backend_done(&b);
}

TEST(no_config_and_diagnostics)
{
        _cleanup_free_ char *root = fixture_root();
        _cleanup_free_ char *fs0 = NULL;
        _cleanup_strv_ char **fs = NULL;
        struct backend b;

        REQUIRE(root);
        test_write(root, "a/empty", "");
        fs0 = util_asprintf("%s/a", root);
        strv_push(&fs, fs0);
        struct backend_options o = {.fs_args = fs, .cmdline_text = "kexec_wait=x"};
        REQUIRE(backend_init(&b, &o) == 0);
        CHECK(b.cmdline_warning != NULL);
        REQUIRE(backend_scan_devices(&b, NULL) == 0);
        CHECK_STREQ(b.devices.items[0].name, "fs0");
        CHECK_INTEQ(backend_load_config(&b), 0);
        CHECK(!b.config_found);
        CHECK_INTEQ(b.n_entries, 0);
        CHECK_INTEQ(backend_default_entry(&b), -1);

        test_write(root, "a/kexec-loader.conf", "timeout x\ntitle T\nkernel /k\n");
        CHECK_INTEQ(backend_load_config(&b), 1);
        CHECK_INTEQ(b.n_entries, 0);
        CHECK(b.diags.n >= 2);
        CHECK_STREQ(b.diags.items[0].file, "/kexec-loader.conf");
        CHECK_INTEQ(b.diags.items[0].line, 1);

        char **rows = backend_device_table(&b);
        REQUIRE(rows && rows[0] && rows[1]);
        CHECK(strncmp(rows[0], "Device", 6) == 0);
        CHECK(strncmp(rows[1], "fs0", 3) == 0);
        strv_free(rows);
        backend_done(&b);
}

TEST(empty_config_does_not_hide_others)
{
        _cleanup_free_ char *root = fixture_root();
        _cleanup_free_ char *fs0 = NULL, *fs1 = NULL, *fs2 = NULL;
        _cleanup_strv_ char **fs = NULL;
        struct backend b;

        REQUIRE(root);
        /* A fresh stick: only comments and a timeout. */
        test_write(root, "stick/kexec-loader.conf", "# fill me in\ntimeout 5\n");
        test_write(root, "disk/kexec-loader.conf", "title Installed\nroot sdb1\nkernel /k\n");
        fs0 = util_asprintf("%s/stick,dev=/dev/sda1", root);
        fs1 = util_asprintf("%s/disk,dev=/dev/sdb1", root);
        strv_push(&fs, fs0);
        strv_push(&fs, fs1);

        struct backend_options o = {.fs_args = fs, .cmdline_text = ""};
        REQUIRE(backend_init(&b, &o) == 0);
        REQUIRE(backend_scan_devices(&b, NULL) == 0);
        CHECK_INTEQ(backend_load_config(&b), 1);
        CHECK_STREQ(b.config_fs, "/dev/sdb1");
        REQUIRE(b.n_entries == 1);
        CHECK_STREQ(b.entries[0].title, "Installed");
        backend_done(&b);

        /* Named with kexec_config=, the empty one is used as it is. */
        o.cmdline_text = "kexec_config=sda1";
        REQUIRE(backend_init(&b, &o) == 0);
        REQUIRE(backend_scan_devices(&b, NULL) == 0);
        CHECK_INTEQ(backend_load_config(&b), 1);
        CHECK_STREQ(b.config_fs, "/dev/sda1");
        CHECK_INTEQ(b.n_entries, 0);
        CHECK_INTEQ(backend_timeout(&b), 5);
        backend_done(&b);

        /* Only empty ones: the first found still counts. */
        fs2 = util_asprintf("%s/stick,dev=/dev/sdc1", root);
        free(fs[1]);
        fs[1] = strdup(fs2);
        o.cmdline_text = "";
        REQUIRE(backend_init(&b, &o) == 0);
        REQUIRE(backend_scan_devices(&b, NULL) == 0);
        CHECK_INTEQ(backend_load_config(&b), 1);
        CHECK_STREQ(b.config_fs, "/dev/sda1");
        CHECK_INTEQ(backend_timeout(&b), 5);
        backend_done(&b);
}

static size_t count_title(const struct backend *b, const char *title)
{
        size_t n = 0;

        for (size_t i = 0; i < b->n_entries; i++)
                n += streq(b->entries[i].title, title);
        return n;
}

/* A device event re-reads only the filesystems that came or changed. */
TEST(rescan_reads_only_what_changed)
{
        _cleanup_free_ char *root = fixture_root();
        _cleanup_free_ char *a = NULL, *b1 = NULL, *b2 = NULL, *c = NULL, *d = NULL;
        char *fs[5] = {0};
        struct backend b;
        bool changed;

        REQUIRE(root);
        test_write(root, "a/boot/grub/grub.cfg",
                   "menuentry A1 {\nlinux /vmlinuz\n}\nmenuentry A2 {\nlinux /vmlinuz x\n}\n");
        test_write(root, "b/boot/grub/grub.cfg", "menuentry B {\nlinux /vmlinuz\n}\n");
        test_write(root, "c/loader/entries/c.conf", "title C\nlinux /vmlinuz\n");
        /* An ESP whose stub looks for another filesystem: read again every time. */
        test_write(root, "d/EFI/debian/grub.cfg",
                   "search --no-floppy --fs-uuid --set=root bbbb\nconfigfile "
                   "($root)/boot/grub/grub.cfg\n");
        a = util_asprintf("%s/a,dev=/dev/sda1", root);
        b1 = util_asprintf("%s/b,dev=/dev/sdb1,uuid=bbbb", root);
        b2 = util_asprintf("%s/b,dev=/dev/sdb1,uuid=bbbb,label=new", root);
        c = util_asprintf("%s/c,dev=/dev/sdc1", root);
        d = util_asprintf("%s/d,dev=/dev/sdd1", root);
        fs[0] = a;
        fs[1] = b1;

        struct backend_options o = {.fs_args = fs, .cmdline_text = ""};
        REQUIRE(backend_init(&b, &o) == 0);
        REQUIRE(backend_scan_devices(&b, NULL) == 0);
        CHECK_INTEQ(backend_load_config(&b), 0);
        CHECK_INTEQ(b.fs_reads, 2);
        CHECK_INTEQ(b.n_entries, 3);

        /* Nothing changed: nothing is read again, the same entries are there. */
        CHECK_INTEQ(backend_load_config(&b), 0);
        CHECK_INTEQ(b.fs_reads, 2);
        CHECK_INTEQ(b.n_entries, 3);
        CHECK(count_title(&b, "A1") == 1 && count_title(&b, "A2") == 1 &&
              count_title(&b, "B") == 1);

        /* c comes: only c is read. */
        fs[2] = c;
        REQUIRE(backend_scan_devices(&b, &changed) == 0);
        CHECK(changed);
        CHECK_INTEQ(backend_load_config(&b), 0);
        CHECK_INTEQ(b.fs_reads, 3);
        CHECK_INTEQ(b.n_entries, 4);
        CHECK_INTEQ(count_title(&b, "C"), 1);

        /* a goes: its entries go, nothing is read. */
        fs[0] = b1;
        fs[1] = c;
        fs[2] = NULL;
        REQUIRE(backend_scan_devices(&b, &changed) == 0);
        CHECK(changed);
        CHECK_INTEQ(backend_load_config(&b), 0);
        CHECK_INTEQ(b.fs_reads, 3);
        CHECK_INTEQ(b.n_entries, 2);
        CHECK_INTEQ(count_title(&b, "A1"), 0);
        CHECK_INTEQ(count_title(&b, "B"), 1);

        /* b changes (a new label: another filesystem under the same name): b is read again. */
        fs[0] = b2;
        REQUIRE(backend_scan_devices(&b, &changed) == 0);
        CHECK(changed);
        CHECK_INTEQ(backend_load_config(&b), 0);
        CHECK_INTEQ(b.fs_reads, 4);
        CHECK_INTEQ(b.n_entries, 2);

        /* d's stub searched another filesystem: d is read on every load, the others are not. */
        fs[2] = d;
        REQUIRE(backend_scan_devices(&b, &changed) == 0);
        CHECK_INTEQ(backend_load_config(&b), 0);
        CHECK_INTEQ(b.fs_reads, 5);
        CHECK_INTEQ(count_title(&b, "B"), 2); /* on sdb1 and through sdd1's stub */
        CHECK_INTEQ(backend_load_config(&b), 0);
        CHECK_INTEQ(b.fs_reads, 6);
        CHECK_INTEQ(b.n_entries, 3);

        /* R: everything is read again. */
        backend_forget_imports(&b);
        CHECK_INTEQ(backend_load_config(&b), 0);
        CHECK_INTEQ(b.fs_reads, 9);
        CHECK_INTEQ(b.n_entries, 3);
        backend_done(&b);
}

/* mkstick's marker makes a filesystem kexec-loader's own stick: none of its boot loader
 * configurations is read, with no kexec-loader.conf there; without the marker they are. */
/* Issue 14, scale: reading N filesystems looks each one up in the device list about once, not
 * once per file its imports read (that was N^2 string comparisons: 1000 filesystems took 0.5 ms
 * each, 3000 took 0.6 ms; docs/performance.md "Scale"). Counted, not timed. */
TEST(many_filesystems_one_lookup_each)
{
        enum { N = 64 };
        _cleanup_free_ char *root = fixture_root();
        char *fs[N + 1] = {0};
        struct backend b;

        REQUIRE(root);
        for (int i = 0; i < N; i++) {
                _cleanup_free_ char *cfg = util_asprintf("d%d/boot/grub/grub.cfg", i);
                _cleanup_free_ char *text = util_asprintf(
                        "menuentry 'Linux %d' {\nlinux /boot/vmlinuz\ninitrd /boot/initrd.img\n}\n",
                        i);

                REQUIRE(cfg && text);
                test_write(root, cfg, text);
                fs[i] = util_asprintf("%s/d%d,dev=/dev/vd%c%c1", root, i, 'a' + i / 26,
                                      'a' + i % 26);
                REQUIRE(fs[i]);
        }
        struct backend_options o = {.fs_args = fs, .cmdline_text = ""};
        REQUIRE(backend_init(&b, &o) == 0);
        REQUIRE(backend_scan_devices(&b, NULL) == 0);
        CHECK_INTEQ(backend_load_config(&b), 0);
        CHECK_INTEQ(b.fs_reads, N);
        CHECK_INTEQ(b.n_entries, N);
        /* each filesystem itself once; its grub.cfg names no other device */
        CHECK_INTEQ(b.device_lookups, N);
        backend_done(&b);
        for (int i = 0; i < N; i++)
                free(fs[i]);
}

TEST(stick_marker)
{
        _cleanup_free_ char *root = fixture_root();
        _cleanup_free_ char *stick = NULL, *disk = NULL, *marker = NULL;
        char *fs[3] = {0};
        struct backend b;

        REQUIRE(root);
        test_write(root, "stick/" BACKEND_STICK_MARKER, "kexec-loader stick\n");
        test_write(root, "stick/syslinux.cfg",
                   "DEFAULT k\nLABEL k\n  MENU LABEL Stick syslinux\n  LINUX /vmlinuz\n");
        test_write(root, "stick/EFI/BOOT/grub.cfg",
                   "menuentry 'Stick GRUB' {\nlinux /vmlinuz\n}\n");
        test_write(root, "stick/EFI/debian/grub.cfg",
                   "menuentry 'Stick GRUB' {\nlinux /vmlinuz\n}\n");
        test_write(root, "disk/boot/grub/grub.cfg", "menuentry Disk {\nlinux /vmlinuz\n}\n");
        stick = util_asprintf("%s/stick,dev=/dev/sdb1", root);
        disk = util_asprintf("%s/disk,dev=/dev/sda1", root);
        marker = util_asprintf("%s/stick/" BACKEND_STICK_MARKER, root);
        REQUIRE(stick && disk && marker);
        fs[0] = stick;
        fs[1] = disk;

        struct backend_options o = {.fs_args = fs, .cmdline_text = ""};
        REQUIRE(backend_init(&b, &o) == 0);
        REQUIRE(backend_scan_devices(&b, NULL) == 0);
        CHECK_INTEQ(backend_load_config(&b), 0);
        CHECK(b.autodetected);
        CHECK_INTEQ(b.n_entries, 1);
        CHECK_INTEQ(count_title(&b, "Disk"), 1);

        /* Without the marker the stick's own entries are listed (what it is there to stop). */
        REQUIRE(unlink(marker) == 0);
        backend_forget_imports(&b);
        CHECK_INTEQ(backend_load_config(&b), 0);
        CHECK_INTEQ(count_title(&b, "Stick syslinux"), 1);
        CHECK_INTEQ(count_title(&b, "Stick GRUB"), 1);
        CHECK_INTEQ(count_title(&b, "Disk"), 1);
        backend_done(&b);
}

/* Duplicates (the same title, kernel, initrds and command line) are dropped in linear time;
 * entries that differ in any of them are not duplicates. */
TEST(duplicates_dropped)
{
        _cleanup_free_ char *root = fixture_root();
        _cleanup_free_ char *a = NULL, *cfg = NULL;
        char *fs[2] = {0};
        struct backend b;

        REQUIRE(root);
        cfg = strdup("");
        for (int i = 0; i < 3; i++) {
                char *n = util_asprintf("%smenuentry T {\nlinux /k x\ninitrd /i\n}\n"
                                        "menuentry T {\nlinux /k y\ninitrd /i\n}\n"
                                        "menuentry T {\nlinux /k x\ninitrd /j\n}\n"
                                        "menuentry T {\nlinux /k2 x\ninitrd /i\n}\n"
                                        "menuentry U {\nlinux /k x\ninitrd /i\n}\n"
                                        "menuentry T {\nlinux /k x\ninitrd /i /j\n}\n"
                                        "menuentry NoKernel {\ntrue\n}\n",
                                        cfg);
                free(cfg);
                cfg = n;
                REQUIRE(cfg);
        }
        test_write(root, "a/boot/grub/grub.cfg", cfg);
        a = util_asprintf("%s/a,dev=/dev/sda1", root);
        fs[0] = a;
        struct backend_options o = {.fs_args = fs, .cmdline_text = ""};
        REQUIRE(backend_init(&b, &o) == 0);
        REQUIRE(backend_scan_devices(&b, NULL) == 0);
        CHECK_INTEQ(backend_load_config(&b), 0);
        /* Six different entries once each; the entries without a kernel all three times. */
        CHECK_INTEQ(b.n_entries, 6 + 3);
        CHECK_INTEQ(count_title(&b, "T"), 5);
        CHECK_INTEQ(count_title(&b, "NoKernel"), 3);
        backend_done(&b);
}

/* Enough of a bzImage for boot_check ("HdrS" at 0x202). */
static void put_kernel(const char *root, const char *rel)
{
        char data[4096] = {0};

        memcpy(data + 0x202, "HdrS", 4);
        data[0x1fe] = 0x55;
        data[0x1ff] = (char) 0xaa;
        test_write(root, rel, "");
        _cleanup_free_ char *p = util_asprintf("%s/%s", root, rel);
        FILE *f = fopen(p, "w");
        if (f) {
                fwrite(data, 1, sizeof(data), f);
                fclose(f);
        }
}

static bool has_diag(const struct backend *b, const char *fs, const char *file, const char *text)
{
        return test_diag_has(&b->diags, fs, file, 0, text);
}

/* The boot plan's host path of entry i, or the error. */
static char *prepare(struct backend *b, size_t i, char **ret_error)
{
        struct boot_plan p;
        char *k;

        *ret_error = NULL;
        if (backend_prepare(b, &b->entries[i], NULL, NULL, &p, ret_error) < 0)
                return NULL;
        k = strdup(p.kernel);
        boot_plan_done(&p);
        backend_release(b);
        return k;
}

/* FIFOs where kexec-loader.conf, device.map, a kernel, an initrd and a module are expected; kernels
 * named through links inside and out of the filesystem. */
TEST(hostile_files_and_links)
{
        _cleanup_free_ char *root = fixture_root();
        _cleanup_free_ char *fs0 = NULL, *fs1 = NULL, *p = NULL, *out = NULL, *real = NULL;
        _cleanup_strv_ char **fs = NULL;
        struct backend b;
        char *err, *k;

        REQUIRE(root);
        p = util_asprintf("%s/a/kexec-loader.conf", root);
        test_write(root, "a/x", "");
        REQUIRE(mkfifo(p, 0644) == 0);
        test_write(root, "b/kexec-loader.conf",
                   "title Linked\nroot sdb1\nkernel /vmlinuz\n"
                   "title FifoKernel\nroot sdb1\nkernel /boot/fifo\n"
                   "title FifoInitrd\nroot sdb1\nkernel /boot/vmlinuz-x\ninitrd /boot/fifo\n"
                   "title Out\nroot sdb1\nkernel /out\n"
                   "title Up\nroot sdb1\nkernel /boot/../../kernel-outside\n"
                   "title FifoModule\nroot sdb1\nkernel /boot/vmlinuz-x\nmodule /boot/fifo x=1\n");
        put_kernel(root, "b/boot/vmlinuz-x");
        put_kernel(root, "kernel-outside");
        free(p);
        p = util_asprintf("%s/b/boot/fifo", root);
        REQUIRE(mkfifo(p, 0644) == 0);
        free(p);
        p = util_asprintf("%s/b/boot/grub/device.map", root);
        test_write(root, "b/boot/grub/x", "");
        REQUIRE(mkfifo(p, 0644) == 0);
        free(p);
        p = util_asprintf("%s/b/vmlinuz", root);
        REQUIRE(symlink("/boot/vmlinuz-x", p) == 0);
        free(p);
        p = util_asprintf("%s/b/out", root);
        out = util_asprintf("%s/kernel-outside", root);
        REQUIRE(symlink(out, p) == 0);
        fs0 = util_asprintf("%s/a,dev=/dev/sda1", root);
        fs1 = util_asprintf("%s/b,dev=/dev/sdb1", root);
        strv_push(&fs, fs0);
        strv_push(&fs, fs1);

        struct backend_options o = {.fs_args = fs, .cmdline_text = ""};
        REQUIRE(backend_init(&b, &o) == 0);
        REQUIRE(backend_scan_devices(&b, NULL) == 0);
        CHECK_INTEQ(backend_load_config(&b), 1);
        CHECK_STREQ(b.config_fs, "/dev/sdb1");
        CHECK(has_diag(&b, "/dev/sda1", "/kexec-loader.conf", "not a regular file"));
        CHECK(has_diag(&b, "/dev/sdb1", "/boot/grub/device.map", "not a regular file"));
        REQUIRE(b.n_entries == 6);

        /* /vmlinuz -> /boot/vmlinuz-x: the kernel of the same filesystem. */
        k = prepare(&b, 0, &err);
        real = util_asprintf("%s/b/boot/vmlinuz-x", root);
        CHECK_STREQ(k, real);
        free(k);
        free(err);
        /* An error of the load names the host path: told as the entry names the file. */
        {
                struct boot_plan pl;
                char *msg;

                err = NULL;
                REQUIRE(backend_prepare(&b, &b.entries[0], NULL, NULL, &pl, &err) == 0);
                msg = util_asprintf("kexec -l failed: Cannot load %s", pl.kernel);
                backend_plan_explain(&b, &b.entries[0], &pl, &msg);
                CHECK_STREQ(msg, "kexec -l failed: Cannot load /vmlinuz on /dev/sdb1");
                free(msg);
                boot_plan_done(&pl);
                backend_release(&b);
        }
        k = prepare(&b, 1, &err);
        CHECK(!k);
        CHECK_STREQ(err, "cannot read kernel /boot/fifo on /dev/sdb1: not a regular file");
        free(err);
        k = prepare(&b, 2, &err);
        CHECK(!k);
        CHECK_STREQ(err, "cannot read initrd /boot/fifo on /dev/sdb1: not a regular file");
        free(err);
        /* A link to the host path of a kernel outside, and ".." past the root: not found. */
        k = prepare(&b, 3, &err);
        CHECK(!k);
        CHECK_STREQ(err, "kernel /out on /dev/sdb1 not found");
        free(err);
        k = prepare(&b, 4, &err);
        CHECK(!k);
        CHECK_STREQ(err, "kernel /boot/../../kernel-outside on /dev/sdb1 not found");
        free(err);
        k = prepare(&b, 5, &err);
        CHECK(!k);
        CHECK_STREQ(err, "cannot read module /boot/fifo on /dev/sdb1: not a regular file");
        free(err);
        backend_done(&b);
}

/* Under lockdown (a fake securityfs file and keys file), every entry's kernel judged before
 * Enter: the Debian-signed GRUB image (a real PE signed like the Debian kernel) trusted through the
 * Debian CA's key id, the same image stripped of its signature, a file that is no PE image, an
 * entry with modules; then the cache: a second pass reads nothing again. */
TEST(signatures_under_lockdown)
{
        _cleanup_free_ char *root = fixture_root(), *fs0 = NULL, *sys = NULL, *keys = NULL,
                            *cmd = NULL, *hex = NULL, *keytext = NULL;
        _cleanup_strv_ char **fs = NULL;
        struct pesig_info info;
        const struct pesig_cert *c;
        const struct backend_signature *s;
        size_t akid_len;
        struct backend b;
        struct json j;

        REQUIRE(root);
        test_write(root, "a/kexec-loader.conf",
                   "title Signed\nroot sda1\nkernel /signed\n"
                   "title Unsigned\nroot sda1\nkernel /unsigned\n"
                   "title Text\nroot sda1\nkernel /text\n"
                   "title Modules\nroot sda1\nkernel /signed\nmodule /text\n"
                   "title Missing\nroot sda1\nkernel /missing\n");
        test_write(root, "a/text", "not a kernel\n");
        cmd = util_asprintf("cp /usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed %s/a/signed && "
                            "cp %s/a/signed %s/a/unsigned && sbattach --remove %s/a/unsigned",
                            root, root, root, root);
        REQUIRE(cmd && system(cmd) == 0);
        /* The Debian CA as /proc/keys shows it: its key id is the signer's authority key id. */
        {
                _cleanup_free_ char *p = util_asprintf("%s/a/signed", root);
                _cleanup_close_ int fd = open(p, O_RDONLY | O_CLOEXEC);

                REQUIRE(fd >= 0 && pesig_read_fd(fd, &info) == 0);
        }
        c = pesig_signer_cert(&info);
        REQUIRE(c && c->akid.len > 0);
        hex = calloc(1, 2 * c->akid.len + 1);
        REQUIRE(hex);
        for (size_t i = 0; i < c->akid.len; i++)
                sprintf(hex + 2 * i, "%02x", c->akid.id[i]);
        akid_len = c->akid.len;
        pesig_info_done(&info);
        keytext = util_asprintf("1b6e0c79 I------     1 perm 1f030000     0     0 asymmetri "
                                "Debian Secure Boot CA: %s: X509.rsa bb419ea1 []\n",
                                hex);
        test_write(root, "keys", keytext);
        test_write(root, "sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
        sys = util_asprintf("%s/sys", root);
        keys = util_asprintf("%s/keys", root);
        fs0 = util_asprintf("%s/a,dev=/dev/sda1,uuid=AAAA", root);
        strv_push(&fs, fs0);

        struct backend_options o = {
                .fs_args = fs, .cmdline_text = "", .sysroot = sys, .keys_path = keys};
        REQUIRE(backend_init(&b, &o) == 0);
        REQUIRE(backend_scan_devices(&b, NULL) == 0);
        CHECK_INTEQ(backend_load_config(&b), 1);
        REQUIRE(b.n_entries == 5);
        REQUIRE(backend_check_signatures(&b) == 0);
        CHECK_STREQ(backend_lockdown(&b), "integrity");
        CHECK_INTEQ(b.sig_reads, 3);

        s = backend_entry_signature(&b, 0);
        REQUIRE(s);
        CHECK_STREQ(s->verdict, "ok");
        CHECK(!s->refused);
        CHECK(s->signer && strncmp(s->signer, "Debian Secure Boot Signer", 25) == 0);
        CHECK_STREQ(s->issuer, "Debian Secure Boot CA");
        CHECK_STREQ(s->trusted_by, "Debian Secure Boot CA");
        CHECK(s->issuer_keyid.len == akid_len);
        s = backend_entry_signature(&b, 1);
        REQUIRE(s);
        CHECK_STREQ(s->verdict, "unsigned");
        CHECK(s->refused);
        CHECK_STREQ(s->text, "not signed");
        s = backend_entry_signature(&b, 2);
        REQUIRE(s);
        CHECK_STREQ(s->verdict, "not-pe");
        CHECK(s->refused && strstr(s->text, "not a signed EFI kernel"));
        s = backend_entry_signature(&b, 3);
        REQUIRE(s);
        CHECK_STREQ(s->verdict, "needs-kexec-load");
        CHECK(s->refused);
        CHECK(backend_entry_signature(&b, 4) == NULL); /* the boot will say it is missing */

        json_init(&j);
        backend_to_json(&b, &j);
        CHECK(json_text(&j) && strstr(json_text(&j), "\"lockdown\": \"integrity\""));
        CHECK(json_text(&j) && strstr(json_text(&j), "\"verdict\": \"unsigned\""));
        json_done(&j);

        /* Again: judged from the cache; with no trusted key the signed one is untrusted. */
        test_write(root, "keys", "");
        REQUIRE(backend_check_signatures(&b) == 0);
        CHECK_INTEQ(b.sig_reads, 3);
        s = backend_entry_signature(&b, 0);
        REQUIRE(s);
        CHECK_STREQ(s->verdict, "untrusted");
        CHECK(s->text && strstr(s->text, "this machine does not trust that key for kexec"));

        /* Not locked down: no judgement at all. */
        test_write(root, "sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
        REQUIRE(backend_check_signatures(&b) == 0);
        CHECK(backend_lockdown(&b) == NULL);
        CHECK(backend_entry_signature(&b, 0) == NULL);
        backend_done(&b);
}
