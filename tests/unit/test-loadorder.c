/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include "core/util.h"
#include "init/loadorder.h"

/* Modaliases as QEMU's devices give them (sysfs of a Debian guest). */
#define BOCHS          "pci:v00001234d00001111sv00001AF4sd00001100bc03sc00i00"
#define VIRTIO_BLK_PCI "pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00"
#define PIIX_IDE       "pci:v00008086d00007010sv00001AF4sd00001100bc01sc01i80"
#define XHCI           "pci:v00001B36d0000000Dsv00001AF4sd00001100bc0Csc03i30"
#define ISA_BRIDGE     "pci:v00008086d00007000sv00001AF4sd00001100bc06sc01i00"
#define PS2            "acpi:PNP0303:"
#define VIRTIO_BLK     "virtio:d00000002v00001AF4"
#define VIRTIO_GPU     "virtio:d00000010v00001AF4"

TEST(ranks)
{
        CHECK_INTEQ(loadorder_rank(BOCHS), LOADORDER_DISPLAY);
        CHECK_INTEQ(loadorder_rank(VIRTIO_GPU), LOADORDER_DISPLAY);
        CHECK_INTEQ(loadorder_rank(VIRTIO_BLK_PCI), LOADORDER_STORAGE);
        CHECK_INTEQ(loadorder_rank(PIIX_IDE), LOADORDER_STORAGE);
        CHECK_INTEQ(loadorder_rank(XHCI), LOADORDER_STORAGE);
        CHECK_INTEQ(loadorder_rank(VIRTIO_BLK), LOADORDER_STORAGE);
        CHECK_INTEQ(loadorder_rank("scsi:t-0x00"), LOADORDER_STORAGE);
        CHECK_INTEQ(loadorder_rank(ISA_BRIDGE), LOADORDER_OTHER);
        CHECK_INTEQ(loadorder_rank(PS2), LOADORDER_OTHER);
        CHECK_INTEQ(loadorder_rank("scsi:t-0x05"), LOADORDER_OTHER);
        /* malformed: never a display, never past the end */
        CHECK_INTEQ(loadorder_rank("pci:bc03"), LOADORDER_OTHER);
        CHECK_INTEQ(loadorder_rank("pci:v1bcZZsc00"), LOADORDER_OTHER);
        CHECK_INTEQ(loadorder_rank("pci:"), LOADORDER_OTHER);
        CHECK_INTEQ(loadorder_rank(""), LOADORDER_OTHER);
        CHECK_INTEQ(loadorder_rank(NULL), LOADORDER_OTHER);
}

TEST(sort_is_stable)
{
        char *a[] = {PS2, PIIX_IDE, ISA_BRIDGE, BOCHS, XHCI, VIRTIO_BLK_PCI, VIRTIO_GPU};
        const char *want[] = {BOCHS, VIRTIO_GPU, PIIX_IDE, XHCI, VIRTIO_BLK_PCI, PS2, ISA_BRIDGE};

        loadorder_sort(a, ARRAY_SIZE(a));
        for (size_t i = 0; i < ARRAY_SIZE(a); i++)
                CHECK_STREQ(a[i], want[i]);
        loadorder_sort(a, 0);
        CHECK_STREQ(a[0], BOCHS);
}

TEST(fs_modules)
{
        const char *const *m = loadorder_fs_modules("vfat");

        REQUIRE(m != NULL);
        CHECK_STREQ(m[0], "fs-vfat");
        CHECK_STREQ(m[1], "nls_cp437");
        CHECK_STREQ(m[2], "nls_ascii");
        CHECK(m[3] == NULL);
        m = loadorder_fs_modules("ext4");
        REQUIRE(m != NULL);
        CHECK_STREQ(m[0], "fs-ext4");
        CHECK(m[1] == NULL);
        REQUIRE(loadorder_fs_modules("btrfs") != NULL);
        CHECK(loadorder_fs_modules("swap") == NULL);
        CHECK(loadorder_fs_modules("crypto_LUKS") == NULL);
        CHECK(loadorder_fs_modules("linux_raid_member") == NULL);
        CHECK(loadorder_fs_modules("") == NULL);
        CHECK(loadorder_fs_modules(NULL) == NULL);
}
