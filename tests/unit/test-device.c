/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include "backend/device.h"
#include "backend/grub-devname.h"

/* Adds a device by kernel name; disk and partition number follow the kernel's naming rules. */
static void add_dev(struct device_list *l, const char *name, bool removable, const char *uuid,
                    const char *label)
{
        struct device d = {0};

        d.name = (char *) name;
        d.path = util_asprintf("/dev/%s", name);
        if (device_split_name(name, &d.disk, &d.partno) < 0)
                abort();
        d.removable = removable;
        d.uuid = (char *) uuid;
        d.label = (char *) label;
        if (device_list_add(l, &d) < 0)
                abort();
        free(d.path);
        free(d.disk);
}

static const char *resolve_name(const char *spec, const struct device_list *l,
                                const struct grub_devmap *map, enum config_grub_first order)
{
        const struct device *d = grub_devname_resolve_string(spec, l, map, order);

        return d ? d->name : "(none)";
}

TEST(split_name)
{
        static const struct {
                const char *name, *disk;
                unsigned partno;
        } cases[] = {
                {"sda", "sda", 0},
                {"sda1", "sda", 1},
                {"sda15", "sda", 15},
                {"sdaa3", "sdaa", 3},
                {"sdp1", "sdp", 1},
                {"vdb3", "vdb", 3},
                {"hda2", "hda", 2},
                {"xvda1", "xvda", 1},
                {"xvdp2", "xvdp", 2},
                {"nvme0n1", "nvme0n1", 0},
                {"nvme0n1p2", "nvme0n1", 2},
                {"nvme10n12p128", "nvme10n12", 128},
                {"mmcblk0", "mmcblk0", 0},
                {"mmcblk0p1", "mmcblk0", 1},
                {"mmcblk1", "mmcblk1", 0},
                {"mmcblk0boot0", "mmcblk0boot0", 0},
                {"mmcblk0boot1", "mmcblk0boot1", 0},
                {"loop0", "loop0", 0},
                {"loop7", "loop7", 0},
                {"loop0p1", "loop0", 1},
                {"md0", "md0", 0},
                {"md127", "md127", 0},
                {"md0p1", "md0", 1},
                {"sr0", "sr0", 0},
                {"sr1", "sr1", 0},
                {"fd0", "fd0", 0},
                {"fd1", "fd1", 0},
                {"nbd3", "nbd3", 0},
                {"nbd0p2", "nbd0", 2},
                {"dm-0", "dm-0", 0},
                {"dm-12", "dm-12", 0},
                {"zram0", "zram0", 0},
                {"ram15", "ram15", 0},
                {"pmem0", "pmem0", 0},
                {"pmem0p1", "pmem0", 1},
                {"cciss!c0d0", "cciss!c0d0", 0},
                {"cciss!c0d0p1", "cciss!c0d0", 1},
                {"fs0", "fs0", 0},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                char *disk = NULL;
                unsigned partno = 999;

                REQUIRE(device_split_name(cases[i].name, &disk, &partno) == 0);
                if (!disk || strcmp(disk, cases[i].disk) != 0 || partno != cases[i].partno)
                        printf("# case '%s'\n", cases[i].name);
                CHECK_STREQ(disk, cases[i].disk);
                CHECK_INTEQ(partno, cases[i].partno);
                free(disk);
        }
        CHECK(device_split_name("", NULL, NULL) == -EINVAL);
        CHECK(device_split_name(NULL, NULL, NULL) == -EINVAL);
}

TEST(devspec_parse_table)
{
        static const struct {
                const char *spec;
                bool legacy;
                enum devspec_kind kind;
                const char *value;
                char type;
                int disk, part;
        } cases[] = {
                {"/dev/sda1", true, DEVSPEC_NAME, "sda1", 0, 0, 0},
                {"sda1", true, DEVSPEC_NAME, "sda1", 0, 0, 0},
                {"nvme0n1p2", false, DEVSPEC_NAME, "nvme0n1p2", 0, 0, 0},
                {"/dev/mapper/vg-root", true, DEVSPEC_NAME, "mapper/vg-root", 0, 0, 0},
                {"/dev/disk/by-uuid/0d4c-1a2b", true, DEVSPEC_UUID, "0d4c-1a2b", 0, 0, 0},
                {"/dev/disk/by-label/My\\x20Disk", true, DEVSPEC_LABEL, "My Disk", 0, 0, 0},
                {"/dev/disk/by-partuuid/abc-01", true, DEVSPEC_PARTUUID, "abc-01", 0, 0, 0},
                {"/dev/disk/by-partlabel/EFI", true, DEVSPEC_PARTLABEL, "EFI", 0, 0, 0},
                {"/dev/disk/by-id/ata-XYZ", true, DEVSPEC_NAME, "disk/by-id/ata-XYZ", 0, 0, 0},
                {"UUID=1234-ABCD", true, DEVSPEC_UUID, "1234-ABCD", 0, 0, 0},
                {"uuid=1234-abcd", true, DEVSPEC_UUID, "1234-abcd", 0, 0, 0},
                {"UUID=\"1234-ABCD\"", true, DEVSPEC_UUID, "1234-ABCD", 0, 0, 0},
                {"LABEL=root", true, DEVSPEC_LABEL, "root", 0, 0, 0},
                {"Label=\"my disk\"", true, DEVSPEC_LABEL, "my disk", 0, 0, 0},
                {"LABEL=a=b", true, DEVSPEC_LABEL, "a=b", 0, 0, 0},
                {"LABEL=\"", true, DEVSPEC_LABEL, "\"", 0, 0, 0},
                {"PARTUUID=abc-02", true, DEVSPEC_PARTUUID, "abc-02", 0, 0, 0},
                {"partuuid=abc-02", true, DEVSPEC_PARTUUID, "abc-02", 0, 0, 0},
                {"PARTLABEL=EFI system", true, DEVSPEC_PARTLABEL, "EFI system", 0, 0, 0},
                {"(hd0)", true, DEVSPEC_GRUB, "hd0", 'h', 0, 0},
                {"(hd0,0)", true, DEVSPEC_GRUB, "hd0,0", 'h', 0, 1},
                {"(hd1,4)", true, DEVSPEC_GRUB, "hd1,4", 'h', 1, 5},
                {"(hd1,1)", false, DEVSPEC_GRUB, "hd1,1", 'h', 1, 1},
                {"(hd0,msdos1)", true, DEVSPEC_GRUB, "hd0,msdos1", 'h', 0, 1},
                {"(hd0,msdos1)", false, DEVSPEC_GRUB, "hd0,msdos1", 'h', 0, 1},
                {"(hd0,gpt2)", true, DEVSPEC_GRUB, "hd0,gpt2", 'h', 0, 2},
                {"(hd12,gpt15)", false, DEVSPEC_GRUB, "hd12,gpt15", 'h', 12, 15},
                {"(fd0)", true, DEVSPEC_GRUB, "fd0", 'f', 0, 0},
                {"(fd1)", false, DEVSPEC_GRUB, "fd1", 'f', 1, 0},
                {"(cd)", true, DEVSPEC_GRUB, "cd", 'c', 0, 0},
                {"(cd0)", true, DEVSPEC_GRUB, "cd0", 'c', 0, 0},
                {"(cd1)", true, DEVSPEC_GRUB, "cd1", 'c', 1, 0},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                struct devspec s = {0};
                int r = devspec_parse(cases[i].spec, cases[i].legacy, &s);

                if (r != 0 || s.kind != cases[i].kind || !streq_ptr(s.value, cases[i].value))
                        printf("# case '%s'\n", cases[i].spec);
                CHECK_INTEQ(r, 0);
                if (r < 0)
                        continue;
                CHECK_INTEQ(s.kind, cases[i].kind);
                CHECK_STREQ(s.value, cases[i].value);
                if (cases[i].kind == DEVSPEC_GRUB) {
                        CHECK_INTEQ(s.grub_type, cases[i].type);
                        CHECK_INTEQ(s.grub_disk, cases[i].disk);
                        CHECK_INTEQ(s.grub_part, cases[i].part);
                }
                devspec_done(&s);
                CHECK(s.value == NULL);
        }
}

TEST(devspec_parse_errors)
{
        static const struct {
                const char *spec;
                bool legacy;
        } cases[] = {
                {"", true},
                {"(hd0", true},
                {"hd0)", true},
                {"()", true},
                {"(xx0,1)", true},
                {"(hd)", true},
                {"(hdx)", true},
                {"(hd0,)", true},
                {"(hd0,a)", true},
                {"(hd0,0,a)", true},
                {"(hd0,msdos1,bsd1)", false},
                {"(hd0,0)", false},
                {"(hd0,msdos0)", true},
                {"(hd0,gpt0)", false},
                {"(hd-1)", true},
                {"(hd0, 1)", true},
                {"(fd0,0)", true},
                {"(cd,1)", true},
                {"(hd9999999)", true},
                {"(hd0)x", true},
                {"UUID=", true},
                {"LABEL=\"\"", true},
                {"PARTUUID=", true},
                {"FOO=bar", true},
                {"/dev/", true},
                {"/dev/sda/", true},
                {"/tmp/disk.img", true},
                {"sd a1", true},
                {":sda1", true},
                {"/dev/disk/by-uuid/", true},
                {"/dev/disk/by-label/a/b", true},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                struct devspec s = {0};
                int r = devspec_parse(cases[i].spec, cases[i].legacy, &s);

                if (r != -EINVAL)
                        printf("# case '%s' gave %d\n", cases[i].spec, r);
                CHECK_INTEQ(r, -EINVAL);
                if (r == 0)
                        devspec_done(&s);
        }
}

TEST(resolve_ids)
{
        struct device_list l = {0};
        struct device d = {0};
        struct devspec s;

        add_dev(&l, "sda", false, NULL, NULL);
        add_dev(&l, "sda1", false, "0d4c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b", "root");
        add_dev(&l, "sda2", false, "1234-ABCD", "Root");
        d = (struct device){.name = (char *) "sdb1",
                            .partuuid = (char *) "ABC-01",
                            .partlabel = (char *) "EFI system",
                            .label = (char *) "root"};
        REQUIRE(device_list_add(&l, &d) == 0);

        CHECK_STREQ(resolve_name("sda2", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sda2");
        CHECK_STREQ(resolve_name("/dev/sda1", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sda1");
        CHECK_STREQ(resolve_name("sda", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sda");
        CHECK_STREQ(resolve_name("sda3", &l, NULL, CONFIG_GRUB_FIRST_HDX), "(none)");
        CHECK_STREQ(resolve_name("UUID=0D4C1A2B-3C4D-4E5F-8A9B-0C1D2E3F4A5B", &l, NULL,
                                 CONFIG_GRUB_FIRST_HDX),
                    "sda1");
        CHECK_STREQ(resolve_name("UUID=1234-abcd", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sda2");
        CHECK_STREQ(resolve_name("/dev/disk/by-uuid/1234-ABCD", &l, NULL, CONFIG_GRUB_FIRST_HDX),
                    "sda2");
        CHECK_STREQ(resolve_name("UUID=1234", &l, NULL, CONFIG_GRUB_FIRST_HDX), "(none)");
        /* Labels are exact: the first match in list order. */
        CHECK_STREQ(resolve_name("LABEL=root", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sda1");
        CHECK_STREQ(resolve_name("LABEL=Root", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sda2");
        CHECK_STREQ(resolve_name("LABEL=ROOT", &l, NULL, CONFIG_GRUB_FIRST_HDX), "(none)");
        CHECK_STREQ(resolve_name("PARTUUID=abc-01", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sdb1");
        CHECK_STREQ(resolve_name("PARTLABEL=EFI system", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sdb1");
        CHECK_STREQ(resolve_name("PARTLABEL=efi system", &l, NULL, CONFIG_GRUB_FIRST_HDX),
                    "(none)");
        /* With an fstype prefix. */
        CHECK_STREQ(resolve_name("ext4:UUID=1234-ABCD", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sda2");
        CHECK_STREQ(resolve_name("auto:sda1", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sda1");
        CHECK_STREQ(resolve_name("ext4:", &l, NULL, CONFIG_GRUB_FIRST_HDX), "(none)");
        CHECK_STREQ(resolve_name("(hd0", &l, NULL, CONFIG_GRUB_FIRST_HDX), "(none)");
        CHECK(grub_devname_resolve_string(NULL, &l, NULL, CONFIG_GRUB_FIRST_HDX) == NULL);

        REQUIRE(devspec_parse("LABEL=root", true, &s) == 0);
        CHECK(grub_devname_resolve(&s, &l, NULL, CONFIG_GRUB_FIRST_HDX) == &l.items[1]);
        devspec_done(&s);
        device_list_done(&l);
}

TEST(resolve_grub_bios_order)
{
        struct device_list l = {0};

        /* sdb is a USB stick: removable disks come after fixed ones. */
        add_dev(&l, "sdb", true, NULL, NULL);
        add_dev(&l, "sdb1", true, NULL, NULL);
        add_dev(&l, "sda", false, NULL, NULL);
        add_dev(&l, "sda1", false, NULL, NULL);
        add_dev(&l, "sda2", false, NULL, NULL);
        add_dev(&l, "hdc", false, NULL, NULL);
        add_dev(&l, "hdc1", false, NULL, NULL);
        add_dev(&l, "hda", false, NULL, NULL);
        add_dev(&l, "hda1", false, NULL, NULL);
        add_dev(&l, "sr0", true, NULL, NULL);
        add_dev(&l, "sr1", true, NULL, NULL);
        add_dev(&l, "fd0", true, NULL, NULL);

        /* hdx: hda, hdc, sda, sdb */
        CHECK_STREQ(resolve_name("(hd0)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "hda");
        CHECK_STREQ(resolve_name("(hd0,0)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "hda1");
        CHECK_STREQ(resolve_name("(hd1,0)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "hdc1");
        CHECK_STREQ(resolve_name("(hd2,1)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sda2");
        CHECK_STREQ(resolve_name("(hd2,msdos2)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sda2");
        CHECK_STREQ(resolve_name("(hd3,0)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sdb1");
        CHECK_STREQ(resolve_name("(hd4,0)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "(none)");
        CHECK_STREQ(resolve_name("(hd0,1)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "(none)");
        /* sdx: sda, hda, hdc, sdb (removable still last) */
        CHECK_STREQ(resolve_name("(hd0,0)", &l, NULL, CONFIG_GRUB_FIRST_SDX), "sda1");
        CHECK_STREQ(resolve_name("(hd1,0)", &l, NULL, CONFIG_GRUB_FIRST_SDX), "hda1");
        CHECK_STREQ(resolve_name("(hd2)", &l, NULL, CONFIG_GRUB_FIRST_SDX), "hdc");
        CHECK_STREQ(resolve_name("(hd3,gpt1)", &l, NULL, CONFIG_GRUB_FIRST_SDX), "sdb1");
        /* Floppy and CD drives are never hd. */
        CHECK_STREQ(resolve_name("(fd0)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "fd0");
        CHECK_STREQ(resolve_name("(fd1)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "(none)");
        CHECK_STREQ(resolve_name("(cd)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sr0");
        CHECK_STREQ(resolve_name("(cd0)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sr0");
        CHECK_STREQ(resolve_name("(cd1)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sr1");
        CHECK_STREQ(resolve_name("(cd2)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "(none)");
        device_list_done(&l);
}

TEST(resolve_grub_modern_disks)
{
        struct device_list l = {0};

        add_dev(&l, "mmcblk0", false, NULL, NULL);
        add_dev(&l, "mmcblk0p1", false, NULL, NULL);
        add_dev(&l, "mmcblk0boot0", false, NULL, NULL);
        add_dev(&l, "nvme1n1", false, NULL, NULL);
        add_dev(&l, "nvme1n1p1", false, NULL, NULL);
        add_dev(&l, "nvme0n1", false, NULL, NULL);
        add_dev(&l, "nvme0n1p1", false, NULL, NULL);
        add_dev(&l, "nvme0n1p2", false, NULL, NULL);
        add_dev(&l, "vdb", false, NULL, NULL);
        add_dev(&l, "vdb1", false, NULL, NULL);
        add_dev(&l, "vda", false, NULL, NULL);
        add_dev(&l, "vda1", false, NULL, NULL);
        add_dev(&l, "xvda1", false, NULL, NULL);
        add_dev(&l, "loop0", false, NULL, NULL);
        add_dev(&l, "md0", false, NULL, NULL);
        add_dev(&l, "dm-0", false, NULL, NULL);

        /* vd*, xvd*, nvme*, mmcblk*; loop, md and dm are never (hdN). */
        CHECK_STREQ(resolve_name("(hd0,0)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "vda1");
        CHECK_STREQ(resolve_name("(hd1,0)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "vdb1");
        CHECK_STREQ(resolve_name("(hd2,0)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "xvda1");
        CHECK_STREQ(resolve_name("(hd3,gpt2)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "nvme0n1p2");
        CHECK_STREQ(resolve_name("(hd4)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "nvme1n1");
        CHECK_STREQ(resolve_name("(hd5,0)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "mmcblk0p1");
        CHECK_STREQ(resolve_name("(hd6)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "(none)");
        CHECK_STREQ(resolve_name("(hd0,0)", &l, NULL, CONFIG_GRUB_FIRST_SDX), "vda1");
        device_list_done(&l);
}

TEST(resolve_grub_letter_order)
{
        struct device_list l = {0};

        add_dev(&l, "sdaa1", false, NULL, NULL);
        add_dev(&l, "sdz1", false, NULL, NULL);
        add_dev(&l, "sdb1", false, NULL, NULL);
        add_dev(&l, "sda10", false, NULL, NULL);
        add_dev(&l, "sda2", false, NULL, NULL);

        /* Kernel order: sda, sdb, sdz, sdaa. */
        CHECK_STREQ(resolve_name("(hd0,1)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sda2");
        CHECK_STREQ(resolve_name("(hd0,9)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sda10");
        CHECK_STREQ(resolve_name("(hd1,0)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sdb1");
        CHECK_STREQ(resolve_name("(hd2,0)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sdz1");
        CHECK_STREQ(resolve_name("(hd3,0)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sdaa1");
        device_list_done(&l);
}

TEST(resolve_grub_fixture_partitions)
{
        struct device_list l = {0};
        struct device d;

        /* --fs fixtures name partitions only: the disks come from their names. */
        REQUIRE(device_from_fs_option("/tmp/b,dev=/dev/sdb1,label=usb", 0, &d) == 0);
        d.removable = true;
        REQUIRE(device_list_add(&l, &d) == 0);
        device_done(&d);
        REQUIRE(device_from_fs_option("/tmp/a2,dev=/dev/sda2", 1, &d) == 0);
        REQUIRE(device_list_add(&l, &d) == 0);
        device_done(&d);
        REQUIRE(device_from_fs_option("/tmp/a1,dev=sda1", 2, &d) == 0);
        REQUIRE(device_list_add(&l, &d) == 0);
        device_done(&d);
        REQUIRE(device_from_fs_option("/tmp/plain", 3, &d) == 0);
        REQUIRE(device_list_add(&l, &d) == 0);
        device_done(&d);

        CHECK_STREQ(resolve_name("(hd0,gpt2)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sda2");
        CHECK_STREQ(resolve_name("(hd0,0)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sda1");
        CHECK_STREQ(resolve_name("(hd1,0)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sdb1");
        /* No whole-disk device to return. */
        CHECK_STREQ(resolve_name("(hd0)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "(none)");
        CHECK_STREQ(resolve_name("(hd2,0)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "(none)");
        CHECK_STREQ(resolve_name("fs3", &l, NULL, CONFIG_GRUB_FIRST_HDX), "fs3");
        CHECK_STREQ(resolve_name("LABEL=usb", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sdb1");
        device_list_done(&l);
}

TEST(resolve_grub_devmap)
{
        static const char map_text[] = "# device.map\n"
                                       "(hd0) /dev/sdb\n"
                                       "(hd1)\t/dev/sda  # the old disk\n"
                                       "(hd0,4) /dev/sda3\n"
                                       "(hd5) /dev/hdz\n"
                                       "(fd0) /dev/sdc\n"
                                       "(cd) /dev/sr1\n";
        struct device_list l = {0};
        struct grub_devmap map;
        struct diag_list d = {0};

        add_dev(&l, "sda", false, NULL, NULL);
        add_dev(&l, "sda1", false, NULL, NULL);
        add_dev(&l, "sda3", false, NULL, NULL);
        add_dev(&l, "sdb", true, NULL, NULL);
        add_dev(&l, "sdb1", true, NULL, NULL);
        add_dev(&l, "sdb2", true, NULL, NULL);
        add_dev(&l, "sdc", true, NULL, NULL);
        add_dev(&l, "sr0", true, NULL, NULL);
        add_dev(&l, "sr1", true, NULL, NULL);
        REQUIRE(grub_devmap_parse(map_text, NULL, &map, &d) == 0);
        CHECK_INTEQ(d.n, 0);
        CHECK_INTEQ(map.n, 6);

        /* The map wins over the BIOS order (which would make sda hd0). */
        CHECK_STREQ(resolve_name("(hd0)", &l, &map, CONFIG_GRUB_FIRST_HDX), "sdb");
        CHECK_STREQ(resolve_name("(hd0,1)", &l, &map, CONFIG_GRUB_FIRST_HDX), "sdb2");
        CHECK_STREQ(resolve_name("(hd0,msdos1)", &l, &map, CONFIG_GRUB_FIRST_HDX), "sdb1");
        CHECK_STREQ(resolve_name("(hd1,0)", &l, &map, CONFIG_GRUB_FIRST_HDX), "sda1");
        /* A mapped disk without that partition: no guessing. */
        CHECK_STREQ(resolve_name("(hd0,2)", &l, &map, CONFIG_GRUB_FIRST_HDX), "(none)");
        /* An exact whole-name entry. */
        CHECK_STREQ(resolve_name("(hd0,4)", &l, &map, CONFIG_GRUB_FIRST_HDX), "sda3");
        /* A mapped disk that is not here: back to the BIOS order (sda, sdb). */
        CHECK_STREQ(resolve_name("(hd5)", &l, &map, CONFIG_GRUB_FIRST_HDX), "(none)");
        CHECK_STREQ(resolve_name("(fd0)", &l, &map, CONFIG_GRUB_FIRST_HDX), "sdc");
        CHECK_STREQ(resolve_name("(cd)", &l, &map, CONFIG_GRUB_FIRST_HDX), "sr1");
        CHECK_STREQ(resolve_name("(cd0)", &l, &map, CONFIG_GRUB_FIRST_HDX), "sr0");
        /* Without the map. */
        CHECK_STREQ(resolve_name("(hd0,0)", &l, NULL, CONFIG_GRUB_FIRST_HDX), "sda1");
        grub_devmap_done(&map);
        diag_list_done(&d);

        /* The map names hd2, which is not here: the BIOS order gives hd2 = sdc. */
        REQUIRE(grub_devmap_parse("(hd2) /dev/hdq\n", NULL, &map, NULL) == 0);
        CHECK_STREQ(resolve_name("(hd2)", &l, &map, CONFIG_GRUB_FIRST_HDX), "sdc");
        grub_devmap_done(&map);
        device_list_done(&l);
}

TEST(devmap_parse)
{
        static const char text[] = "# comment\n"            /* 1 */
                                   "\n"                     /* 2 */
                                   "(hd0) /dev/hda\r\n"     /* 3 */
                                   "  (fd0)   /dev/fd0  \n" /* 4 */
                                   "hd1 /dev/sdb\n"         /* 5 */
                                   "(hd1)\n"                /* 6 */
                                   "(hd1) /dev/sdb extra\n" /* 7 */
                                   "() /dev/sdb\n"          /* 8 */
                                   "(hd1/dev/sdb\n"         /* 9 */
                                   "(hd0) /dev/sda\n"       /* 10: overrides line 3 */
                                   "(hd2)/dev/sdc\n"        /* 11 */
                                   "(hd3) /dev/sdd";        /* 12, no newline */
        static const struct config_source src = {.fs = "/dev/sda1",
                                                 .file = "/boot/grub/device.map"};
        struct grub_devmap map;
        struct diag_list d = {0};

        REQUIRE(grub_devmap_parse(text, &src, &map, &d) == 0);
        REQUIRE(map.n == 3);
        CHECK_STREQ(map.items[0].grub, "hd0");
        CHECK_STREQ(map.items[0].device, "/dev/sda");
        CHECK_STREQ(map.items[1].grub, "fd0");
        CHECK_STREQ(map.items[1].device, "/dev/fd0");
        CHECK_STREQ(map.items[2].grub, "hd3");
        CHECK_STREQ(map.items[2].device, "/dev/sdd");
        REQUIRE(d.n == 6);
        CHECK_INTEQ(d.items[0].line, 5);
        CHECK_INTEQ(d.items[1].line, 6);
        CHECK_INTEQ(d.items[2].line, 7);
        CHECK_INTEQ(d.items[3].line, 8);
        CHECK_INTEQ(d.items[4].line, 9);
        CHECK_INTEQ(d.items[5].line, 11);
        CHECK_STREQ(d.items[0].message, "malformed line, expected '(hd0) /dev/sda'");
        CHECK_STREQ(d.items[0].file, "/boot/grub/device.map");
        CHECK_STREQ(d.items[0].fs, "/dev/sda1");
        grub_devmap_done(&map);
        CHECK(map.items == NULL && map.n == 0);
        diag_list_done(&d);

        REQUIRE(grub_devmap_parse("", NULL, &map, NULL) == 0);
        CHECK_INTEQ(map.n, 0);
        grub_devmap_done(&map);
}

TEST(fs_option)
{
        struct device d;

        REQUIRE(device_from_fs_option("/srv/root,dev=/dev/sda1,uuid=U-1,label=L,partuuid=P,"
                                      "partlabel=PL,type=ext4",
                                      7, &d) == 0);
        CHECK_STREQ(d.mountdir, "/srv/root");
        CHECK_STREQ(d.name, "sda1");
        CHECK_STREQ(d.path, "/dev/sda1");
        CHECK_STREQ(d.disk, "sda");
        CHECK_INTEQ(d.partno, 1);
        CHECK_STREQ(d.uuid, "U-1");
        CHECK_STREQ(d.label, "L");
        CHECK_STREQ(d.partuuid, "P");
        CHECK_STREQ(d.partlabel, "PL");
        CHECK_STREQ(d.fstype, "ext4");
        CHECK(!d.removable);
        CHECK(!d.usb);
        device_done(&d);
        CHECK(d.name == NULL);

        REQUIRE(device_from_fs_option("dir,dev=nvme0n1p3", 0, &d) == 0);
        CHECK_STREQ(d.name, "nvme0n1p3");
        CHECK_STREQ(d.path, "/dev/nvme0n1p3");
        CHECK_STREQ(d.disk, "nvme0n1");
        CHECK_INTEQ(d.partno, 3);
        CHECK_STREQ(d.mountdir, "dir");
        CHECK(d.uuid == NULL && d.label == NULL && d.fstype == NULL);
        device_done(&d);

        REQUIRE(device_from_fs_option("/x,dev=/dev/mapper/vg-root", 0, &d) == 0);
        CHECK_STREQ(d.name, "vg-root");
        CHECK_STREQ(d.path, "/dev/mapper/vg-root");
        device_done(&d);

        /* Without dev=: not a kernel device, named after its index. */
        REQUIRE(device_from_fs_option("/tmp/fixture,label=kexecloader", 4, &d) == 0);
        CHECK_STREQ(d.name, "fs4");
        CHECK_STREQ(d.path, "fs4");
        CHECK_STREQ(d.disk, "fs4");
        CHECK_INTEQ(d.partno, 0);
        CHECK_STREQ(d.label, "kexecloader");
        CHECK_STREQ(d.mountdir, "/tmp/fixture");
        device_done(&d);

        REQUIRE(device_from_fs_option("/tmp/only", 12, &d) == 0);
        CHECK_STREQ(d.name, "fs12");
        device_done(&d);

        d = (struct device){.name = (char *) "untouched"};
        CHECK(device_from_fs_option("/x,colour=red", 0, &d) == -EINVAL);
        CHECK_STREQ(d.name, "untouched");
        CHECK(device_from_fs_option("/x,uuid", 0, &d) == -EINVAL);
        CHECK(device_from_fs_option("/x,uuid=", 0, &d) == -EINVAL);
        CHECK(device_from_fs_option("/x,=a", 0, &d) == -EINVAL);
        CHECK(device_from_fs_option("/x,", 0, &d) == -EINVAL);
        CHECK(device_from_fs_option("/x,dev=/tmp/sda1", 0, &d) == -EINVAL);
        CHECK(device_from_fs_option("/x,dev=/dev/", 0, &d) == -EINVAL);
        CHECK(device_from_fs_option("/x,dev=a/b", 0, &d) == -EINVAL);
        CHECK(device_from_fs_option(",dev=sda1", 0, &d) == -EINVAL);
        CHECK(device_from_fs_option("", 0, &d) == -EINVAL);
        CHECK(device_from_fs_option("/x,UUID=a", 0, &d) == -EINVAL);
        CHECK_STREQ(d.name, "untouched");
}

TEST(list_sort_and_find)
{
        static const char *const names[] = {"sdb10", "sda",  "sr0",  "sdb2", "nvme0n1p1",
                                            "sdb",   "sda1", "sdc1", "sdb1"};
        static const bool removable[] = {true, false, true, true, false, true, false, false, true};
        static const char *const want[] = {"sdb",       "sdb1", "sdb2", "sdb10", "sr0",
                                           "nvme0n1p1", "sda",  "sda1", "sdc1"};
        struct device_list l = {0};

        for (size_t i = 0; i < ARRAY_SIZE(names); i++)
                add_dev(&l, names[i], removable[i], NULL, NULL);
        device_list_sort(&l);
        REQUIRE(l.n == ARRAY_SIZE(want));
        for (size_t i = 0; i < l.n; i++)
                CHECK_STREQ(l.items[i].name, want[i]);
        CHECK(device_list_find_name(&l, "sdb10") == &l.items[3]);
        CHECK(device_list_find_name(&l, "sdb3") == NULL);
        CHECK_STREQ(device_list_find_name(&l, "nvme0n1p1")->path, "/dev/nvme0n1p1");
        device_list_done(&l);
        CHECK(l.n == 0 && l.items == NULL);
}

TEST(list_sort_is_stable)
{
        struct device_list l = {0};
        char path[32];

        /* Equal keys keep their order; enough of them for several merge passes. */
        for (int i = 0; i < 37; i++) {
                struct device d = {0};

                snprintf(path, sizeof(path), "/dev/x%d", i);
                d.name = (char *) (i % 3 == 0 ? "sdb1" : "sda1");
                d.path = path;
                d.removable = i % 5 == 0;
                REQUIRE(device_list_add(&l, &d) == 0);
        }
        device_list_sort(&l);
        for (size_t i = 1; i < l.n; i++) {
                const struct device *a = &l.items[i - 1], *b = &l.items[i];

                CHECK(!(!a->removable && b->removable));
                if (a->removable == b->removable && streq(a->name, b->name))
                        CHECK(atoi(a->path + 6) < atoi(b->path + 6));
                if (a->removable == b->removable)
                        CHECK(util_natcmp(a->name, b->name) <= 0);
        }
        device_list_done(&l);
}

TEST(list_add_is_deep)
{
        struct device_list l = {0};
        char name[] = "sda1", uuid[] = "abcd";
        struct device d = {.name = name,
                           .uuid = uuid,
                           .size = 512,
                           .major = 8,
                           .minor = 1,
                           .partno = 1,
                           .usb = true};

        REQUIRE(device_list_add(&l, &d) == 0);
        name[0] = 'x';
        uuid[0] = 'x';
        CHECK_STREQ(l.items[0].name, "sda1");
        CHECK_STREQ(l.items[0].uuid, "abcd");
        CHECK(l.items[0].name != name);
        CHECK(l.items[0].label == NULL);
        CHECK_INTEQ(l.items[0].size, 512);
        CHECK_INTEQ(l.items[0].major, 8);
        CHECK_INTEQ(l.items[0].minor, 1);
        CHECK_INTEQ(l.items[0].partno, 1);
        CHECK(l.items[0].usb);
        device_list_done(&l);
}
