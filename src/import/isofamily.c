/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The parameter that finds a live ISO again (isofamily.h). */
#include "isofamily.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../core/cmdline.h"
#include "../core/utf8.h"
#include "../core/util.h"

enum param { P_ISO_SCAN, P_FINDISO, P_IMG_LOOP, P_IMG_LOOP_LINK, P_ISOBOOT };

/* How a word of the command line makes an entry of the family: the whole word, a word's start,
 * a key (the whole word, or the word up to its '='), or a key's end ("xisobasedir=…"). */
enum match { M_WORD, M_PREFIX, M_KEY, M_KEY_SUFFIX };

static const struct family {
        const char *name;
        const char *word;
        enum match match;
        enum param param;
} families[] = {
        {"casper", "boot=casper", M_WORD, P_ISO_SCAN},
        {"dracut", "root=live:", M_PREFIX, P_ISO_SCAN},
        {"dracut", "rd.live.image", M_WORD, P_ISO_SCAN},
        {"anaconda", "inst.stage2=hd:", M_PREFIX, P_ISO_SCAN},
        {"live-boot", "boot=live", M_WORD, P_FINDISO},
        {"nixos", "init=/nix/store/", M_PREFIX, P_FINDISO},
        {"archiso", "archisobasedir", M_KEY, P_IMG_LOOP},
        /* archiso's forks keep its img_dev= img_loop= hook as it was before archiso resolved
         * UUID=: their img_dev= must be a device's path (mkinitcpio's poll_device) */
        {"manjaro", "misobasedir", M_KEY, P_IMG_LOOP_LINK},
        {"artix", "artixbasedir", M_KEY, P_IMG_LOOP_LINK},
        /* Parabola's parabolaisobasedir=, KaOS's kdeisobasedir=, Chakra's, Hyperbola's, … */
        {"archiso-fork", "isobasedir", M_KEY_SUFFIX, P_IMG_LOOP_LINK},
        /* Gentoo's genkernel (the install and live media, Pentoo, Sabayon): cdroot */
        {"genkernel", "cdroot", M_KEY, P_ISOBOOT},
        /* The parameter itself, already there: the family is known by it (Ubuntu's command lines
         * have had no boot=casper since 20.04; its loopback.cfg has iso-scan/filename=). */
        {"iso-scan", "iso-scan/filename", M_KEY, P_ISO_SCAN},
        {"findiso", "findiso", M_KEY, P_FINDISO},
        {"archiso", "img_loop", M_KEY, P_IMG_LOOP},
        {"genkernel", "isoboot", M_KEY, P_ISOBOOT},
};

/* The parameters' keys: present in the command line, nothing is added. */
static const char *const present_keys[] = {
        [P_ISO_SCAN] = "iso-scan/filename", [P_FINDISO] = "findiso", [P_IMG_LOOP] = "img_loop",
        [P_IMG_LOOP_LINK] = "img_loop",     [P_ISOBOOT] = "isoboot",
};

/* Ubuntu's casper without a word of it on the command line (since 20.04 its initramfs boots
 * casper by default): the kernel in the ISO's casper directory. */
static const struct family casper_by_kernel = {"casper", "casper", M_WORD, P_ISO_SCAN};

static bool matches(const struct family *f, const char *w)
{
        size_t n = strlen(f->word), k = strcspn(w, "=");

        switch (f->match) {
        case M_WORD:
                return streq(w, f->word);
        case M_PREFIX:
                return startswith(w, f->word) != NULL;
        case M_KEY:
                return k == n && strncmp(w, f->word, n) == 0;
        case M_KEY_SUFFIX:
                return w[k] == '=' && k > n && strncmp(w + k - n, f->word, n) == 0;
        }
        return false;
}

static bool in_casper_dir(const char *kernel)
{
        const char *p = kernel ? strstr(kernel, "casper/") : NULL;

        /* a directory of that name: at the start, or after a '/' or a GRUB device's ')' */
        for (; p; p = strstr(p + 1, "casper/"))
                if (p == kernel || p[-1] == '/' || p[-1] == ')')
                        return true;
        return false;
}

static const struct family *family_of(char *const *words, const char *kernel)
{
        for (size_t i = 0; i < ARRAY_SIZE(families); i++)
                strv_foreach (w, words)
                        if (matches(&families[i], w))
                                return &families[i];
        return in_casper_dir(kernel) ? &casper_by_kernel : NULL;
}

/* name as udev writes it in a /dev/disk/by-label/ or by-partuuid/ link (libblkid's
 * blkid_encode_string()): letters, digits, "#+-.:=@_" and valid UTF-8 sequences as they are,
 * any other byte as \xNN, so a blank or a '/' never reaches the command line as such. */
static char *udev_encode(const char *name)
{
        size_t n = strlen(name);
        char *out = malloc(4 * n + 1), *o = out;

        if (!out)
                return NULL;
        for (size_t i = 0; i < n;) {
                unsigned char c = (unsigned char) name[i];
                uint32_t u;
                size_t l = c >= 0x80 ? utf8_decode(name + i, n - i, &u) : 0;

                if (l > 1) {
                        memcpy(o, name + i, l);
                        o += l;
                        i += l;
                        continue;
                }
                if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c != 0 && strchr("#+-.:=@_", c)))
                        *o++ = (char) c;
                else
                        o += sprintf(o, "\\x%02x", c);
                i++;
        }
        *o = 0;
        return out;
}

/* archiso's img_dev=: the filesystem's UUID (as archiso's own loopback.cfg gives it: UUID=, or
 * for its forks, link, the /dev/disk/by-uuid/ link), else its label, else its partition's UUID,
 * as the /dev/disk/by-label/ and by-partuuid/ links udev makes (archiso mounts img_dev as a
 * device path; its img_label= is the same by-label link). NULL with *ret_none when the
 * filesystem has no stable name. */
static char *img_dev(const struct isofamily_fs *fs, bool link, bool *ret_none)
{
        _cleanup_free_ char *e = NULL;

        *ret_none = false;
        if (fs && !isempty(fs->uuid))
                return (e = udev_encode(fs->uuid))
                               ? util_asprintf(link ? "/dev/disk/by-uuid/%s" : "UUID=%s", e)
                               : NULL;
        if (fs && !isempty(fs->label))
                return (e = udev_encode(fs->label)) ? util_asprintf("/dev/disk/by-label/%s", e)
                                                    : NULL;
        if (fs && !isempty(fs->partuuid))
                return (e = udev_encode(fs->partuuid))
                               ? util_asprintf("/dev/disk/by-partuuid/%s", e)
                               : NULL;
        *ret_none = true;
        return NULL;
}

int isofamily_param(const char *cmdline, const char *kernel, const char *iso_path,
                    const struct isofamily_fs *fs, struct isofamily_result *ret)
{
        _cleanup_strv_ char **words = NULL;
        _cleanup_free_ char *path = NULL;
        const struct family *f;
        int r;

        *ret = (struct isofamily_result){0};
        r = cmdline_split(cmdline ? cmdline : "", &words);
        if (r < 0)
                return r;
        f = family_of(words, kernel);
        if (!f)
                return 0;
        ret->family = f->name;
        if (cmdline_get(words, present_keys[f->param]))
                return 0;
        /* The kernel has no escapes: a '"' cannot be written in a value, and a control character
         * (a newline is a blank to the kernel) is nothing to hand over. */
        for (const char *c = iso_path; *c; c++)
                if (*c == '"' || (unsigned char) *c < 0x20 || *c == 0x7f) {
                        ret->unwritable = true;
                        return 0;
                }
        path = strchr(iso_path, ' ') ? util_asprintf("\"%s\"", iso_path) : strdup(iso_path);
        if (!path)
                return -ENOMEM;
        switch (f->param) {
        case P_ISO_SCAN:
                ret->add = util_asprintf("iso-scan/filename=%s", path);
                break;
        case P_FINDISO:
                ret->add = util_asprintf("findiso=%s", path);
                break;
        case P_ISOBOOT:
                ret->add = util_asprintf("isoboot=%s", path);
                break;
        case P_IMG_LOOP:
        case P_IMG_LOOP_LINK: {
                _cleanup_free_ char *dev = img_dev(fs, f->param == P_IMG_LOOP_LINK, &ret->no_name);

                if (ret->no_name)
                        return 0;
                if (dev)
                        ret->add = util_asprintf("img_dev=%s img_loop=%s", dev, path);
                break;
        }
        }
        return ret->add ? 0 : -ENOMEM;
}

void isofamily_result_done(struct isofamily_result *r)
{
        free(r->add);
        *r = (struct isofamily_result){0};
}

char *isofamily_insert(const char *cmdline, const char *add)
{
        const char *p = cmdline ? cmdline : "";
        bool quoted = false;

        while (*p) {
                const char *w;
                size_t n;

                while (*p == ' ' || *p == '\t')
                        p++;
                w = p;
                for (; *p && (quoted || (*p != ' ' && *p != '\t')); p++)
                        if (*p == '"')
                                quoted = !quoted;
                n = (size_t) (p - w);
                if ((n == 2 && startswith(w, "--")) || (n == 3 && startswith(w, "---")))
                        return util_asprintf("%.*s%s %s", (int) (w - cmdline), cmdline, add, w);
        }
        /* A quote left open runs to the end for the kernel: it is closed before add. */
        if (quoted)
                return util_asprintf("%s\" %s", cmdline, add);
        p = cmdline ? cmdline : "";
        while (*p == ' ' || *p == '\t')
                p++;
        return *p ? util_asprintf("%s %s", cmdline, add) : strdup(add);
}
