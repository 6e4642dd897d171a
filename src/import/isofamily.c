/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The parameter that finds a live ISO again (isofamily.h). */
#include "isofamily.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../core/cmdline.h"
#include "../core/util.h"

enum param { P_ISO_SCAN, P_FINDISO, P_IMG_LOOP };

/* A word of the command line that makes an entry of the family: the whole word, or a prefix. */
static const struct family {
        const char *name;
        const char *word;
        bool prefix;
        enum param param;
} families[] = {
        {"casper", "boot=casper", false, P_ISO_SCAN},
        {"dracut", "root=live:", true, P_ISO_SCAN},
        {"dracut", "rd.live.image", false, P_ISO_SCAN},
        {"anaconda", "inst.stage2=hd:", true, P_ISO_SCAN},
        {"live-boot", "boot=live", false, P_FINDISO},
        {"nixos", "init=/nix/store/", true, P_FINDISO},
        {"archiso", "archisobasedir=", true, P_IMG_LOOP},
        /* The parameter itself, already there: the family is known by it (Ubuntu's command lines
         * have had no boot=casper since 20.04; its loopback.cfg has iso-scan/filename=). */
        {"iso-scan", "iso-scan/filename=", true, P_ISO_SCAN},
        {"findiso", "findiso=", true, P_FINDISO},
        {"archiso", "img_loop=", true, P_IMG_LOOP},
};

/* The parameters' keys: present in the command line, nothing is added. */
static const char *const present_keys[] = {
        [P_ISO_SCAN] = "iso-scan/filename",
        [P_FINDISO] = "findiso",
        [P_IMG_LOOP] = "img_loop",
};

static const struct family *family_of(char *const *words)
{
        for (size_t i = 0; i < ARRAY_SIZE(families); i++)
                strv_foreach (w, words)
                        if (families[i].prefix ? startswith(w, families[i].word) != NULL
                                               : streq(w, families[i].word))
                                return &families[i];
        return NULL;
}

int isofamily_param(const char *cmdline, const char *iso_path, const char *fs_uuid,
                    struct isofamily_result *ret)
{
        _cleanup_strv_ char **words = NULL;
        _cleanup_free_ char *path = NULL;
        const struct family *f;
        int r;

        *ret = (struct isofamily_result){0};
        r = cmdline_split(cmdline ? cmdline : "", &words);
        if (r < 0)
                return r;
        f = family_of(words);
        if (!f)
                return 0;
        ret->family = f->name;
        if (cmdline_get(words, present_keys[f->param]))
                return 0;
        path = strpbrk(iso_path, " \t") ? util_asprintf("\"%s\"", iso_path) : strdup(iso_path);
        if (!path)
                return -ENOMEM;
        switch (f->param) {
        case P_ISO_SCAN:
                ret->add = util_asprintf("iso-scan/filename=%s", path);
                break;
        case P_FINDISO:
                ret->add = util_asprintf("findiso=%s", path);
                break;
        case P_IMG_LOOP:
                if (!fs_uuid)
                        return 0;
                ret->add = util_asprintf("img_dev=UUID=%s img_loop=%s", fs_uuid, path);
                break;
        }
        return ret->add ? 0 : -ENOMEM;
}

void isofamily_result_done(struct isofamily_result *r)
{
        free(r->add);
        *r = (struct isofamily_result){0};
}
