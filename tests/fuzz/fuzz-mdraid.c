/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for md RAID (issue 12): what comes from a member's superblock, as
 * backend/mdraid.c reads it. The input is `mdadm --examine --export` output (mdadm copies the
 * superblock's name into MD_NAME) and, line by line, the UUID and LABEL libblkid reads from each
 * member. A level found is printable ASCII of at most MDRAID_VALUE_MAX bytes and has a
 * personality only if it is one of md's; MD_DEVICES is 0 or 1..1920; the grouped arrays keep to
 * their bounds, each member in the array of its UUID, and the assembly's command line is the
 * read-only one. Built and run by tests/fuzz/run (-DFUZZ_TARGET=…). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend/mdraid.h"
#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
        char *text = strndup((const char *) data, len), *level = NULL, *save = NULL;
        struct device_list l = {0};
        struct mdraid_list g = {0};
        unsigned n = 0;

        if (!text)
                return 0;
        if (mdraid_examine_value(text, "MD_LEVEL", &level) == 0) {
                size_t k = strlen(level);

                if (k == 0 || k > MDRAID_VALUE_MAX)
                        abort();
                for (size_t i = 0; i < k; i++)
                        if (level[i] <= ' ' || level[i] > '~')
                                abort();
                if (mdraid_personality(level) && strncmp(mdraid_personality(level), "md-", 3))
                        abort();
        }
        n = mdraid_examine_devices(text);
        if (n > 1920)
                abort();
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char path[32];
                struct device d = {.name = path + 5,
                                   .path = path,
                                   .disk = path + 5,
                                   .fstype = (char *) MDRAID_FSTYPE,
                                   .uuid = line,
                                   .label = line};

                snprintf(path, sizeof(path), "/dev/m%zu", l.n);
                if (device_list_add(&l, &d) < 0)
                        abort();
        }
        if (mdraid_group(&l, NULL, &g) == 0) {
                if (g.n > MDRAID_ARRAYS_MAX)
                        abort();
                for (size_t i = 0; i < g.n; i++) {
                        char **argv = NULL;

                        if (strv_length(g.items[i].members) > MDRAID_MEMBERS_MAX ||
                            strlen(g.items[i].uuid) > MDRAID_VALUE_MAX)
                                abort();
                        strv_foreach (m, g.items[i].members) {
                                const char *u = NULL;

                                for (size_t k = 0; k < l.n; k++)
                                        if (streq(l.items[k].path, m))
                                                u = l.items[k].uuid;
                                if (!u || !strcaseeq(u, g.items[i].uuid))
                                        abort();
                        }
                        argv = mdraid_assemble_argv("/sbin/mdadm", "/dev/md127",
                                                    g.items[i].members);
                        if (!argv || strcmp(argv[2], "--readonly") != 0)
                                abort();
                        strv_free(argv);
                }
                mdraid_list_done(&g);
        }
        device_list_done(&l);
        free(level);
        free(text);
        return 0;
}
