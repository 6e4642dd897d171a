/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The MOK request written into a plain directory standing for efivarfs: read back by the real
 * mokutil (--list-new), a pending request kept, an immutable variable file made writable as
 * chattr -i does, and nothing written in a dry run. */
#include "test.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "backend/mok-efi.h"
#include "backend/mok.h"
#include "core/util.h"

extern char test_scratch[];

static int cert_cb(const uint8_t *der, size_t len, void *ud)
{
        return mok_cert_parse(der, len, "shim", ud);
}

static int debian(struct mok_cert *c)
{
        _cleanup_free_ char *pe = NULL;
        size_t n;
        int r = util_read_file("/usr/lib/shim/shimx64.efi.signed", 64 << 20, &pe, &n);

        return r < 0 ? r : mok_shim_vendor_certs((const uint8_t *) pe, n, cert_cb, c);
}

/* mokutil --list-new's output for the request in vars. */
static char *list_new(const char *vars)
{
        _cleanup_free_ char *cmd =
                util_asprintf("EFIVARFS_PATH='%s/' mokutil --list-new 2>&1", vars);
        char buf[65536];
        size_t n = 0;
        FILE *f = cmd ? popen(cmd, "r") : NULL;

        if (!f)
                return NULL;
        n = fread(buf, 1, sizeof(buf) - 1, f);
        buf[n] = 0;
        pclose(f);
        return strdup(buf);
}

TEST(request_read_back_by_mokutil)
{
        _cleanup_free_ char *vars = util_asprintf("%s/efivars", test_scratch);
        _cleanup_free_ char *sb = NULL, *out = NULL, *newp = NULL, *authp = NULL, *data = NULL;
        _cleanup_strv_ char **lines = NULL;
        char *err = NULL;
        struct mok_cert c = {0};
        struct stat st;
        size_t n;
        int fd;

        REQUIRE(debian(&c) == 0);
        REQUIRE(mkdir(vars, 0755) == 0);
        newp = util_asprintf("%s/MokNew-" MOK_GUID, vars);
        authp = util_asprintf("%s/MokAuth-" MOK_GUID, vars);

        /* dry run: nothing written */
        REQUIRE(mok_efi_write_request(vars, &c, "pw", true, &lines, &err) == 0);
        CHECK(strv_length(lines) == 2 && strstr(lines[0], "MokNew-" MOK_GUID));
        CHECK(stat(newp, &st) < 0 && stat(authp, &st) < 0);
        strv_free(lines);
        lines = NULL;

        /* a bad password: nothing written, a reason */
        CHECK(mok_efi_write_request(vars, &c, "", false, NULL, &err) == -EINVAL);
        CHECK(err && strstr(err, "ASCII"));
        free(err);
        err = NULL;

        REQUIRE(mok_efi_write_request(vars, &c, "one time", false, &lines, &err) == 0);
        REQUIRE(util_read_file(authp, 4096, &data, &n) == 0);
        CHECK_INTEQ(n, 4 + MOK_AUTH_SIZE);
        CHECK(data[0] == 7 && data[4] == 4); /* NV|BS|RT, SHA-512 crypt */
        /* mokutil reads the request back (it needs SecureBoot to exist) */
        sb = util_asprintf("%s/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c", vars);
        fd = open(sb, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        REQUIRE(fd >= 0 && write(fd, "\x06\x00\x00\x00\x01", 5) == 5);
        close(fd);
        out = list_new(vars);
        REQUIRE(out);
        CHECK(strstr(out, "[key 1]") && strstr(out, "Debian Secure Boot CA") &&
              !strstr(out, "[key 2]"));
        if (!strstr(out, "Debian Secure Boot CA"))
                printf("# %s\n", out);

        /* again, with the variable immutable (as efivarfs makes it): chattr -i first; the same
         * certificate is not added twice */
        fd = open(newp, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
                int flags = 0;

                if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0) {
                        flags |= FS_IMMUTABLE_FL;
                        if (ioctl(fd, FS_IOC_SETFLAGS, &flags) < 0)
                                printf("# cannot set the immutable flag here: %m\n");
                }
                close(fd);
        }
        REQUIRE(mok_efi_write_request(vars, &c, "one time", false, NULL, &err) == 0);
        free(out);
        out = list_new(vars);
        CHECK(out && strstr(out, "[key 1]") && !strstr(out, "[key 2]"));
        mok_cert_done(&c);
}
