/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libkmod without loading anything: these tests run as root on the host, so every lookup goes to
 * an empty module tree made here, where no name can resolve to a module. */
#include "test.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "core/util.h"
#include "init/modules.h"

static char *make_tmpdir(void)
{
        char *d = strdup("/tmp/kl-test-modules-XXXXXX");

        if (d && !mkdtemp(d)) {
                free(d);
                return NULL;
        }
        return d;
}

static void rm_rf(const char *dir)
{
        _cleanup_free_ char *cmd = util_asprintf("rm -rf '%s'", dir);

        if (cmd && system(cmd) != 0)
                printf("# cannot remove %s\n", dir);
}

static int write_file(const char *path, const char *text)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        ssize_t n;

        if (fd < 0)
                return -errno;
        n = write(fd, text, strlen(text));
        close(fd);
        return n == (ssize_t) strlen(text) ? 0 : -EIO;
}

TEST(init_and_free_running_kernel)
{
        struct modules *m = NULL;
        int r = modules_init(&m);

        /* The host may have no module tree at all (containers). Nothing is looked up here. */
        CHECK(r == 0 || r == -ENOENT);
        CHECK((r == 0) == (m != NULL));
        modules_free(m);
        modules_free(NULL);
}

TEST(missing_tree)
{
        struct modules *m = (struct modules *) 1;

        CHECK_INTEQ(modules_init_at("/nonexistent/kl-test/lib/modules/0.0", &m), -ENOENT);
        CHECK(m == NULL);
}

/* An empty tree: no index files at all, and (with depmod) empty indexes. */
static void lookups_in(const char *tree, bool *test_failed)
{
        struct modules *m = NULL;
        int r;

        REQUIRE(modules_init_at(tree, &m) == 0);
        r = modules_load_alias(m, "kl-test-no-such-alias");
        CHECK(r == 0 || r == -ENOENT);
        r = modules_load_alias(m, "usb:v46F4p0001d0000dc00dsc00dp00ic08isc06ip50in00");
        CHECK(r == 0 || r == -ENOENT);
        CHECK_INTEQ(modules_load_alias(m, ""), -EINVAL);
        CHECK_INTEQ(modules_load_alias(NULL, "x"), -EINVAL);
        modules_set_use_blacklist(m, true);
        r = modules_load_alias(m, "kl-test-no-such-module");
        CHECK(r == 0 || r == -ENOENT);
        modules_free(m);
}

TEST(empty_tree)
{
        _cleanup_free_ char *dir = make_tmpdir();

        REQUIRE(dir);
        lookups_in(dir, test_failed);
        rm_rf(dir);
}

TEST(depmod_tree)
{
        _cleanup_free_ char *dir = make_tmpdir(), *tree = NULL, *order = NULL, *builtin = NULL,
                            *modinfo = NULL, *cmd = NULL;

        REQUIRE(dir);
        if (access("/usr/sbin/depmod", X_OK) < 0 && access("/sbin/depmod", X_OK) < 0) {
                printf("# no depmod: skipped\n");
                rm_rf(dir);
                return;
        }
        tree = util_asprintf("%s/lib/modules/0.0.0-kl-test", dir);
        REQUIRE(tree);
        order = util_asprintf("%s/modules.order", tree);
        builtin = util_asprintf("%s/modules.builtin", tree);
        modinfo = util_asprintf("%s/modules.builtin.modinfo", tree);
        cmd = util_asprintf("PATH=/usr/sbin:/sbin:$PATH depmod -b '%s' 0.0.0-kl-test", dir);
        REQUIRE(order && builtin && modinfo && cmd);
        for (char *p = strchr(tree + 1, '/'); p; p = strchr(p + 1, '/')) {
                *p = 0;
                (void) mkdir(tree, 0755);
                *p = '/';
        }
        REQUIRE(mkdir(tree, 0755) == 0);
        REQUIRE(write_file(order, "") == 0);
        REQUIRE(write_file(builtin, "") == 0);
        REQUIRE(write_file(modinfo, "") == 0);
        if (system(cmd) != 0) {
                printf("# depmod failed: skipped\n");
                rm_rf(dir);
                return;
        }
        lookups_in(tree, test_failed);
        rm_rf(dir);
}

TEST(scan_aliases)
{
        _cleanup_free_ char *dir = make_tmpdir();
        _cleanup_strv_ char **aliases = NULL;
        static const char *const dirs[] = {
                "devices",
                "devices/pci0000:00",
                "devices/pci0000:00/0000:00:01.0",
                "devices/pci0000:00/0000:00:02.0",
                "devices/pci0000:00/0000:00:02.0/virtio0",
                "devices/platform",
                "devices/platform/serial8250",
                "outside",
        };
        char path[512];

        REQUIRE(dir);
        for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
                snprintf(path, sizeof(path), "%s/%s", dir, dirs[i]);
                REQUIRE(mkdir(path, 0755) == 0);
        }
#define FILE_AT(rel, text)                                       \
        do {                                                     \
                snprintf(path, sizeof(path), "%s/%s", dir, rel); \
                REQUIRE(write_file(path, text) == 0);            \
        } while (0)
        FILE_AT("devices/pci0000:00/0000:00:01.0/modalias", "pci:v00008086d00007010\n");
        FILE_AT("devices/pci0000:00/0000:00:02.0/modalias", "pci:v00001AF4d00001001\n");
        FILE_AT("devices/pci0000:00/0000:00:02.0/virtio0/modalias", "virtio:d00000002v00001AF4\n");
        /* the same value twice, an empty one, a directory named modalias */
        FILE_AT("devices/platform/serial8250/modalias", "pci:v00008086d00007010\n");
        FILE_AT("devices/platform/modalias", "\n");
        FILE_AT("outside/modalias", "outside:never\n");
        snprintf(path, sizeof(path), "%s/devices/pci0000:00/modalias", dir);
        REQUIRE(mkdir(path, 0755) == 0);
#undef FILE_AT
        /* symbolic links are not followed: neither a loop nor a way out of devices/ */
        snprintf(path, sizeof(path), "%s/devices/pci0000:00/0000:00:02.0/loop", dir);
        REQUIRE(symlink("../..", path) == 0);
        snprintf(path, sizeof(path), "%s/devices/platform/out", dir);
        REQUIRE(symlink("../../outside", path) == 0);

        REQUIRE(modules_scan_aliases(dir, &aliases) == 0);
        CHECK_INTEQ(strv_length(aliases), 3);
        CHECK(strv_contains(aliases, "pci:v00008086d00007010"));
        CHECK(strv_contains(aliases, "pci:v00001AF4d00001001"));
        CHECK(strv_contains(aliases, "virtio:d00000002v00001AF4"));
        CHECK(!strv_contains(aliases, "outside:never"));

        strv_free(aliases);
        aliases = NULL;
        CHECK(modules_scan_aliases("/nonexistent/kl-test", &aliases) < 0);
        rm_rf(dir);
}

TEST(coldplug_empty_tree)
{
        _cleanup_free_ char *dir = make_tmpdir(), *sys = NULL, *file = NULL;
        struct modules *m = NULL;

        REQUIRE(dir);
        sys = util_asprintf("%s/sys", dir);
        file = util_asprintf("%s/sys/devices/modalias", dir);
        REQUIRE(sys && file);
        REQUIRE(mkdir(sys, 0755) == 0);
        *strrchr(file, '/') = 0;
        REQUIRE(mkdir(file, 0755) == 0);
        file[strlen(file)] = '/';
        REQUIRE(write_file(file, "kl-test:none\n") == 0);
        REQUIRE(modules_init_at(dir, &m) == 0);
        CHECK_INTEQ(modules_coldplug(m, sys), 0);
        CHECK(modules_coldplug(m, "/nonexistent/kl-test") < 0);
        modules_free(m);
        rm_rf(dir);
}

TEST(uevent_without_modalias)
{
        _cleanup_free_ char *dir = make_tmpdir();
        static const char add[] = "add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0"
                                  "SUBSYSTEM=block\0";
        static const char alias[] = "add@/devices/y\0ACTION=add\0DEVPATH=/devices/y\0"
                                    "MODALIAS=kl-test:none\0";
        static const char removed[] = "remove@/devices/y\0ACTION=remove\0DEVPATH=/devices/y\0"
                                      "MODALIAS=kl-test:none\0";
        struct modules *m = NULL;

        REQUIRE(dir);
        REQUIRE(modules_init_at(dir, &m) == 0);
        CHECK_INTEQ(modules_handle_uevent(m, add, sizeof(add) - 1), 0);
        CHECK_INTEQ(modules_handle_uevent(m, alias, sizeof(alias) - 1), 0);
        CHECK_INTEQ(modules_handle_uevent(m, removed, sizeof(removed) - 1), 0);
        CHECK_INTEQ(modules_handle_uevent(m, "libudev\0xyz", 11), 0);
        CHECK_INTEQ(modules_handle_uevent(m, "garbage", 7), 0);
        modules_free(m);
        rm_rf(dir);
}
