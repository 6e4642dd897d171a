/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include "core/util.h"
#include "init/uevent.h"

/* Builds a message the way the kernel sends it: each string followed by its NUL. */
static size_t msg(char *buf, size_t size, const char *const *strings)
{
        size_t n = 0;

        for (; *strings; strings++) {
                size_t l = strlen(*strings) + 1;

                if (n + l > size)
                        break;
                memcpy(buf + n, *strings, l);
                n += l;
        }
        return n;
}

TEST(usb_device_add)
{
        static const char *const s[] = {
                "add@/devices/pci0000:00/0000:00:04.0/usb2/2-1",
                "ACTION=add",
                "DEVPATH=/devices/pci0000:00/0000:00:04.0/usb2/2-1",
                "SUBSYSTEM=usb",
                "MAJOR=189",
                "MINOR=129",
                "DEVNAME=bus/usb/002/002",
                "DEVTYPE=usb_device",
                "PRODUCT=46f4/1/0",
                "TYPE=0/0/0",
                "BUSNUM=002",
                "DEVNUM=002",
                "SEQNUM=1234",
                NULL,
        };
        char buf[2048];
        size_t n = msg(buf, sizeof(buf), s);
        struct uevent u;

        REQUIRE(uevent_parse(buf, n, &u) == 0);
        CHECK_STREQ(u.action, "add");
        CHECK_STREQ(u.devpath, "/devices/pci0000:00/0000:00:04.0/usb2/2-1");
        CHECK_STREQ(u.subsystem, "usb");
        CHECK_STREQ(u.devtype, "usb_device");
        CHECK_STREQ(u.devname, "bus/usb/002/002");
        CHECK(u.modalias == NULL);
        CHECK_INTEQ(u.seqnum, 1234);
        /* pointers into the buffer */
        CHECK(u.action > buf && u.action < buf + n);
}

TEST(interface_with_modalias)
{
        static const char *const s[] = {
                "add@/devices/pci0000:00/0000:00:04.0/usb2/2-1/2-1:1.0",
                "ACTION=add",
                "DEVPATH=/devices/pci0000:00/0000:00:04.0/usb2/2-1/2-1:1.0",
                "SUBSYSTEM=usb",
                "DEVTYPE=usb_interface",
                "PRODUCT=46f4/1/0",
                "INTERFACE=8/6/80",
                "MODALIAS=usb:v46F4p0001d0000dc00dsc00dp00ic08isc06ip50in00",
                "SEQNUM=1240",
                NULL,
        };
        char buf[2048];
        size_t n = msg(buf, sizeof(buf), s);
        struct uevent u;

        REQUIRE(uevent_parse(buf, n, &u) == 0);
        CHECK_STREQ(u.modalias, "usb:v46F4p0001d0000dc00dsc00dp00ic08isc06ip50in00");
        CHECK_STREQ(u.devtype, "usb_interface");
        CHECK(u.devname == NULL);
}

TEST(scsi_disk_and_block)
{
        static const char *const scsi[] = {
                "add@/devices/pci0000:00/0000:00:04.0/usb2/2-1/2-1:1.0/host0/target0:0:0/0:0:0:0",
                "ACTION=add",
                "DEVPATH=/devices/pci0000:00/0000:00:04.0/usb2/2-1/2-1:1.0/host0/target0:0:0/"
                "0:0:0:0",
                "SUBSYSTEM=scsi",
                "DEVTYPE=scsi_device",
                "MODALIAS=scsi:t-0x00",
                "SEQNUM=1250",
                NULL,
        };
        static const char *const block[] = {
                "remove@/devices/virtual/block/loop0",
                "ACTION=remove",
                "DEVPATH=/devices/virtual/block/loop0",
                "SUBSYSTEM=block",
                "MAJOR=7",
                "MINOR=0",
                "DEVNAME=loop0",
                "DEVTYPE=disk",
                "DISKSEQ=3",
                "SEQNUM=1300",
                NULL,
        };
        char buf[2048];
        size_t n = msg(buf, sizeof(buf), scsi);
        struct uevent u;

        REQUIRE(uevent_parse(buf, n, &u) == 0);
        CHECK_STREQ(u.subsystem, "scsi");
        CHECK_STREQ(u.modalias, "scsi:t-0x00");

        n = msg(buf, sizeof(buf), block);
        REQUIRE(uevent_parse(buf, n, &u) == 0);
        CHECK_STREQ(u.action, "remove");
        CHECK_STREQ(u.subsystem, "block");
        CHECK_STREQ(u.devname, "loop0");
        CHECK_STREQ(u.devtype, "disk");
}

TEST(libudev_ignored)
{
        /* udev's monitor messages: "libudev", a magic number, then binary offsets. */
        static const char m[] = "libudev\0\xfe\xed\xca\xfe\x28\x00\x00\x00"
                                "ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=block\0";
        struct uevent u;

        CHECK_INTEQ(uevent_parse(m, sizeof(m), &u), -EPROTO);
        CHECK(u.action == NULL && u.subsystem == NULL);
}

TEST(garbage)
{
        static const char *const no_keys[] = {"add@/devices/x", "SUBSYSTEM=block", NULL};
        static const char *const mismatch[] = {"add@/devices/x", "ACTION=remove",
                                               "DEVPATH=/devices/x", NULL};
        static const char *const other_path[] = {"add@/devices/x", "ACTION=add",
                                                 "DEVPATH=/devices/y", NULL};
        static const char *const no_at[] = {"add/devices/x", "ACTION=add", "DEVPATH=/devices/x",
                                            NULL};
        static const char *const empty_action[] = {"@/devices/x", "ACTION=", "DEVPATH=/devices/x",
                                                   NULL};
        char buf[512];
        struct uevent u;
        size_t n;

        CHECK_INTEQ(uevent_parse(NULL, 0, &u), -EINVAL);
        CHECK_INTEQ(uevent_parse("", 0, &u), -EINVAL);
        CHECK_INTEQ(uevent_parse("", 1, &u), -EINVAL);
        /* no NUL at all */
        CHECK_INTEQ(uevent_parse("add@/devices/x", 14, &u), -EINVAL);
        CHECK_INTEQ(uevent_parse("\xff\xfe\x00\x01", 4, &u), -EINVAL);
        n = msg(buf, sizeof(buf), no_keys);
        CHECK_INTEQ(uevent_parse(buf, n, &u), -EINVAL);
        n = msg(buf, sizeof(buf), mismatch);
        CHECK_INTEQ(uevent_parse(buf, n, &u), -EINVAL);
        n = msg(buf, sizeof(buf), other_path);
        CHECK_INTEQ(uevent_parse(buf, n, &u), -EINVAL);
        n = msg(buf, sizeof(buf), no_at);
        CHECK_INTEQ(uevent_parse(buf, n, &u), -EINVAL);
        n = msg(buf, sizeof(buf), empty_action);
        CHECK_INTEQ(uevent_parse(buf, n, &u), -EINVAL);
}

TEST(truncated)
{
        static const char *const s[] = {
                "add@/devices/pci0000:00/0000:00:02.0",
                "ACTION=add",
                "DEVPATH=/devices/pci0000:00/0000:00:02.0",
                "SUBSYSTEM=pci",
                "MODALIAS=pci:v00001234d00001111sv00001AF4sd00001100bc03sc00i00",
                NULL,
        };
        char buf[512];
        size_t n = msg(buf, sizeof(buf), s);
        struct uevent u;

        /* The last string cut short, without its NUL: ignored, the rest stands. */
        REQUIRE(uevent_parse(buf, n - 5, &u) == 0);
        CHECK(u.modalias == NULL);
        CHECK_STREQ(u.subsystem, "pci");
        /* Cut inside DEVPATH=: no kernel uevent. */
        CHECK_INTEQ(uevent_parse(buf, strlen(s[0]) + 1 + strlen(s[1]) + 1 + 10, &u), -EINVAL);
        /* Every length from 0 to the whole: never a crash, never a pointer past the end. */
        for (size_t k = 0; k <= n; k++) {
                int r = uevent_parse(buf, k, &u);

                CHECK(r == 0 || r == -EINVAL);
                if (r == 0) {
                        CHECK(u.devpath + strlen(u.devpath) < buf + k);
                        CHECK(!u.modalias || u.modalias + strlen(u.modalias) < buf + k);
                }
        }
}

TEST(empty_values_and_extra_nuls)
{
        static const char m[] = "change@/devices/virtual/block/loop1\0\0ACTION=change\0"
                                "DEVPATH=/devices/virtual/block/loop1\0\0SUBSYSTEM=block\0"
                                "MODALIAS=\0DEVNAME=\0SEQNUM=x12\0";
        struct uevent u;

        REQUIRE(uevent_parse(m, sizeof(m) - 1, &u) == 0);
        CHECK_STREQ(u.action, "change");
        CHECK_STREQ(u.subsystem, "block");
        CHECK(u.modalias == NULL);
        CHECK(u.devname == NULL);
        CHECK_INTEQ(u.seqnum, 0);
}
