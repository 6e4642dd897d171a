/* SPDX-License-Identifier: GPL-2.0-or-later */
/* MOK enrolment on this machine (see mok-efi.h). */
#include "mok-efi.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "../core/fsread.h"
#include "../core/log.h"

struct find_ctx {
        struct mok_cert_list *list;
        const char *origin, *distro;
};

static int add_der(const uint8_t *der, size_t len, void *ud)
{
        struct find_ctx *f = ud;
        struct mok_cert c = {0};
        int r = mok_cert_parse(der, len, f->origin, &c);

        if (r == -EINVAL) {
                log_info("MOK: %s: a vendor certificate that is not X.509, skipped", f->origin);
                return 0;
        }
        if (r < 0)
                return r;
        if (f->distro && !(c.distro = strdup(f->distro))) {
                mok_cert_done(&c);
                return -ENOMEM;
        }
        r = mok_cert_list_add(f->list, &c);
        return r == -E2BIG ? 0 : r < 0 ? r : 0;
}

static int find_shims(struct backend *b, const struct device *d, struct mok_cert_list *ret)
{
        _cleanup_close_ int root = backend_fs_root(b, d->path);
        _cleanup_strv_ char **dirs = NULL;
        int r;

        if (root < 0 || fsread_list(root, "/EFI", true, &dirs) < 0)
                return 0;
        strv_foreach (dir, dirs) {
                _cleanup_free_ char *path = NULL, *origin = NULL, *data = NULL;
                struct find_ctx f;
                size_t len;

                if (strcaseeq(dir, "BOOT"))
                        continue;
                path = util_asprintf("/EFI/%s/shimx64.efi", dir);
                if (!path)
                        return -ENOMEM;
                if (fsread_read_file(root, path, MOK_SHIM_MAX, &data, &len) < 0)
                        continue;
                origin = util_asprintf("%s:%s", d->path, path);
                if (!origin)
                        return -ENOMEM;
                f = (struct find_ctx){ret, origin, dir};
                r = mok_shim_vendor_certs((const uint8_t *) data, len, add_der, &f);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        log_info("MOK: %s: no vendor certificate (%s)", origin, strerror(-r));
        }
        return 0;
}

static bool is_cert_name(const char *name)
{
        static const char *const suffixes[] = {".der", ".cer", ".crt", ".pem"};
        size_t n = strlen(name);

        for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++)
                if (n > 4 && strcaseeq(name + n - 4, suffixes[i]))
                        return true;
        return false;
}

static int find_key_files(struct backend *b, struct mok_cert_list *ret)
{
        _cleanup_close_ int root = -1;
        _cleanup_strv_ char **names = NULL;

        if (!b->config_fs)
                return 0;
        root = backend_fs_root(b, b->config_fs);
        if (root < 0 || fsread_list(root, MOK_KEYS_DIR, true, &names) < 0)
                return 0;
        strv_foreach (name, names) {
                _cleanup_free_ char *path = NULL, *origin = NULL, *data = NULL;
                struct mok_cert c = {0};
                size_t len;
                int r;

                if (!is_cert_name(name))
                        continue;
                path = util_asprintf("%s/%s", MOK_KEYS_DIR, name);
                origin = util_asprintf("%s:%s/%s", b->config_fs, MOK_KEYS_DIR, name);
                if (!path || !origin)
                        return -ENOMEM;
                if (fsread_read_file(root, path, 4 * MOK_CERT_MAX, &data, &len) < 0)
                        continue;
                r = mok_cert_parse((const uint8_t *) data, len, origin, &c);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        log_info("MOK: %s is not an X.509 certificate, skipped", origin);
                        continue;
                }
                r = mok_cert_list_add(ret, &c);
                if (r == -ENOMEM)
                        return r;
        }
        return 0;
}

int mok_efi_find_certs(struct backend *b, struct mok_cert_list *ret)
{
        int r = 0;

        for (size_t i = 0; r >= 0 && i < b->devices.n; i++)
                if (streq_ptr(b->devices.items[i].fstype, "vfat"))
                        r = find_shims(b, &b->devices.items[i], ret);
        if (r >= 0)
                r = find_key_files(b, ret);
        backend_release(b);
        return r;
}

static char *var_path(const char *efivars, const char *name)
{
        return util_asprintf("%s/%s-" MOK_GUID, efivars, name);
}

bool mok_efi_shim_present(const char *efivars)
{
        _cleanup_free_ char *p = var_path(efivars, "MokListRT");

        return p && access(p, F_OK) == 0;
}

/* efivarfs makes variable files immutable; chattr -i. */
static void make_mutable(const char *path)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        int flags;

        if (fd < 0 || ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0 || !(flags & FS_IMMUTABLE_FL))
                return;
        flags &= ~FS_IMMUTABLE_FL;
        if (ioctl(fd, FS_IOC_SETFLAGS, &flags) < 0)
                log_warn("MOK: cannot make %s writable: %m", path);
}

int mok_efi_write_var(const char *path, const uint8_t *payload, size_t len)
{
        _cleanup_free_ uint8_t *data = NULL;
        _cleanup_close_ int fd = -1;
        size_t n;
        ssize_t w;
        int r;

        r = mok_efivar_data(MOK_VAR_ATTRS, payload, len, &data, &n);
        if (r < 0)
                return r;
        make_mutable(path);
        /* efivarfs takes the attributes and the whole value in one write */
        fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
        if (fd < 0)
                return -errno;
        w = write(fd, data, n);
        if (w < 0)
                return -errno;
        if ((size_t) w != n)
                return -EIO;
        if (close(fd) < 0) {
                fd = -1;
                return -errno;
        }
        fd = -1;
        return 0;
}

int mok_efi_write_request(const char *efivars, const struct mok_cert *c, const char *password,
                          bool dry_run, char ***ret_lines, char **ret_error)
{
        _cleanup_free_ char *new_path = var_path(efivars, "MokNew"),
                            *auth_path = var_path(efivars, "MokAuth"), *old = NULL;
        _cleanup_free_ uint8_t *moknew = NULL;
        _cleanup_strv_ char **lines = NULL;
        uint8_t rnd[MOK_SALT_LEN], auth[MOK_AUTH_SIZE];
        char salt[MOK_SALT_LEN + 1];
        size_t old_len = 0, new_len;
        bool kept = false;
        int r;

        *ret_error = NULL;
        if (!new_path || !auth_path)
                return -ENOMEM;
        if (mok_password_check(password) < 0) {
                *ret_error = strdup("the password must be 1 to 256 plain ASCII characters");
                return -EINVAL;
        }
        if (!dry_run && access(efivars, F_OK) < 0) {
                r = -errno;
                *ret_error = util_asprintf("%s: %s (this machine did not start through UEFI)",
                                           efivars, strerror(-r));
                return r;
        }
        /* A request pending already (from mokutil or an earlier visit) is kept. */
        r = util_read_file(new_path, MOK_NEW_MAX + 4, &old, &old_len);
        if (r >= 0 && old_len > 4) {
                r = mok_new_payload(c->der, c->der_len, (uint8_t *) old + 4, old_len - 4, &moknew,
                                    &new_len);
                kept = r >= 0;
        } else
                r = -ENOENT;
        if (r < 0)
                r = mok_new_payload(c->der, c->der_len, NULL, 0, &moknew, &new_len);
        if (r < 0) {
                *ret_error = util_asprintf("cannot make the request: %s", strerror(-r));
                return r;
        }
        if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t) sizeof(rnd)) {
                r = -errno;
                *ret_error = util_asprintf("no random salt: %s", strerror(-r));
                return r;
        }
        mok_salt_from_random(rnd, sizeof(rnd), salt);
        r = mok_auth_payload(password, salt, MOK_CRYPT_ROUNDS, auth);
        if (r < 0) {
                *ret_error = util_asprintf("cannot hash the password: %s", strerror(-r));
                return r;
        }
        if (strv_consume(&lines,
                         util_asprintf("%s: %zu bytes, %s%s", new_path, new_len + 4, c->subject,
                                       kept ? " and the request pending already" : "")) < 0 ||
            strv_consume(&lines, util_asprintf("%s: %d bytes, the password's SHA-512 crypt hash",
                                               auth_path, MOK_AUTH_SIZE + 4)) < 0) {
                explicit_bzero(auth, sizeof(auth));
                return -ENOMEM;
        }
        if (!dry_run) {
                r = mok_efi_write_var(new_path, moknew, new_len);
                if (r < 0) {
                        *ret_error = util_asprintf("cannot write %s: %s", new_path, strerror(-r));
                        explicit_bzero(auth, sizeof(auth));
                        return r;
                }
                r = mok_efi_write_var(auth_path, auth, sizeof(auth));
                if (r < 0) {
                        *ret_error = util_asprintf("cannot write %s: %s", auth_path, strerror(-r));
                        if (!kept) {
                                make_mutable(new_path);
                                (void) unlink(new_path);
                        }
                        explicit_bzero(auth, sizeof(auth));
                        return r;
                }
                log_info("MOK: enrolment of '%s' (%s) requested", c->subject, c->sha256);
        }
        explicit_bzero(auth, sizeof(auth));
        if (ret_lines) {
                *ret_lines = lines;
                lines = NULL;
        }
        return 0;
}
