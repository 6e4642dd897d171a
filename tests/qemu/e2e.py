#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""End-to-end scenarios: the Debian kernel with our initramfs in QEMU (TCG), test disks made with
mkfs, a real kexec into a second-stage initrd that prints its command line and powers off.

Run one scenario: e2e.py NAME. Each prints its timings; on failure it prints the serial screen,
the serial log, the trace and the debug log, and keeps the run directory (screenshots too)."""

import gzip
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vm as V  # noqa: E402
from vm import Failure  # noqa: E402
import firmware as FW  # noqa: E402
import setupvm as SV  # noqa: E402

DOWN, UP, ENTER, ESC = "\x1b[B", "\x1b[A", "\r", "\x1b"


def entry(title, root, name, extra=""):
    return ("title %s\nroot %s\nkernel /boot/vmlinuz\ninitrd /boot/stage2.img\n"
            "append console=ttyS0,115200 quiet panic=-1 entry=%s%s\n\n" % (title, root, name, extra))


def boot_files(art):
    return {"boot/vmlinuz": open(art.vmlinuz, "rb").read(),
            "boot/stage2.img": open(art.stage2, "rb").read()}


def standard_disks(vm, config):
    """ext4 (with the config), vfat, and a GPT disk with an ext4 and a vfat partition."""
    files = boot_files(vm.art)
    ext4 = V.ext4_image(vm.path("ext4.img"),
                        dict(files, **({"kexec-loader.conf": config} if config else {})),
                        "KLEXT4", uuid="6f0c1e0a-3f5e-4b8e-9d61-0c2b8a1e7d11")
    vfat = V.vfat_image(vm.path("vfat.img"), files, "KLVFAT", volid="1234ABCD")
    p1 = V.ext4_image(vm.path("gpt-p1.img"), files, "KLGPT1", size_mb=40)
    p2 = V.vfat_image(vm.path("gpt-p2.img"), files, "KLGPT2", size_mb=40)
    gpt = V.gpt_image(vm.path("gpt.img"), [("klgpt1", p1), ("klgpt2", p2)])
    os.unlink(p1)
    os.unlink(p2)
    return [V.Disk(p).seal() for p in (ext4, vfat, gpt)]


CONFIG = ("timeout 0\n" + entry("First entry", "LABEL=KLEXT4", "first")
          + entry("Second entry", "UUID=6f0c1e0a-3f5e-4b8e-9d61-0c2b8a1e7d11", "second")
          + entry("On the FAT disk", "LABEL=KLVFAT", "vfat")
          + entry("GPT partition 2", "PARTLABEL=klgpt2", "gpt2")
          + entry("GRUB name", "(hd2,gpt1)", "grubname"))


# On the stick the GRUB name would depend on where the stick sits in the disk order.
STICK_CONFIG = CONFIG[:CONFIG.index("title GRUB name")]


def timings(vm, extra=""):
    first = lambda rx: vm.trace_lines(rx)[0][0] if vm.trace_count(rx) else None  # noqa: E731
    t_init = first("init start")
    t_frame = first("frame first")
    t_ready = first("menu ready entries=[1-9]")
    parts = ["wall %.1f s" % vm.elapsed()]
    if t_init is not None:
        parts.append("init start at %.2f s guest, first frame +%.2f s, menu with entries +%.2f s"
                     % (t_init, t_frame - t_init, t_ready - t_init))
    print("# timings %s: %s%s" % (vm.name, ", ".join(parts), extra))


def check_themed_early(vm, strict=True):
    """The themed menu's first frame came before the search of the disks ended (issue 14: the
    display taken as it appears, drawn while the disks are read): by trace order, the first
    "frame themed" before the first "menu ready" with entries. Prints the guest's times.
    strict=False only prints: where the GPU's driver and the disk's come from the same device
    kind (virtio-vga and virtio disks, loaded by PID 1 as their uevents come), their order is not
    fixed; bochs-drm loads before any storage driver (the coldplug's order, init/loadorder.c)
    and efifb is there from the start."""
    lines = vm.trace_lines(r"^(init start|frame themed|scan device=|menu ready entries=[1-9])")
    kinds = [t.split(" ")[0] + " " + t.split(" ")[1] for _, t in lines]
    if "frame themed" not in kinds or "menu ready" not in kinds:
        raise Failure("no themed frame or no menu with entries: %r" % kinds)
    themed, ready = kinds.index("frame themed"), kinds.index("menu ready")
    if themed > ready:
        if strict:
            raise Failure("the themed frame came after the entries: %r" % [t for _, t in lines])
        print("# the themed frame came after the entries (not checked here)")
    t0 = lines[0][0] if kinds[0] == "init start" else None
    scans = [i for i, k in enumerate(kinds) if k.startswith("scan device") and i < ready]
    if t0 is not None:
        print("# themed frame +%.2f s after /init, entries +%.2f s; %d filesystems read before "
              "the entries, %d of them after the themed frame"
              % (lines[themed][0] - t0, lines[ready][0] - t0, len(scans),
                 len([i for i in scans if i > themed])))


def key(vm, k, expect):
    """Types k on the serial console and waits for the trace line expect, which only k causes."""
    vm.send(k)
    return vm.wait_trace(expect)


def check_disks(disks):
    for d in disks:
        if not d.unchanged():
            raise Failure("%s was written to (checksum changed)" % d.path)
    print("# %d test disks unchanged (sha256)" % len(disks))


def scenario_serial_menu(art):
    """Text menu on a serial console: arrow keys over serial, Enter, the chosen entry boots."""
    vm = V.VM("serial_menu", art, vga="none")
    disks = standard_disks(vm, CONFIG)
    vm.drives = disks
    vm.start()
    try:
        vm.wait_trace("menu ready entries=5 .*unresolved=0")
        if vm.trace_count("frontend graphics") or not vm.trace_count("frontend text"):
            raise Failure("with -vga none the text menu is used:\n" + vm.trace())
        # Every device resolves: the screen loses its "not present" notes.
        vm.wait_screen("First entry", "Second entry", "On the FAT disk", "GPT partition 2",
                       "GRUB name", absent=("not present",))
        key(vm, DOWN, "menu selected=1 ")
        key(vm, DOWN, "menu selected=2 ")
        key(vm, UP, "menu selected=1 ")
        vm.send(ENTER)
        t_key = time.time()
        cmdline = vm.stage2_cmdline()
        if "entry=second" not in cmdline:
            raise Failure("the second entry should have booted: %r" % cmdline)
        t_boot = time.time() - t_key
        vm.wait_exit()
        timings(vm, ", Enter to second stage %.1f s" % t_boot)
        check_disks(disks)
    finally:
        vm.stop()
    return vm


def scenario_boot_each_disk(art):
    """Boots from the FAT disk and the GPT partition (found by PARTLABEL)."""
    for pick, name in ((2, "vfat"), (4, "grubname")):
        vm = V.VM("boot_each_disk_" + name, art, vga="none")
        disks = standard_disks(vm, CONFIG)
        vm.drives = disks
        vm.start()
        try:
            vm.wait_trace("menu ready entries=5 .*unresolved=0")
            for i in range(1, pick + 1):
                key(vm, DOWN, "menu selected=%d " % i)
            vm.send(ENTER)
            cmdline = vm.stage2_cmdline()
            if "entry=%s" % name not in cmdline:
                raise Failure("expected entry=%s: %r" % (name, cmdline))
            vm.wait_exit()
            timings(vm)
            check_disks(disks)
        finally:
            vm.stop()


def scenario_countdown_default(art):
    """The default entry boots when the countdown ends; nothing is pressed."""
    config = ("timeout 2\n" + entry("One", "LABEL=KLEXT4", "one")
              + entry("Two (default)", "LABEL=KLEXT4", "two", "\ndefault"))
    vm = V.VM("countdown_default", art, vga="std")
    disks = standard_disks(vm, config)
    vm.drives = disks
    vm.start()
    try:
        vm.wait_trace("menu ready entries=2 selected=1 timeout=2")
        vm.wait_trace("countdown 0")
        cmdline = vm.stage2_cmdline()
        if "entry=two" not in cmdline:
            raise Failure("the default should boot: %r" % cmdline)
        vm.wait_exit()
        timings(vm)
        check_disks(disks)
    finally:
        vm.stop()


def scenario_evdev_keys(art):
    """Keys pressed on the PS/2 keyboard (QMP send-key) reach the menu through evdev."""
    vm = V.VM("evdev_keys", art, vga="std")
    disks = standard_disks(vm, CONFIG)
    vm.drives = disks
    vm.start()
    try:
        vm.wait_trace("menu ready entries=5 .*unresolved=0")
        # Keys pressed before the menu has opened the keyboard would be lost.
        vm.wait_boot_event("input evdev keyboards=[1-9]")
        vm.screendump("menu")
        vm.send_key("down", "down", "down")
        vm.wait_trace("menu selected=3 ")
        vm.send_key("ret")
        cmdline = vm.stage2_cmdline()
        if "entry=gpt2" not in cmdline:
            raise Failure("the fourth entry should have booted: %r" % cmdline)
        vm.wait_exit()
        timings(vm)
        check_disks(disks)
    finally:
        vm.stop()


def scenario_evdev_fast_typing(art):
    """Keys typed quickly on the PS/2 keyboard (QMP send-key, one after the other with no wait:
    QEMU sends one every 20 ms) while the menu is busy: R (the disks scanned again), S, and a
    shell line of 60 characters and Enter, all queued in QEMU at once. Every key arrives, in
    order: the rest of the shell session is typed on the serial console, and the command line the
    second stage prints holds the 60 characters. The kernel keeps about 10 keys per evdev reader
    and drops them all (SYN_DROPPED) when more come before they are read: a menu that read its
    keyboards only between a scan and a redraw lost them. The keys wait for the graphical screen
    and the end of the coldplug: while the guest kernel itself is stalled (switching the console
    to the frame buffer, under TCG), QEMU's PS/2 controller (16 bytes) loses keys before any
    reader can."""
    vm = V.VM("evdev_fast_typing", art, vga="std")
    disks = standard_disks(vm, CONFIG)
    vm.drives = disks
    typed = "".join("abcdefghijklmnopqrstuvwxyz0123456789"[i * 7 % 36] for i in range(60))
    vm.start()
    try:
        vm.wait_trace_all("frontend graphics", "menu ready entries=5 .*unresolved=0",
                          "init coldplug done")
        vm.wait_boot_event("input evdev keyboards=[1-9]")
        text = "rsappend console=ttyS0,115200 quiet panic=-1 typed=" + typed + "\r"
        vm.send_key(*[QCODES[c] for c in text])
        try:
            vm.wait_screen("append: console=ttyS0,115200 quiet panic=-1 typed=", timeout=120)
        except Failure as e:
            raise Failure("keys were lost (the shell's line did not arrive whole): %s" % e)
        for cmd in ("root LABEL=KLGPT1", "kernel /boot/vmlinuz", "initrd /boot/stage2.img"):
            vm.send(cmd + "\r")
            vm.wait_screen("> " + cmd)
        vm.send("boot\r")
        cmdline = vm.stage2_cmdline()
        got = re.search(r"typed=(\S*)", cmdline)
        if not got or got.group(1) != typed:
            raise Failure("keys were lost: typed %r, the kernel got %r" % (typed, cmdline))
        if vm.trace_count("reload") != 1:
            raise Failure("R should have scanned the disks again:\n" + vm.trace())
        print("# %d keys typed without a pause, all arrived" % len(text))
        vm.wait_exit()
        timings(vm)
        check_disks(disks)
    finally:
        vm.stop()


def scenario_editor_boot(art):
    """Issue 13: E opens the entry editor (on the graphical menu and the serial console beside
    it); an edit left with Esc is discarded (keys on the PS/2 keyboard, through evdev: QMP
    send-key); the entry edited with the line editor's keys on the serial console (`quiet`
    removed, `single` added) boots with Ctrl-X, for real, and the second stage prints the edited
    command line; no disk is written. (The long edit goes over the serial line; fast typing on
    the keyboard is evdev_fast_typing's.)"""
    vm = V.VM("editor_boot", art, vga="std")
    disks = standard_disks(vm, CONFIG)
    vm.drives = disks
    vm.start()
    try:
        vm.wait_trace("menu ready entries=5 .*unresolved=0")
        vm.wait_boot_event("input evdev keyboards=[1-9]")
        vm.send_key("e")
        vm.wait_trace("editor open entry=0 lines=2 lockdown=none")
        vm.wait_screen("linux /boot/vmlinuz console=ttyS0,115200 quiet panic=-1 entry=first",
                       "initrd /boot/stage2.img")
        vm.send_key("end", "x")
        vm.wait_screen("entry=firstx")
        vm.send_key("esc")
        vm.wait_trace("editor cancel")
        vm.wait_trace("screen menu")
        vm.send_key("e")
        vm.wait_trace("editor open entry=0 lines=2")
        vm.wait_screen("quiet panic=-1 entry=first", absent=("entry=firstx",))
        # End, before " panic=-1 entry=first" (21 x Left), " quiet" erased (6 x Backspace),
        # End, " single"; then Ctrl-X
        vm.send("\x1b[F" + "\x1b[D" * 21 + "\x7f" * 6 + "\x1b[F single")
        vm.wait_screen("linux /boot/vmlinuz console=ttyS0,115200 panic=-1 entry=first single")
        vm.send("\x18")
        vm.wait_trace("editor boot kernel=/boot/vmlinuz initrds=1 "
                      "cmdline=console=ttyS0,115200 panic=-1 entry=first single")
        cmdline = vm.stage2_cmdline()
        if "panic=-1 entry=first single" not in cmdline or "quiet" in cmdline:
            raise Failure("the edited command line should have booted: %r" % cmdline)
        vm.wait_exit()
        timings(vm)
        check_disks(disks)
    finally:
        vm.stop()


def scenario_usb_hub_keyboard(art):
    """A USB keyboard behind a USB hub on xHCI, and no PS/2 controller at all (i8042=off): its
    keys (QMP send-key goes to the keyboard QEMU made last, the USB one) move the selection and
    boot the entry. The PS/2 keyboard (i8042, atkbd) is the one evdev_keys drives."""
    vm = V.VM("usb_hub_keyboard", art, vga="none", machine="pc,i8042=off", usb=True,
              extra=["-device", "usb-hub,bus=xhci.0,port=1,id=hub",
                     "-device", "usb-kbd,bus=xhci.0,port=1.1,id=usbkbd"])
    disks = standard_disks(vm, CONFIG)
    vm.drives = disks
    vm.start()
    try:
        vm.wait_trace("menu ready entries=5 .*unresolved=0")
        # The only keyboard there is: the one behind the hub (usbhid, hid-generic, the hub
        # driver of usbcore, xhci-pci), found when it appears.
        vm.wait_boot_event("input evdev keyboards=1")
        vm.send_key("down", "down")
        vm.wait_trace("menu selected=2 ")
        vm.send_key("up")
        vm.wait_trace("menu selected=1 ")
        vm.send_key("ret")
        cmdline = vm.stage2_cmdline()
        if "entry=second" not in cmdline:
            raise Failure("the second entry should have booted: %r" % cmdline)
        vm.wait_exit()
        timings(vm)
        check_disks(disks)
    finally:
        vm.stop()


def band_at(rows, y):
    """The run of consecutive rows (a sorted list) that holds y, as (first, last)."""
    i = rows.index(y)
    first = last = i
    while first > 0 and rows[first - 1] == rows[first] - 1:
        first -= 1
    while last + 1 < len(rows) and rows[last + 1] == rows[last] + 1:
        last += 1
    return rows[first], rows[last]


def scenario_touch_tablet(art):
    """Tablets (absolute pointers, as touch screens are) on the graphical menu: a tap beside
    the list does nothing, a swipe up pages down (the last entry), a tap of the usb-tablet on the
    second entry selects it (the highlight moves there on the screen), a tap of the
    virtio-tablet on it boots it. Taps are QMP input-send-event (absolute position, button down,
    button up)."""
    vm = V.VM("touch_tablet", art, vga="none", usb=True,
              extra=["-device", "VGA,id=vga", "-device", "usb-tablet,bus=xhci.0,id=tablet",
                     "-device", "virtio-tablet-pci,id=vtablet,display=vga"])
    disks = standard_disks(vm, CONFIG)
    vm.drives = disks
    vm.start()
    try:
        vm.wait_trace_all("frontend graphics", "menu ready entries=5 .*unresolved=0")
        vm.wait_boot_event("input touch devices=2")
        shot, rows = vm.wait_pixels("menu", lambda s: (s, V.VM.color_rows(s, ACCENT))
                                    if V.VM.color_rows(s, ACCENT) else None)
        w, h = shot[0], shot[1]
        # The highlighted first entry is a band of rows (its selection box, frame included);
        # one band lower is within the next entry (the band is about one entry's pitch high:
        # the trace says which entry the tap found).
        top, bottom = band_at(rows, min(rows))
        x, y = w // 2, (top + bottom) // 2 + (bottom - top + 1)
        vm.tap(4, 4, w, h)
        vm.wait_trace(r"input tap x=\d+ y=\d+ item=none \(no entry there\)")
        # Half the screen up: a page down, to the last of the five entries.
        vm.swipe(x, h * 3 // 4, h // 4, w, h)
        vm.wait_trace_all("input swipe up", "menu selected=4 countdown=off")
        low = min(vm.wait_pixels("swiped", lambda s: [r for r in [V.VM.color_rows(s, ACCENT)]
                                                      if r and min(r) > y])[0])
        vm.tap(x, y, w, h)
        vm.wait_trace_all(r"input tap x=\d+ y=\d+ item=1$", "menu selected=1 countdown=off")
        moved = vm.wait_pixels("tapped", lambda s: [r for r in [V.VM.color_rows(s, ACCENT)]
                                                    if r and top < min(r) < low])[0]
        print("# %dx%d screen; the swipe moved the highlight from y=%d to y=%d, the tap at %d,%d "
              "to y=%d" % (w, h, top, low, x, y, min(moved)))
        # The virtio-tablet is bound to the display: this tap comes from it alone.
        vm.tap(x, y, w, h, display="vga")
        cmdline = vm.stage2_cmdline()
        if "entry=second" not in cmdline:
            raise Failure("the second tap on the second entry should boot it: %r" % cmdline)
        if vm.trace_count("boot start 'Second entry'") != 1:
            raise Failure("the entry booted is not the one tapped:\n" + vm.trace())
        vm.wait_exit()
        timings(vm)
        check_disks(disks)
    finally:
        vm.stop()


def scenario_devices_and_shell(art):
    """L lists the test disks; H shows the hardware (BIOS, the virtio disks with their drivers,
    the PS/2 keyboard); S opens the shell, where typed commands boot a kernel that is on no
    menu."""
    vm = V.VM("devices_and_shell", art, vga="none")
    disks = standard_disks(vm, CONFIG)
    vm.drives = disks
    vm.start()
    try:
        # Six devices: the three disks, vdc's two partitions and QEMU's IDE DVD drive (sr0),
        # which may come after the disks (sr_mod loads late in the coldplug); the hardware
        # screen below lists it, so the keys wait for it. The menu says it is ready again after
        # every change of the devices.
        vm.wait_trace("devices n=6")
        vm.wait_trace("menu ready entries=5 .*unresolved=0")
        key(vm, "L", "screen pager devices")
        # Waits for the whole list: a redraw can be half-way when the trace line arrives.
        vm.wait_screen("/dev/vda", "/dev/vdb", "/dev/vdc1", "/dev/vdc2", "KLEXT4", "KLGPT1",
                       "KLVFAT", "6f0c1e0a-3f5e-4b8e-9d61-0c2b8a1e7d11", "ext4", "vfat")
        # Esc alone: the next key goes only after the menu has seen it as Esc.
        key(vm, ESC, "screen menu")
        # (QEMU's pc machine has its IDE DVD drive too: sr0 on ata_piix)
        key(vm, "H", "hardware firmware=BIOS secure_boot=unknown lockdown=none .*disks=4")
        vm.wait_screen("Hardware", "Mode: BIOS", "Secure Boot: none (not UEFI)", "Lockdown: none",
                       "AT Translated Set 2 keyboard (keyboard, ps2)",
                       "sr0", "ata         sr < ata_piix", "vda", "vdb", "vdc",
                       "virtio      virtio_blk < virtio-pci")
        key(vm, ESC, "screen menu")
        key(vm, "s", "screen shell")
        vm.wait_screen("Type 'help'")
        for line in ("root LABEL=KLGPT1", "kernel /boot/vmlinuz", "initrd /boot/stage2.img",
                     "append console=ttyS0,115200 quiet panic=-1 from-the-shell"):
            vm.send(line + "\r")
            vm.wait_screen("> " + line)
        vm.send("boot\r")
        cmdline = vm.stage2_cmdline()
        if "from-the-shell" not in cmdline:
            raise Failure("the shell's command line: %r" % cmdline)
        vm.wait_exit()
        timings(vm)
        check_disks(disks)
    finally:
        vm.stop()


def usb_drive(disk, ident):
    return ["-drive", "if=none,id=%s,file=%s,format=raw" % (ident, disk.path),
            "-device", "usb-storage,bus=xhci.0,drive=%s" % ident]


def scenario_usb_config_late(art):
    """The config is on a USB disk (usb-storage on qemu-xhci) that appears late; the menu finds
    it while it waits."""
    vm = V.VM("usb_config_late", art, vga="none", usb=True)
    files = boot_files(art)
    stick = V.Disk(V.vfat_image(vm.path("stick.img"), dict(files, **{
        "kexec-loader.conf": "timeout 0\n" + entry("From the USB stick", "LABEL=KLSTICK", "usb")}),
        "KLSTICK")).seal()
    vm.drives = [usb_drive(stick, "stick")]
    vm.start()
    try:
        vm.wait_trace("menu ready entries=1 ")
        t_frame = vm.trace_lines("frame first")[0][0]
        t_found, line = vm.trace_lines("config found")[0]
        if "/dev/sd" not in line:
            raise Failure("the config should come from the USB disk: %s" % line)
        print("# the config appeared %.2f s after the first frame" % (t_found - t_frame))
        vm.send(ENTER)
        booted(vm, "usb", [stick], "the USB entry should boot")
    finally:
        vm.stop()


def scenario_usb_hotplug(art):
    """A second USB disk is hot-added with QMP device_add while the menu is up: its entry, shown
    as not present before, becomes bootable and boots."""
    config = ("timeout 0\n" + entry("On the internal disk", "LABEL=KLEXT4", "internal")
              + entry("On the hot-plugged disk", "LABEL=KLHOT", "hot"))
    vm = V.VM("usb_hotplug", art, vga="none", usb=True)
    disks = standard_disks(vm, config)
    hot = V.Disk(V.vfat_image(vm.path("hot.img"), boot_files(art), "KLHOT")).seal()
    vm.drives = disks
    vm.start()
    try:
        vm.wait_trace("menu ready entries=2 .*unresolved=1")
        vm.wait_screen("LABEL=KLHOT is not present")
        vm.qmp("blockdev-add", driver="raw", **{"node-name": "hot", "file": {
            "driver": "file", "filename": hot.path}})
        t = time.time()
        vm.hotplug("device_add", driver="usb-storage", bus="xhci.0", drive="hot", id="hotdisk")
        vm.wait_trace("menu ready entries=2 .*unresolved=0")
        print("# the hot-added disk resolved %.1f s after device_add" % (time.time() - t))
        vm.wait_screen("On the hot-plugged disk", absent=("not present",))
        key(vm, DOWN, "menu selected=1 ")
        vm.send(ENTER)
        booted(vm, "hot", disks + [hot], "the hot-plugged entry should boot")
    finally:
        vm.stop()


def scenario_errors(art):
    """An entry whose kernel is missing shows the error and the menu still works."""
    config = ("timeout 0\ntitle Missing kernel\nroot LABEL=KLEXT4\nkernel /boot/nope\n\n"
              + entry("Good entry", "LABEL=KLEXT4", "good"))
    vm = V.VM("errors", art, vga="none")
    disks = standard_disks(vm, config)
    vm.drives = disks
    vm.start()
    try:
        vm.wait_trace("menu ready entries=2 ")
        vm.send(ENTER)
        line = vm.wait_trace("error boot")[1]
        if "/boot/nope on /dev/vda not found" not in line:
            raise Failure("the missing kernel is named: %s" % line)
        vm.wait_screen("/boot/nope on /dev/vda not found")
        key(vm, ESC, "screen menu")
        boot_good_entry(vm, 0, 1, disks)
    finally:
        vm.stop()


def signed_kernels(vm):
    """The Debian kernel as Debian signed it, the same kernel re-signed with a key made now
    (openssl req + sbsign, after sbattach --remove), and with no signature at all."""
    d = vm.path("keys")
    os.makedirs(d, exist_ok=True)
    V.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj",
           "/CN=kexec-loader test signer", "-keyout", d + "/test.key", "-out", d + "/test.pem"])
    unsigned = d + "/vmlinuz-unsigned"
    V.run(["cp", vm.art.vmlinuz, unsigned])
    V.run(["sbattach", "--remove", unsigned])
    V.run(["sbsign", "--key", d + "/test.key", "--cert", d + "/test.pem", "--output",
           d + "/vmlinuz-test", unsigned])
    return {"boot/vmlinuz-debian": open(vm.art.vmlinuz, "rb").read(),
            "boot/vmlinuz-test": open(d + "/vmlinuz-test", "rb").read(),
            "boot/vmlinuz-unsigned": open(unsigned, "rb").read(),
            "boot/stage2.img": open(vm.art.stage2, "rb").read()}


def signed_entry(title, kernel, name, extra=""):
    return ("title %s\nroot LABEL=KLSIG\nkernel /boot/%s\ninitrd /boot/stage2.img\n"
            "append console=ttyS0,115200 quiet panic=-1 entry=%s\n%s\n"
            % (title, kernel, name, extra))


SIGNED_CONFIG = ("timeout 0\n"
                 + signed_entry("Debian-signed", "vmlinuz-debian", "debian")
                 + signed_entry("Test-signed", "vmlinuz-test", "test")
                 + signed_entry("Unsigned", "vmlinuz-unsigned", "unsigned")
                 + signed_entry("With a module", "vmlinuz-debian", "module",
                                "module /boot/stage2.img\n"))


def signed_disk(vm):
    """An ext4 disk (LABEL=KLSIG) with the kexec-loader.conf of SIGNED_CONFIG and its kernels."""
    files = dict(signed_kernels(vm), **{"kexec-loader.conf": SIGNED_CONFIG})
    return V.Disk(V.ext4_image(vm.path("signed.img"), files, "KLSIG", size_mb=64)).seal()


def fw_entries(vm):
    """Entries the firmware adds to the autodetected ones: under OVMF, whose
    OsIndicationsSupported offers its setup, the menu ends with "UEFI Firmware Settings"
    (docs/usage.md)."""
    return 1 if vm.uefi else 0


def check_marks(vm, debian_trusted):
    """The marks before Enter (trace and serial screen) of SIGNED_CONFIG's entries."""
    marks = vm.wait_trace_all(
        r"mark 0 verdict=%s refused=%d signer=Debian Secure Boot Signer [0-9]+ - linux:"
        % (("ok", 0) if debian_trusted else ("untrusted", 1)),
        r"mark 1 verdict=untrusted refused=1 signer=kexec-loader test signer: signed by "
        r"kexec-loader test signer: this machine does not trust that key for kexec",
        r"mark 2 verdict=unsigned refused=1 signer=-: not signed",
        r"mark 3 verdict=needs-kexec-load refused=1 ")
    for _, line in marks:
        print("# " + line)
    vm.wait_trace("lockdown mode=integrity keys=[0-9]+ refused=%d" % (3 if debian_trusted else 4))
    vm.wait_trace("menu ready entries=4 .*unresolved=0")
    vm.wait_screen("Test-signed (signed by kexec-loader test signer", "Unsigned (not signed)",
                   "With a module (it loads modules", "The kernel is locked down (integrity)")


def refused(vm, pick, word, *texts):
    """Enter on entry pick: the kernel refuses it with texts in the message (the trace) and word
    on the error screen (its last line: the message is cut into lines for the console's width);
    Esc back."""
    vm.send(ENTER)
    line = vm.wait_trace("error boot")[1]
    for t in texts:
        if t not in line:
            raise Failure("entry %d: %r should be in the refusal: %s" % (pick, t, line))
    print("# " + line)
    vm.wait_screen("The entry could not be booted", word)
    key(vm, ESC, "screen menu")


def scenario_lockdown(art):
    """With lockdown=integrity on the menu kernel's command line (no Secure Boot: only the
    kernel's build key is trusted, not Debian's CA), the menu marks before Enter the
    Debian-signed kernel (a key this machine does not trust), the same kernel re-signed with a
    test key, an unsigned one and an entry with modules (kexec_load); Enter on each is refused by
    the kernel with the cause and the fix, and the menu stays usable."""
    vm = V.VM("lockdown", art, vga="none", append="lockdown=integrity")
    signed = signed_disk(vm)
    vm.drives = [signed]
    vm.start()
    try:
        check_marks(vm, debian_trusted=False)
        refused(vm, 0, "(docs/secure-boot.md)", "locked down (integrity) and refused this kernel",
                "signed by Debian Secure Boot Signer", "does not trust that key", "MOK")
        key(vm, DOWN, "menu selected=1 ")
        refused(vm, 1, "(docs/secure-boot.md)", "locked down (integrity)", "signed by kexec-loader test signer",
                "does not trust that key", "MOK")
        key(vm, DOWN, "menu selected=2 ")
        refused(vm, 2, "(docs/secure-boot.md)", "locked down (integrity)", "not signed", "Secure Boot off")
        key(vm, DOWN, "menu selected=3 ")
        refused(vm, 3, "(docs/secure-boot.md)", "locked down (integrity)", "needs kexec_load")
        # issue 13: the editor opens under lockdown and says that the kernel must still be signed
        key(vm, "e", "editor open entry=3 lines=[0-9]+ lockdown=integrity")
        vm.wait_screen("The kernel is locked down (integrity): editing the command line is",
                       "but the kernel must still be signed.")
        key(vm, ESC, "editor cancel")
        vm.wait_trace("screen menu")
        key(vm, "L", "screen pager devices")
        vm.wait_screen("KLSIG", "/dev/vda")  # the menu still works, and nothing stayed mounted
        timings(vm)
    finally:
        vm.stop()
    check_disks([signed])


def scenario_safe_mode(art):
    """A menu that crashes every time (kexec_test=crash-autodetect: SIGSEGV when the
    autodetection begins) is restarted with back-off and then starts in safe mode: no
    autodetection, the text front end although a graphics card is there, the reason on screen;
    the device list and booting work."""
    config = "autodetect on\ntimeout 0\n" + entry("Safe entry", "LABEL=KLEXT4", "safe")
    vm = V.VM("safe_mode", art, vga="std", append="kexec_test=crash-autodetect")
    disks = standard_disks(vm, config)
    vm.drives = disks
    vm.start()
    try:
        reason = "The menu stopped 3 times (signal 11 SIGSEGV); started in safe mode"
        vm.wait_trace("init safe mode: " + re.escape(reason))
        # A menu that ran 5 s before it crashed (a slow start on a busy machine: the disks came
        # late) is no quick death and starts the count again: only the last three count.
        ended = re.findall(r"init menu ended \(signal 11 SIGSEGV\) failures=(\d) restart_ms=(\d+)",
                           vm.trace().split("init safe mode")[0])
        if ended[-3:] != [("1", "0"), ("2", "1000"), ("3", "0")]:
            raise Failure("three crashes, restarted after 0, 1 and 0 s: %s" % ended)
        vm.wait_trace("menu ready entries=1 .*unresolved=0")
        if vm.trace_count("init menu start pid=[0-9]+ safe=0") != len(ended) or \
                vm.trace_count("init menu start pid=[0-9]+ safe=1") != 1:
            raise Failure("normal starts, one per crash, then one in safe mode:\n" + vm.trace())
        safe_part = vm.trace().split(" safe=1", 1)[1]
        if "frontend text" not in safe_part or "frontend graphics" in safe_part:
            raise Failure("safe mode uses the text front end:\n" + vm.trace())
        vm.wait_screen(reason)
        vm.wait_screen("Safe entry")
        key(vm, "L", "screen pager devices")
        vm.wait_screen("KLVFAT")
        key(vm, ESC, "screen menu")
        vm.send(ENTER)
        booted(vm, "safe", disks, "the entry of the safe-mode menu should boot")
    finally:
        vm.stop()


def scenario_watchdog(art):
    """A menu stuck in one place (kexec_test=hang-autodetect: no heartbeat from then on) is
    killed by PID 1's watchdog (kexec_watchdog=5), counted like a crash, and after three the
    safe mode comes up and boots."""
    config = "autodetect on\ntimeout 0\n" + entry("Safe entry", "LABEL=KLEXT4", "safe")
    vm = V.VM("watchdog", art, vga="none", append="kexec_test=hang-autodetect kexec_watchdog=5")
    disks = standard_disks(vm, config)
    vm.drives = disks
    vm.start()
    try:
        reason = "The menu stopped 3 times (no sign of life for 5 s); started in safe mode"
        vm.wait_trace("init safe mode: " + re.escape(reason))
        if vm.trace().split("init safe mode")[0].count("init watchdog killed pid=") != 3:
            raise Failure("three kills by the watchdog:\n" + vm.trace())
        vm.wait_trace("menu ready entries=1 .*unresolved=0")
        vm.wait_screen(reason)
        vm.send(ENTER)
        booted(vm, "safe", disks, "the entry of the safe-mode menu should boot")
    finally:
        vm.stop()


# On a loaded host the emulated guest can miss the kernel's check of the PIT timer through the
# IO-APIC ("IO-APIC + timer doesn't work!", a panic before init): the check is skipped.
NO_TIMER_CHECK = "no_timer_check"


def guest_state(vm):
    """PID 1's view of the mounts (/proc/self/mountinfo) and of the attached loop and dm
    devices (/sys/block), asked for on its test channel (kexec_test=commands)."""
    vm.command("state")
    mounts = vm.wait_trace("init state mounts=")[1].split("mounts=", 1)[1].split()
    block = vm.wait_trace("init state block=")[1].split("block=", 1)[1].split()
    return mounts[1:], block[1:]


def menu_back(vm, entries):
    """After the menu child ended: the restarted menu's start, first frame and first list of
    entries with every device resolved, as guest times (the trace's monotonic clock)."""
    t_start = vm.wait_trace(r"init menu start pid=\d+ safe=0")[0]
    # no order between them: a menu that finds its disks at once draws after its scan
    (t_frame, _), (t_ready, _) = vm.wait_trace_all(
        "frame first", "menu ready entries=%d .*unresolved=0" % entries)
    return t_start, t_frame, t_ready


def scenario_menu_killed(art):
    """The menu child, up and showing its entries, is killed from outside: PID 1's test channel
    (kexec_test=commands) sends it SIGSEGV, then SIGKILL, with kill(2). Each time PID 1 reaps it
    and starts a new one at once (restart_ms=0 for the first; the back-off only from the second
    quick failure in a row), which shows the same entries again; the guest's clock gives the time
    from the death to the new menu's first frame and entries. Then a crash loop: the menu killed
    each time it has drawn its first frame ends in the safe mode, which boots."""
    vm = V.VM("menu_killed", art, vga="std", append="kexec_test=commands " + NO_TIMER_CHECK)
    disks = standard_disks(vm, CONFIG)
    vm.drives = disks
    vm.start()
    try:
        vm.wait_boot_event("init test commands")
        vm.wait_trace("menu ready entries=5 .*unresolved=0")
        # the restart on its own: not beside the boot's module loading (a new menu started while
        # the coldplug still loads drivers waits for the kernel with it, 1.5 to 4.5 s here)
        vm.wait_boot_event("init coldplug done")
        before = guest_state(vm)
        figures = []
        for name, num in (("SIGSEGV", 11), ("SIGKILL", 9)):
            pid = re.search(r"pid=(\d+)", vm.trace_lines(r"init menu start pid=")[-1][1]).group(1)
            vm.command("kill " + name)
            vm.wait_trace(r"init test kill pid=%s signal=%d %s" % (pid, num, name))
            t_end, line = vm.wait_trace(r"init menu ended \(signal %d %s\) failures=\d+ "
                                        r"restart_ms=\d+" % (num, name))
            failures, delay = map(int, re.search(r"failures=(\d+) restart_ms=(\d+)", line).groups())
            # the back-off starts at the second quick death in a row; the first is at once
            if delay != (1000 if failures == 2 else 0) or (name == "SIGSEGV" and delay != 0):
                raise Failure("restart delay %d ms after %d failures: %s" % (delay, failures, line))
            t_start, t_frame, t_ready = menu_back(vm, 5)
            figures.append((name, delay, t_start - t_end, t_frame - t_end, t_ready - t_end))
        for name, delay, start, frame, ready in figures:
            print("# %s: restart delay %d ms; death to start %.3f s, to first frame %.3f s, "
                  "to the entries %.3f s (guest clock)" % (name, delay, start, frame, ready))
        # The crash loop: killed again as soon as each new menu has drawn a frame.
        for _ in range(8):
            vm.command("kill SIGSEGV")
            vm.wait_trace(r"init test kill pid=\d+ signal=11 SIGSEGV")
            vm.wait_trace(r"init menu ended \(signal 11 SIGSEGV\)")
            if "safe mode" in vm.wait_trace(r"init safe mode: |init menu start pid=\d+ safe=0")[1]:
                break
            vm.wait_trace("frame first")
        reason = "The menu stopped 3 times (signal 11 SIGSEGV); started in safe mode"
        if reason not in vm.trace():
            raise Failure("the safe mode's reason: %s" % reason)
        ended = re.findall(r"init menu ended \(signal (?:9 SIGKILL|11 SIGSEGV)\) failures=(\d) "
                           r"restart_ms=(\d+)", vm.trace().split("init safe mode")[0])
        if ended[-3:] != [("1", "0"), ("2", "1000"), ("3", "0")]:
            raise Failure("three quick deaths in a row, restarted after 0, 1 and 0 s: %s" % ended)
        vm.wait_trace(r"init menu start pid=\d+ safe=1")
        vm.wait_trace("menu ready entries=5 .*unresolved=0")
        # the killed menus left no mount, loop or dm device behind
        after = guest_state(vm)
        if after != before:
            raise Failure("the killed menus left state behind:\nbefore: %s\nafter:  %s"
                          % (before, after))
        vm.wait_screen(reason)
        vm.send(ENTER)
        if "entry=first" not in vm.stage2_cmdline():
            raise Failure("the safe-mode menu should boot its first entry")
        vm.wait_exit()
        timings(vm, ", %d kills" % vm.trace_count("init test kill pid="))
        check_disks(disks)
    finally:
        vm.stop()


def broken_kernel(art):
    """The Debian kernel's first 64 KiB with setup_sects set to 255: its bzImage header is
    right, but the file is shorter than its own setup code, so kexec_file_load ("bzImage
    truncated") and kexec-tools ("BzImage truncated?") both refuse it at the load."""
    data = bytearray(open(art.vmlinuz, "rb").read()[:64 << 10])
    if data[0x202:0x206] != b"HdrS":
        raise Failure("no bzImage header in %s" % art.vmlinuz)
    data[0x1f1] = 255
    return bytes(data)


FAIL_ISO_GRUB_CFG = r"""set timeout=30
menuentry 'Broken kernel in an ISO file' {
        loopback loop /isos/broken.iso
        linux (loop)/casper/vmlinuz console=ttyS0,115200 quiet panic=-1 entry=brokeniso
        initrd (loop)/casper/initrd
}
menuentry 'Missing initrd in an ISO file' {
        loopback loop /isos/live.iso
        linux (loop)/casper/vmlinuz console=ttyS0,115200 quiet panic=-1 entry=missingiso
        initrd (loop)/casper/initrd-missing
}
"""

LV_BOOT = "UUID=5c9f3a1b-7d2e-4f60-8b1c-3e5d7f9a1b2c"  # kl-vg/boot of disks/lvm-boot.sh

FAIL_CONFIG = ("timeout 0\nautodetect on\n"
               "title Broken kernel on a partition\nroot LABEL=KLFAIL\nkernel /boot/broken\n"
               "initrd /boot/stage2.img\n\n"
               "title Broken kernel, initrd on LVM\nroot LABEL=KLFAIL\nmount %s /lv\n"
               "kernel /boot/broken\ninitrd /lv/initrd.img-6.1.0-kl\n\n"
               "title Missing initrd on LVM\nroot %s\nkernel /vmlinuz-6.1.0-kl\n"
               "initrd /initrd-missing\n\n"
               "title Broken kernel in a disk image\nroot LABEL=KLIMGP1\nkernel /boot/broken\n"
               "initrd /boot/stage2.img\n\n"
               + entry("Good entry", "LABEL=KLFAIL", "good")) % (LV_BOOT, LV_BOOT)

# title, what the error must say (None: the entry that boots at the end)
# (the files named as the entry names them, not where the menu mounted or read them)
FAIL_ENTRIES = [("Broken kernel on a partition", "/boot/broken on /dev/vda1"),
                ("Broken kernel, initrd on LVM", "/boot/broken on /dev/vda1"),
                ("Missing initrd on LVM", "/initrd-missing on /dev/dm-0 not found"),
                ("Broken kernel in a disk image", "/boot/broken on /dev/loop0p1"),
                ("Broken kernel in an ISO file", "casper/vmlinuz in /isos/broken.iso on /dev/vda2"),
                ("Missing initrd in an ISO file",
                 "casper/initrd-missing in /isos/live.iso on /dev/vda2 not found"),
                ("Good entry", None)]


# every row of the menu: the entries above, the LV's own GRUB entry and the two ISO files
FAIL_ROWS = [t for t, _ in FAIL_ENTRIES] + ["Debian GNU/Linux (LVM /boot)", "broken.iso > ",
                                             "live.iso > "]


def fail_iso(vm, name, kernel, initrd):
    """An ISO file (xorriso) with casper/vmlinuz and casper/initrd."""
    tree = vm.path(name + ".d")
    os.makedirs(os.path.join(tree, "casper"), exist_ok=True)
    open(os.path.join(tree, "casper/vmlinuz"), "wb").write(kernel)
    open(os.path.join(tree, "casper/initrd"), "wb").write(initrd)
    iso = vm.path(name)
    V.run(["xorriso", "-as", "mkisofs", "-quiet", "-R", "-J", "-V", "KL_FAIL", "-o", iso, tree])
    shutil.rmtree(tree)
    data = open(iso, "rb").read()
    os.unlink(iso)
    return data


def menu_rows(vm):
    """The titles of the text menu's rows, top to bottom, and the selected row's index."""
    lines = [line for line in vm.text().splitlines()[3:] if line.startswith("|")]
    selected = [i for i, line in enumerate(lines) if line[1:2] == ">"]
    return [line[2:].rstrip(" |") for line in lines], selected[0] if selected else None


def select_row(vm, at, to):
    """Moves the selection from row at to row to, key by key; returns to."""
    while at != to:
        step = 1 if to > at else -1
        at += step
        key(vm, DOWN if step > 0 else UP, "menu selected=%d " % at)
    return to


def booted(vm, name, disks, why):
    """The second stage ran with entry=name on its command line (else Failure(why)), the guest
    ended, and no disk was written."""
    if "entry=%s" % name not in vm.stage2_cmdline():
        raise Failure(why)
    vm.wait_exit()
    timings(vm)
    check_disks(disks)


def boot_good_entry(vm, at, row, disks):
    """After the failures: "Good entry" (row row; the selection at at) boots, and no disk was
    written."""
    select_row(vm, at, row)
    vm.wait_screen(">Good entry")
    vm.send(ENTER)
    booted(vm, "good", disks, "the good entry should boot after the failures")


def scenario_kexec_fail_cleanup(art):
    """Boot entries that fail at the kexec load or while their files are read: a broken kernel
    on a GPT partition, one whose initrd is on an LVM logical volume (device-mapper, the disk of
    lvm_boot), an entry on the LV whose initrd is missing, a broken kernel in a disk image (a
    loop device), a broken kernel and a missing initrd inside ISO files (GRUB's loopback). Each
    failure comes back to the menu with its reason, and PID 1's view of the kernel's state
    (kexec_test=commands "state": /proc/self/mountinfo, the loop and dm devices of /sys/block)
    is what it was before the Enter: nothing of the failed boot stays mounted or attached. The
    loop device of the disk image and the LVs stay by design (the menu lists their systems);
    then a good entry boots."""
    if shutil.which("xorriso") is None:
        raise V.Skip("xorriso is not installed")
    import setupvm
    vm = V.VM("kexec_fail_cleanup", art, vga="none",
              append="kexec_test=commands " + NO_TIMER_CHECK)
    broken = broken_kernel(art)
    stage2 = open(art.stage2, "rb").read()
    vmlinuz = open(art.vmlinuz, "rb").read()
    part = V.ext4_image(vm.path("img-p1.img"), {"boot/broken": broken, "boot/stage2.img": stage2},
                        "KLIMGP1", size_mb=24)
    inner = V.gpt_image(vm.path("disk.img"), [("klimg1", part)], size_mb=32)
    os.unlink(part)
    p1 = V.ext4_image(vm.path("fail-p1.img"), dict(boot_files(art), **{
        "boot/broken": broken, "kexec-loader.conf": FAIL_CONFIG}), "KLFAIL", size_mb=32)
    # GRUB's configuration on another filesystem than kexec-loader.conf (that one's own are
    # not read), with the ISO files and the disk image
    p2 = V.ext4_image(vm.path("fail-p2.img"), {
        "boot/grub/grub.cfg": FAIL_ISO_GRUB_CFG,
        "images/disk.img": open(inner, "rb").read(),
        "isos/broken.iso": fail_iso(vm, "broken.iso", broken, stage2),
        "isos/live.iso": fail_iso(vm, "live.iso", vmlinuz, stage2)}, "KLISOS", size_mb=100)
    os.unlink(inner)
    plain = V.gpt_image(vm.path("plain.img"), [("klfail", p1), ("klisos", p2)], size_mb=136)
    os.unlink(p1)
    os.unlink(p2)
    disks = [V.Disk(plain).seal()] + setupvm.disks("lvm-boot", art, vm.dir)
    vm.drives = disks
    vm.start()
    try:
        vm.wait_boot_event("init test commands")
        # every entry resolved (the LVs activated, the image attached), but the two rows of the
        # ISO files, which have no configuration of their own; the LV's GRUB entry is the tenth
        vm.wait_trace("menu ready entries=10 .* unresolved=2 loop_attaches=[1-9]")
        vm.wait_screen(*FAIL_ROWS, absent=("not present", "is…"))
        rows, at = menu_rows(vm)
        if len([r for r in rows if r]) != len(FAIL_ROWS) or at is None or \
                not vm.trace_lines("menu ready .* selected=%d " % at):
            raise Failure("%d rows, the selected one the menu's (%s):\n%s"
                          % (len(FAIL_ROWS), at, vm.text()))
        where = {}
        for t, _ in FAIL_ENTRIES:
            where[t] = [i for i, r in enumerate(rows) if r.startswith(t)]
            if len(where[t]) != 1:
                raise Failure("one row for %r:\n%s" % (t, vm.text()))
        mounts, block = guest_state(vm)
        print("# kept by the menu: %s; mounts %s" % (" ".join(block), " ".join(mounts)))
        kept = " ".join(block)
        if not re.search(r"loop\d+\(\S*disk\.img\)", kept) or \
                "(kl--vg-boot)" not in kept or "(kl--vg-root)" not in kept:
            raise Failure("the disk image's loop device and the two LVs are listed: %s" % kept)
        if any("/run/kexec-loader" in m for m in mounts):
            raise Failure("the menu keeps a filesystem mounted while it waits: %s" % mounts)
        for title, why in FAIL_ENTRIES:
            at = select_row(vm, at, where[title][0])
            if why is None:
                break
            vm.send(ENTER)
            line = vm.wait_trace("error boot")[1]
            if title not in line or why not in line or "/run/kexec-loader" in line or \
                    "/proc/" in line:
                raise Failure("the failure of %r names %s: %s" % (title, why, line))
            print("# %s" % line)
            key(vm, ESC, "screen menu")
            after = guest_state(vm)
            if after != (mounts, block):
                raise Failure("%r left state behind:\nbefore: %s\nafter:  %s"
                              % (title, (mounts, block), after))
        print("# after %d failed boots: the same mounts and devices as before each"
              % sum(1 for _, w in FAIL_ENTRIES if w))
        # The menu killed with the image's loop device and the LVs in use: the next one finds
        # the LVs active and attaches the image again; the dead menu's loop device is gone.
        vm.command("kill SIGKILL")
        vm.wait_trace(r"init menu ended \(signal 9 SIGKILL\)")
        vm.wait_trace(r"init menu start pid=\d+ safe=0")
        vm.wait_trace("menu ready entries=10 .* unresolved=2 loop_attaches=[1-9]")
        vm.wait_screen(*FAIL_ROWS, absent=("not present", "is…"))
        again = guest_state(vm)
        # the loop device may have another number: the same backing file, and one only
        by_file = lambda b: sorted(re.sub(r"^loop\d+", "loop", d) for d in b)  # noqa: E731
        if again[0] != mounts or by_file(again[1]) != by_file(block):
            raise Failure("the killed menu left state behind:\nbefore: %s\nafter:  %s"
                          % ((mounts, block), again))
        print("# after a kill: %s" % " ".join(again[1]))
        # the same rows; the selection is the new menu's default (the LV's GRUB entry, flagged
        # as its default, may now be there from the start)
        at = int(re.search(r"selected=(\d+)", vm.trace_lines("menu ready ")[-1][1]).group(1))
        boot_good_entry(vm, at, where["Good entry"][0], disks)
    finally:
        vm.stop()


BAD_CONFIG = ("timeout 0\nautodetect on\n"
              "title Kernel with a bad sector\nroot LABEL=KLBAD\nkernel /boot/bad/vmlinuz\n"
              "initrd /boot/stage2.img\nappend console=ttyS0,115200 quiet panic=-1 entry=badk\n\n"
              "title Initrd with a bad sector\nroot LABEL=KLBAD\nkernel /boot/vmlinuz\n"
              "initrd /boot/bad/stage2.img\nappend console=ttyS0,115200 quiet panic=-1 "
              "entry=badi\n\n"
              + entry("Good entry", "LABEL=KLBAD", "good"))
BAD_ENTRIES = [("Kernel with a bad sector", "/boot/bad/vmlinuz on /dev/vda1"),
               ("Initrd with a bad sector", "/boot/bad/stage2.img on /dev/vda1")]


def bad_sector(img, path, part_start):
    """The disk sector (512 bytes) of the block in the middle of the file path of the ext4
    image img, which starts at sector part_start of its disk (debugfs: the filesystem's own
    map of the file)."""
    def debugfs(req):
        return subprocess.run(["debugfs", "-R", req, img], capture_output=True, text=True,
                              check=True).stdout
    bs = int(re.search(r"Block size:\s+(\d+)", debugfs("stats")).group(1))
    size = int(re.search(r"Size: (\d+)", debugfs("stat " + path)).group(1))
    pblk = int(debugfs("bmap %s %d" % (path, size // bs // 2)).split()[0])
    return part_start + pblk * (bs // 512)


def blkdebug_drive(vm, name, disk, sectors):
    """QEMU arguments for disk behind blkdebug: a read that touches one of sectors fails with
    EIO (every read when sectors is empty), reported to the guest (rerror=report) as a failing
    disk does; writes pass (none come)."""
    conf = vm.path(name + ".blkdebug")
    with open(conf, "w") as f:
        for sec in sectors or [None]:
            f.write('[inject-error]\nevent = "read_aio"\nerrno = "5"\n')
            if sec is not None:
                f.write('sector = "%d"\n' % sec)
    return ["-drive", "file=blkdebug:%s:%s,format=raw,if=virtio,rerror=report" % (conf,
                                                                                disk.path)]


def scenario_bad_sectors(art):
    """Disks that fail to read (QEMU's blkdebug: EIO from the virtio disk, as a dying disk
    gives): on the first, one sector in the middle of a kernel and one in the middle of an
    initrd; the second fails every read (its partition table, any probe); the third has one in
    the middle of its grub.cfg. The menu lists the first disk's entries all the same (one broken
    disk hides nothing) and says which file of which disk could not be read; booting the two
    entries
    fails with the reason (the file, the I/O error), comes back to the menu and leaves the mounts
    and devices as they were (kexec_test=commands "state"); the device list (L) says the dead
    disk cannot be read; then the good entry boots. Neither disk is written."""
    vm = V.VM("bad_sectors", art, vga="none", append="kexec_test=commands " + NO_TIMER_CHECK)
    files = boot_files(art)
    files.update({"boot/bad/vmlinuz": files["boot/vmlinuz"],
                  "boot/bad/stage2.img": files["boot/stage2.img"],
                  "kexec-loader.conf": BAD_CONFIG})
    p1 = V.ext4_image(vm.path("bad-p1.img"), files, "KLBAD", size_mb=40)
    sectors = [bad_sector(p1, "/boot/bad/vmlinuz", 2048),
               bad_sector(p1, "/boot/bad/stage2.img", 2048)]
    bad = V.Disk(V.gpt_image(vm.path("bad.img"), [("klbad", p1)], size_mb=48)).seal()
    os.unlink(p1)
    p2 = V.ext4_image(vm.path("dead-p1.img"), dict(boot_files(art), **{
        "kexec-loader.conf": entry("On the dead disk", "LABEL=KLDEAD", "dead")}), "KLDEAD",
        size_mb=40)
    dead = V.Disk(V.gpt_image(vm.path("dead.img"), [("kldead", p2)], size_mb=48)).seal()
    os.unlink(p2)
    # a GRUB configuration with a bad sector in its middle, beside one that reads
    grub_cfg = "".join("# padding %d\n" % i for i in range(600)) + "".join(
        "menuentry 'GRUB entry %d' {\n\tlinux /boot/vmlinuz entry=grub%d\n}\n" % (i, i)
        for i in range(3))
    p3 = V.ext4_image(vm.path("grub-p1.img"), dict(boot_files(art), **{
        "boot/grub/grub.cfg": grub_cfg}), "KLGRUB", size_mb=40)
    cfg_sector = bad_sector(p3, "/boot/grub/grub.cfg", 2048)
    grub = V.Disk(V.gpt_image(vm.path("grub.img"), [("klgrub", p3)], size_mb=48)).seal()
    os.unlink(p3)
    print("# bad sectors %s on %s; every read fails on %s; grub.cfg's at %d"
          % (sectors, bad.path, dead.path, cfg_sector))
    vm.drives = [blkdebug_drive(vm, "bad", bad, sectors), blkdebug_drive(vm, "dead", dead, []),
                 blkdebug_drive(vm, "grub", grub, [cfg_sector])]
    vm.start()
    try:
        vm.wait_boot_event("init test commands")
        # the disk with the bad sector in its grub.cfg: one problem, named with its disk, and
        # no entry of it
        vm.wait_trace("menu ready entries=3 .*problems=1 ")
        vm.wait_screen("Kernel with a bad sector", "Initrd with a bad sector", "Good entry",
                       "/dev/vdc1: /boot/grub/grub.cfg: Input/output error: not read",
                       absent=("On the dead disk", "GRUB entry"))
        before = guest_state(vm)
        print("# mounts %s; block %s" % (" ".join(before[0]), " ".join(before[1])))
        at = menu_rows(vm)[1]
        for i, (title, where) in enumerate(BAD_ENTRIES):
            at = select_row(vm, at, i)
            vm.send(ENTER)
            line = vm.wait_trace("error boot")[1]
            print("# %s" % line)
            if title not in line or where not in line or \
                    "Input/output error" not in line or "/run/kexec-loader" in line:
                raise Failure("the failure of %r names %s and the I/O error: %s"
                              % (title, where, line))
            key(vm, ESC, "screen menu")
            after = guest_state(vm)
            if after != before:
                raise Failure("%r left state behind:\nbefore: %s\nafter:  %s"
                              % (title, before, after))
        # the dead disk in the device list, with why nothing on it is searched
        key(vm, "L", "screen pager devices")
        vm.wait_screen("/dev/vda1", "KLBAD", "(unreadable)",
                       "/dev/vdb: cannot be read (Input/output error)")
        key(vm, ESC, "screen menu")
        boot_good_entry(vm, at, 2, [bad, dead, grub])
    finally:
        vm.stop()


def scenario_jump_fails_keyboards(art):
    """The kexec jump fails (kexec_test=fail-jump: the kernel is unloaded right before it): the
    error is shown, and the PS/2 keyboard (evdev, QMP send-key) works again, not only the
    serial console."""
    vm = V.VM("jump_fails_keyboards", art, vga="std", append="kexec_test=fail-jump")
    disks = standard_disks(vm, CONFIG)
    vm.drives = disks
    vm.start()
    try:
        vm.wait_trace("menu ready entries=5 .*unresolved=0")
        # Keys pressed before the menu has opened the keyboard would be lost.
        vm.wait_boot_event("input evdev keyboards=[1-9]")
        vm.send_key("ret")
        # The keyboards are opened again before the error is reported: no order between them.
        line = vm.wait_trace_all("error boot", "input evdev keyboards=[1-9]")[0][1]
        if "the kexec reboot failed" not in line:
            raise Failure("the failed jump is reported: %s" % line)
        vm.send_key("esc")
        vm.wait_trace("screen menu")
        vm.send_key("down")
        vm.wait_trace("menu selected=1 ")
        vm.send(DOWN)
        vm.wait_trace("menu selected=2 ")
        if vm.trace_count("init menu start") != 1:
            raise Failure("the menu died on the way (the keyboard that pressed Enter was freed "
                          "while its keys were dispatched?):\n" + vm.trace())
        timings(vm)
    finally:
        vm.stop()
    check_disks(disks)


def shell_typed(vm, qcodes, word):
    """Types qcodes on the PS/2 keyboard (QMP send-key, read through evdev) as a line of the
    shell, where a word that is no directive comes back in the error: waits for it to show
    word, as the layout made it."""
    vm.send_key(*qcodes)
    vm.send_key("ret")
    vm.wait_screen("unknown directive '%s'" % word)


# y, z and the key right of P: "yz[" on a US keyboard, "zyü" on a German one.
KEYMAP_KEYS = ("y", "z", "bracket_left")


def scenario_keymap_de(art, layout="de"):
    """`keymap de` in kexec-loader.conf: y, z and the key right of P typed on the PS/2 keyboard
    give z, y and ü in the shell (and AltGr+q gives @; a dead ^ then a gives â)."""
    vm = V.VM("keymap_" + layout, art, vga="none")
    disks = standard_disks(vm, "keymap %s\n" % layout + CONFIG)
    vm.drives = disks
    vm.start()
    try:
        vm.wait_trace("keymap layout=%s from=config vt=-" % layout)
        vm.wait_trace("menu ready entries=5 .*unresolved=0")
        vm.wait_boot_event("input evdev keyboards=[1-9]")
        key(vm, "s", "screen shell")
        vm.wait_screen("Type 'help'")
        shell_typed(vm, KEYMAP_KEYS, "zyü")
        # AltGr (the right Alt) + q, then the dead ^ (left of 1) and a.
        shell_typed(vm, ("x", "alt_r-q", "grave_accent", "a"), "x@â")
        timings(vm)
    finally:
        vm.stop()
    check_disks(disks)


def scenario_keymap_picker(art):
    """K opens the layout picker: us is current (y, z, [ typed before give yz[), Esc leaves it
    unchanged; K again, down to de, Enter: the shell now gives zyü for the same keys."""
    vm = V.VM("keymap_picker", art, vga="none")
    disks = standard_disks(vm, CONFIG)
    vm.drives = disks
    vm.start()
    try:
        vm.wait_trace("menu ready entries=5 .*unresolved=0")
        vm.wait_boot_event("input evdev keyboards=[1-9]")
        key(vm, "s", "screen shell")
        vm.wait_screen("Type 'help'")
        shell_typed(vm, KEYMAP_KEYS, "yz[")
        key(vm, "exit\r", "screen menu")
        vm.send_key("k")
        vm.wait_trace("screen pager keymap")
        vm.wait_screen("Keyboard layout", "> us", "German (dead keys)")
        vm.send_key("esc")
        vm.wait_trace("screen menu")
        if vm.trace_count("keymap layout="):
            raise Failure("Esc in the picker applied a layout:\n" + vm.trace())
        vm.send_key("k")
        vm.wait_trace("keymap picker selected=us")
        for name in ("uk", "us-intl", "dvorak", "de"):
            vm.send_key("down")
            vm.wait_trace("keymap picker selected=%s" % name)
        vm.send_key("ret")
        vm.wait_trace("keymap layout=de from=picker vt=-")
        vm.wait_trace("screen menu")
        key(vm, "s", "screen shell")
        shell_typed(vm, KEYMAP_KEYS, "zyü")
        # The picker marks the layout in use.
        key(vm, "exit\r", "screen menu")
        vm.send_key("k")
        vm.wait_trace("keymap picker selected=de")
        vm.wait_screen("> de ", "(current)")
        timings(vm)
    finally:
        vm.stop()
    check_disks(disks)


def scenario_keymap_vt(art):
    """kexec_keymap=de with a VT as the console: the layout is loaded into the kernel's console
    keymap (KDSKBENT), which then gives z for the Y key (the trace reads it back with
    KDGKBENT)."""
    vm = V.VM("keymap_vt", art, vga="std", append="kexec_keymap=de console=tty1")
    disks = standard_disks(vm, CONFIG)
    vm.drives = disks
    vm.start()
    try:
        vm.wait_trace("keymap layout=de from=cmdline vt=loaded vt_y=z")
        vm.wait_trace("menu ready entries=5 .*unresolved=0")
        timings(vm)
    finally:
        vm.stop()
    check_disks(disks)


# The stick's kernel command line: the debug channels of vm.py on ttyS1 and ttyS2.
STICK_APPEND = ("console=ttyS0,115200 quiet panic=-1 kexec_trace=/dev/ttyS1 "
                "kexec_debug=/dev/ttyS2")
# Under Secure Boot the kernel's "Kernel is locked down from EFI Secure Boot" is a notice:
# loglevel=6 (after quiet) puts it on the serial console.
STICK_APPEND_SECUREBOOT = STICK_APPEND + " loglevel=6"


def vm_dir(name):
    d = os.path.join(V.WORK, "sticks", name)
    os.makedirs(d, exist_ok=True)
    return d


def make_stick(art, name, config=None, keep_config=True, uki=False, append=STICK_APPEND,
               args=()):
    """A stick image made by initramfs/mkstick with the test kernel (Debian's, signed) and
    initramfs; returns its path. config: the text of its kexec-loader.conf (None: the commented
    sample mkstick puts there); keep_config=False removes that file, as a user may (then only
    mkstick's marker says the stick is kexec-loader's own); uki: mkstick --uki; args: more of
    mkstick's options."""
    stick = os.path.join(vm_dir(name), "stick.img")
    cmd = [os.path.join(V.REPO, "initramfs/mkstick"), "-o", stick, "--kernel", art.vmlinuz,
           "--initramfs", art.initramfs, "--append", append] + list(args)
    if config is not None:
        conf = os.path.join(vm_dir(name), "kexec-loader.conf")
        with open(conf, "w") as f:
            f.write(config)
        cmd += ["--config", conf]
    if uki:
        cmd.append("--uki")
    V.run(cmd)
    if not keep_config:
        V.run(["mdel", "-i", stick + "@@1M", "::/kexec-loader.conf"],
              env=dict(os.environ, MTOOLS_SKIP_CHECK="1"))
    return stick


FIRMWARES = ("bios", "uefi", "secureboot")


def stick_vm(art, name, stick, firmware="bios", vga="std", usb=False, reboot=False):
    """A VM (not started) that boots the stick image (from make_stick, moved into the run
    directory) on firmware: "bios" (SeaBIOS: syslinux), "uefi" (OVMF), "secureboot" (OVMF with
    Secure Boot enforced and Microsoft's keys: shim, GRUB, the signed kernel). vm.stick is the
    stick's drive (snapshot=on: nothing writes the image); the caller sets vm.drives, the stick
    first for SeaBIOS, and makes its disks in vm.path(). reboot: as V.VM's (the firmware
    starts again after the guest resets the machine)."""
    if firmware not in FIRMWARES:
        raise ValueError(firmware)
    vm = V.VM(name, art, vga=vga, kernel=False, uefi=firmware != "bios",
              secure_boot=firmware == "secureboot", usb=usb, reboot=reboot)
    os.rename(stick, vm.path("stick.img"))
    vm.stick = ["-drive", "file=%s,format=raw,if=virtio,snapshot=on" % vm.path("stick.img")]
    return vm


def wait_secure_boot(vm):
    """Waits for the kernel started from the stick to say it runs under Secure Boot (the stick's
    command line needs STICK_APPEND_SECUREBOOT's loglevel=6)."""
    vm.wait_serial("Kernel is locked down from EFI Secure Boot")
    print("# the kernel is locked down from EFI Secure Boot")


def stick_scenario(art, name, firmware, config_on_stick, kexec_tools=False, uki=False):
    """config_on_stick: the stick carries the configuration, as a user's stick would; else it has
    the commented sample (no entries) and the configuration is on a disk that appears later.
    kexec_tools: the entry booted has reset-vga, so it boots through the stick's kexec-tools
    (kexec -l --reset-vga, then the jump). The stick's own boot files are never listed: the
    menu has the configuration's entries only."""
    config = STICK_CONFIG
    if kexec_tools:
        config = config.replace("entry=second\n", "entry=second\nreset-vga\n")
    stick = make_stick(art, name, config if config_on_stick else None, uki=uki)
    vm = stick_vm(art, name, stick, firmware)
    disks = standard_disks(vm, None if config_on_stick else config)
    if config_on_stick:
        vm.drives = disks + [vm.stick]
    else:
        # The stick comes first and the disk with the configuration late, on USB: the stick's
        # empty sample must not end the search.
        vm.usb = True
        vm.drives = [vm.stick, usb_drive(disks[0], "cfgdisk")] + disks[1:]
    vm.start()
    try:
        vm.wait_trace("menu ready entries=4 .*unresolved=0")
        check_themed_early(vm)
        if not config_on_stick and vm.trace_count("config found fs=/dev/vda1") == 0:
            raise Failure("the stick's empty configuration should have been found first")
        # The themed menu on the screen (under UEFI it starts on efifb and moves to the DRM
        # card when bochs loads).
        vm.wait_pixels("menu", lambda shot: V.VM.color_rows(shot, ACCENT))
        if firmware == "uefi":
            # A GPU driver that takes over later: the menu starts on the firmware's framebuffer
            # (efifb, fb0: bochs-drm is still loading, seconds under TCG) and moves to bochs-drm's
            # connector when the DRM card appears, which removes efifb.
            vm.wait_boot_event("frontend graphics screens=card0-Virtual-1")
            fronts = [re.search(r"screens=(\S+)", t).group(1)
                      for _, t in vm.trace_lines("frontend graphics screens=")]
            if not fronts or fronts[0] != "fb0":
                raise Failure("the menu should start on efifb (fb0), then bochs-drm: %r" % fronts)
            print("# the menu moved from %s" % " to ".join(fronts))
            # H: UEFI with Secure Boot off (OVMF's plain variables, read through efivarfs), the
            # screen the menu is on (bochs-drm's connector) and its native mode.
            key(vm, "H", "hardware firmware=UEFI secure_boot=off lockdown=none ")
            vm.wait_screen("Mode: UEFI (64-bit)", "Secure Boot: off", "Lockdown: none",
                           "card0-Virtual-1  connected", "driver bochs-drm", "(menu shown)")
            key(vm, ESC, "screen menu")
        key(vm, DOWN, "menu selected=1 ")
        vm.send(ENTER)
        # Only the trace is waited on: the debug console may drop lines when it is busy.
        loaded = vm.wait_trace("boot step Loaded with ")[1]
        if kexec_tools and not loaded.endswith("kexec-tools"):
            raise Failure("reset-vga: the entry should load with kexec-tools: %s" % loaded)
        if "entry=second" not in vm.stage2_cmdline():
            raise Failure("the second entry should boot")
        if kexec_tools:
            print("# booted through the stick's kexec-tools (kexec -l --reset-vga)")
        vm.wait_exit()
        check_only_entries(vm, 4)
        timings(vm)
        check_disks(disks)
    finally:
        vm.stop()


def check_only_entries(vm, n):
    """No menu of this boot ever had more than n entries (the stick's own boot files, read late,
    would have been more)."""
    more = [line for _, line in vm.trace_lines(r"menu ready entries=(\d+)")
            if int(re.search(r"entries=(\d+)", line).group(1)) > n]
    if more:
        raise Failure("more entries than the %d expected (the stick's own?): %s" % (n, more))


def scenario_stick_bios(art):
    """The stick image boots under SeaBIOS (syslinux) and reaches the menu; the stick has only
    the commented sample configuration, so the one on the disk is used. The entry has
    reset-vga: it boots through the kexec-tools the stick carries."""
    stick_scenario(art, "stick_bios", "bios", config_on_stick=False, kexec_tools=True)


def scenario_stick_uefi(art):
    """The stick image boots under OVMF without Secure Boot (shim, GRUB, the kernel) and reaches
    the menu."""
    stick_scenario(art, "stick_uefi", "uefi", config_on_stick=True)


def scenario_stick_uefi_uki(art):
    """mkstick --uki: the unsigned unified kernel image boots under OVMF without Secure Boot;
    the same stick under Secure Boot is refused by the firmware (Access Denied), which is why
    the signed chain is the default."""
    stick_scenario(art, "stick_uefi_uki", "uefi", config_on_stick=True, uki=True)
    vm = stick_vm(art, "stick_uki_refused", make_stick(art, "stick_uki_refused", uki=True),
                  "secureboot", vga="none")
    vm.drives = [vm.stick]
    vm.start()
    try:
        vm.wait_serial("Access Denied")
        print("# Secure Boot OVMF refuses the unsigned UKI: Access Denied")
    finally:
        vm.stop()
    if vm.trace_count("."):
        raise Failure("the unsigned UKI must not start under Secure Boot:\n" + vm.trace())


# An installed Debian's /boot/grub/grub.cfg on the test disk: the same Debian-signed kernel as
# the stick's, with the second stage. No timeout: the menu waits.
SIGNED_GRUB_CFG = """insmod ext2
menuentry 'Debian GNU/Linux' --class debian {
        linux /boot/vmlinuz console=ttyS0,115200 quiet panic=-1 entry=first
        initrd /boot/stage2.img
}
menuentry 'Debian GNU/Linux (again)' --class debian {
        linux /boot/vmlinuz console=ttyS0,115200 quiet panic=-1 entry=second
        initrd /boot/stage2.img
}
"""


def scenario_stick_secureboot(art):
    """The stick boots under OVMF with Secure Boot enforced and Microsoft's keys (shim, GRUB,
    the Debian-signed kernel): the kernel is locked down, the themed menu comes up, and the
    Debian-signed kernel on a test disk boots with kexec_file_load under that lockdown. The
    stick has no kexec-loader.conf (the user removed it): only mkstick's marker keeps its own
    grub.cfg and syslinux.cfg off the menu, which lists the disk's two GRUB entries."""
    stick = make_stick(art, "stick_secureboot", keep_config=False, append=STICK_APPEND_SECUREBOOT)
    vm = stick_vm(art, "stick_secureboot", stick, "secureboot")
    disk = V.Disk(V.ext4_image(vm.path("ext4.img"), dict(
        boot_files(art), **{"boot/grub/grub.cfg": SIGNED_GRUB_CFG}), "KLEXT4")).seal()
    vm.drives = [vm.stick, disk]
    vm.start()
    try:
        wait_secure_boot(vm)
        # Both entries' kernel (Debian-signed) is trusted under this lockdown: the Debian CA
        # came from shim (MokListRT) to the kernel's .machine keyring.
        vm.wait_trace_all(r"mark 0 verdict=ok refused=0 signer=Debian Secure Boot Signer",
                          r"mark 1 verdict=ok refused=0 signer=Debian Secure Boot Signer",
                          "lockdown mode=integrity keys=[0-9]+ refused=0")
        vm.wait_trace("menu ready entries=%d .*unresolved=0" % (2 + fw_entries(vm)))
        vm.wait_pixels("menu", lambda shot: V.VM.color_rows(shot, ACCENT))
        # H: UEFI, Secure Boot on (OVMF's Microsoft-key variables), the kernel locked down.
        key(vm, "H", "hardware firmware=UEFI secure_boot=on lockdown=integrity ")
        vm.wait_screen("Mode: UEFI (64-bit)", "Secure Boot: on", "Lockdown: integrity")
        key(vm, ESC, "screen menu")
        # The stick is there (in the device list) but none of its boot files is an entry.
        key(vm, "L", "screen pager devices")
        vm.wait_screen("/dev/vda1", "KEXECLOADER", "KLEXT4")
        key(vm, ESC, "screen menu")
        key(vm, DOWN, "menu selected=1 ")
        vm.send(ENTER)
        loaded = vm.wait_trace("boot step Loaded with ")[1]
        if not loaded.endswith("kexec_file_load"):
            raise Failure("under lockdown only kexec_file_load works: %s" % loaded)
        if "entry=second" not in vm.stage2_cmdline():
            raise Failure("the second entry should boot")
        vm.wait_exit()
        check_only_entries(vm, 2 + fw_entries(vm))
        timings(vm)
        check_disks([disk])
    finally:
        vm.stop()



MOK_PASSWORD = "testpass"


def mok_test_key(d):
    """A self-signed test key and its DER certificate (openssl), and the Debian kernel re-signed
    with it alone (sbattach --remove, then sbsign). Returns (der path, kernel bytes)."""
    key, pem, der = (os.path.join(d, n) for n in ("mok.key", "mok.pem", "mok.der"))
    V.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out",
           pem, "-subj", "/CN=kexec-loader MOK test key/", "-days", "30", "-addext",
           "extendedKeyUsage=codeSigning"])
    V.run(["openssl", "x509", "-in", pem, "-outform", "DER", "-out", der])
    unsigned, signed = os.path.join(d, "vmlinuz.unsigned"), os.path.join(d, "vmlinuz.mok")
    shutil.copy(KERNEL_FOR_MOK[0], unsigned)
    V.run(["sbattach", "--remove", unsigned])
    V.run(["sbsign", "--key", key, "--cert", pem, "--output", signed, unsigned])
    with open(signed, "rb") as f:
        return der, f.read()


KERNEL_FOR_MOK = []


def mokmanager_key(vm, qcode, redraw):
    """One key on the PS/2 keyboard (MokManager reads the firmware's console: QMP send-key),
    then the text MokManager redraws for it, on the serial port: one key at a time, each after
    the screen it acts on is drawn (MokManager under TCG is slow to draw a menu)."""
    vm.send_key(qcode)
    vm.wait_serial(redraw)


def mokmanager_enrol(vm, password):
    """Drives MokManager from its "Press any key" through Enroll MOK, Continue, Yes and the
    password, to its menu with Reboot. Its screens (100 x 31, boxes) are read as the text it
    writes on the serial port, in order."""
    vm.wait_serial("Press any key to perform MOK management")
    mokmanager_key(vm, "ret", "Perform MOK management")
    vm.wait_serial("Continue boot")
    vm.wait_serial("Enroll MOK")
    mokmanager_key(vm, "down", "Enroll MOK")
    mokmanager_key(vm, "ret", "[Enroll MOK]")
    vm.wait_serial("View key 0")
    vm.wait_serial("Continue")
    print("# MokManager: [Enroll MOK] lists the key")
    mokmanager_key(vm, "down", "Continue")
    mokmanager_key(vm, "ret", "Enroll the key(s)?")
    vm.wait_serial("Yes")
    mokmanager_key(vm, "down", "Yes")
    mokmanager_key(vm, "ret", "Password")
    print("# MokManager: the password is asked")
    for ch in password:
        vm.send_key(ch)
    mokmanager_key(vm, "ret", "Reboot")
    print("# MokManager: the key is enrolled, Reboot offered")
    vm.send_key("ret")


def scenario_mok_enrol(art):
    """MOK enrolment end to end under Secure Boot (OVMF secboot, Microsoft's keys, the signed
    stick): a kernel re-signed with a test key is refused under lockdown; M lists the test key's
    .der from the stick's /keys, the one-time password is typed twice and the request written
    through efivarfs; the reboot reaches MokManager, which the test drives with QMP send-key
    (reacting to its screens, never sleeping: its "Press any key" waits 10 s), enrolling the key
    with the password; after the next boot the same test-signed kernel boots with
    kexec_file_load. The firmware's variable store carries over from boot to boot."""
    d = vm_dir("mok_enrol")
    KERNEL_FOR_MOK[:] = [art.vmlinuz]
    der, kernel = mok_test_key(d)
    config = ("timeout 0\ntitle Test-signed kernel\nroot LABEL=KLMOK\nkernel /boot/vmlinuz\n"
              "initrd /boot/stage2.img\nappend console=ttyS0,115200 quiet panic=-1 "
              "entry=testsigned\n")
    stick = make_stick(art, "mok_enrol", config, append=STICK_APPEND_SECUREBOOT)
    mt = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    V.run(["mmd", "-i", stick + "@@1M", "::/keys"], env=mt)
    V.run(["mcopy", "-i", stick + "@@1M", der, "::/keys/mok-test.der"], env=mt)

    vm = stick_vm(art, "mok_enrol_1", stick, "secureboot")
    vars_fd, stick_img = vm.vars_file, vm.path("stick.img")
    disk = V.Disk(V.ext4_image(vm.path("ext4.img"), dict(
        boot_files(art), **{"boot/vmlinuz": kernel}), "KLMOK")).seal()
    drives = [vm.stick, disk]
    vm.drives = drives
    vm.start()
    try:
        wait_secure_boot(vm)
        # Marked before Enter (pesig): signed by a key this machine does not trust.
        vm.wait_trace_all(r"mark 0 verdict=untrusted refused=1 signer=kexec-loader MOK test key",
                          "lockdown mode=integrity keys=[0-9]+ refused=1")
        vm.wait_trace("menu ready entries=1 .*unresolved=0")
        vm.send(ENTER)
        _, err = vm.wait_trace("error boot 'Test-signed kernel'")
        print("# refused before the enrolment: %s" % err)
        key(vm, ESC, "screen menu")
        # M on that entry: the .der on the stick is the certificate that signed it.
        vm.send("M")
        _, found = vm.wait_trace(r"mok cert 1 subject=kexec-loader MOK test key "
                                 r"origin=/dev/vda1:/keys/mok-test.der match$")
        vm.wait_trace("mok step=pick")
        # Enter alone picks the one certificate that issued the marked entry's signer.
        key(vm, "\r", "mok step=password")
        key(vm, MOK_PASSWORD + "\r", "mok step=again")
        key(vm, MOK_PASSWORD + "\r", "mok written subject=kexec-loader MOK test key")
        vm.wait_trace("mok step=ready")
        key(vm, "\r", "mok reboot")
        vm.wait_exit()
        print("# request written, rebooted (%s)" % found)
    finally:
        vm.stop()

    # The next boot: shim finds MokNew and starts MokManager.
    vm = V.VM("mok_enrol_2", art, vga="std", kernel=False, secure_boot=True, vars_file=vars_fd)
    vm.drives = [["-drive", "file=%s,format=raw,if=virtio,snapshot=on" % stick_img], disk]
    vm.start()
    try:
        mokmanager_enrol(vm, MOK_PASSWORD)
        vm.wait_exit()
    finally:
        vm.stop()

    # The boot after: shim gives MokListRT to the kernel (.platform keyring); the test-signed
    # kernel now boots with kexec_file_load under lockdown.
    vm = V.VM("mok_enrol_3", art, vga="std", kernel=False, secure_boot=True, vars_file=vars_fd)
    vm.drives = [["-drive", "file=%s,format=raw,if=virtio,snapshot=on" % stick_img], disk]
    vm.start()
    try:
        wait_secure_boot(vm)
        vm.wait_trace_all(r"mark 0 verdict=ok refused=0 signer=kexec-loader MOK test key",
                          "lockdown mode=integrity keys=[0-9]+ refused=0")
        vm.wait_trace("menu ready entries=1 .*unresolved=0")
        vm.send(ENTER)
        loaded = vm.wait_trace("boot step Loaded with ")[1]
        if not loaded.endswith("kexec_file_load"):
            raise Failure("under lockdown only kexec_file_load works: %s" % loaded)
        if "entry=testsigned" not in vm.stage2_cmdline():
            raise Failure("the test-signed kernel should boot")
        vm.wait_exit()
        check_disks([disk])
    finally:
        vm.stop()


DEBIAN_GRUB_CFG = r"""# A Debian-style grub.cfg (grub-mkconfig shape): search by UUID, variables, a function,
# a submenu. It lives on the FAT disk; the kernel is on the ext4 disk found by its UUID.
if [ -s $prefix/grubenv ]; then
  load_env
fi
set default="0"
function load_video {
  insmod all_video
}
insmod part_gpt
insmod ext2
set root='hd0'
search --no-floppy --fs-uuid --set=root 6f0c1e0a-3f5e-4b8e-9d61-0c2b8a1e7d11
set timeout=30
set opts="console=ttyS0,115200 quiet panic=-1"
menuentry 'Debian GNU/Linux' --class debian --class gnu-linux --id 'gnulinux-simple' {
        load_video
        insmod gzio
        search --no-floppy --fs-uuid --set=root 6f0c1e0a-3f5e-4b8e-9d61-0c2b8a1e7d11
        echo 'Loading Linux 6.1.0 ...'
        linux /boot/vmlinuz root=UUID=6f0c1e0a-3f5e-4b8e-9d61-0c2b8a1e7d11 ro ${opts} entry=simple
        initrd /boot/stage2.img
}
submenu 'Advanced options for Debian GNU/Linux' --id 'gnulinux-advanced' {
        for kind in normal recovery; do
                if [ "$kind" = recovery ]; then
                        set extra="single"
                        set suffix=" (recovery mode)"
                else
                        set extra=""
                        set suffix=""
                fi
                menuentry "Debian GNU/Linux, with Linux 6.1.0${suffix}" --class debian {
                        search --no-floppy --fs-uuid --set=root 6f0c1e0a-3f5e-4b8e-9d61-0c2b8a1e7d11
                        linux /boot/vmlinuz root=UUID=6f0c1e0a-3f5e-4b8e-9d61-0c2b8a1e7d11 ro $extra ${opts} entry=$kind
                        initrd /boot/stage2.img
                }
        done
}
menuentry 'Windows Boot Manager' {
        chainloader /EFI/Microsoft/Boot/bootmgfw.efi
}
"""


def scenario_lvm_boot(art):
    """LVM with /boot on a logical volume (tests/qemu/disks/lvm-boot.sh, made by the real lvm in
    the setup VM, the group deactivated): kexec-loader activates it read-only, lists the LVs as
    kl-vg/boot and kl-vg/root (L), reads the grub.cfg on kl-vg/boot and boots its entry (the
    second stage runs); the disk's sha256 and its LVM metadata area are unchanged. With
    KL_LVM_APPEND=kexec_lvm=0 in the environment (activation off) the entry is not found and
    the test fails."""
    import setupvm
    vm = V.VM("lvm_boot", art, vga="none", append=os.environ.get("KL_LVM_APPEND", ""))
    disk, = setupvm.disks("lvm-boot", art, vm.dir)
    # The PV is the GPT partition at 1 MiB; LVM's label and metadata area fill its first MiB.
    with open(disk.path, "rb") as f:
        f.seek(1 << 20)
        metadata = f.read(1 << 20)
    if b"LABELONE" not in metadata[:2048] or b"kl-vg" not in metadata:
        raise Failure("no LVM label or metadata where the recipe put them")
    vm.drives = [disk]
    vm.start()
    try:
        vm.wait_trace("menu ready entries=1 ")
        vm.wait_screen("Debian GNU/Linux (LVM /boot)")
        key(vm, "L", "screen pager devices")
        vm.wait_screen("(kl-vg/boot)", "(kl-vg/root)", "LVM2_member", "ext4")
        key(vm, ESC, "screen menu")
        vm.send(ENTER)
        cmdline = vm.stage2_cmdline()
        if "entry=lvm" not in cmdline:
            raise Failure("the entry on the LV should boot: %r" % cmdline)
        vm.wait_exit()
        timings(vm)
        log = vm.debug.text()
        for text in ("kl-vg/boot activated read-only", "kl-vg/root activated read-only",
                     "kl-vg/boot deactivated"):
            if text not in log:
                raise Failure("not in the debug log: %r" % text)
        check_disks([disk])
        with open(disk.path, "rb") as f:
            f.seek(1 << 20)
            if f.read(1 << 20) != metadata:
                raise Failure("the LVM label or metadata area changed")
        print("# LVM label and metadata area (1 MiB) byte-identical")
    finally:
        vm.stop()


def scenario_grub_submenu(art):
    """No kexec-loader.conf anywhere: a Debian-style grub.cfg (search by UUID, submenu,
    variables) is read, and the entry chosen from its submenu boots."""
    vm = V.VM("grub_submenu", art, vga="none")
    files = boot_files(art)
    ext4 = V.Disk(V.ext4_image(vm.path("ext4.img"), files, "KLEXT4",
                               uuid="6f0c1e0a-3f5e-4b8e-9d61-0c2b8a1e7d11")).seal()
    vfat = V.Disk(V.vfat_image(vm.path("vfat.img"), {"boot/grub/grub.cfg": DEBIAN_GRUB_CFG},
                               "KLVFAT")).seal()
    vm.drives = [ext4, vfat]
    vm.start()
    try:
        vm.wait_trace("menu ready entries=4 .*unresolved=1")
        vm.wait_screen("Advanced options for Debian GNU/Linux > Debian GNU/Linux, with Linux",
                       "Windows Boot Manager (needs UEFI firmware: this machine booted in BIOS mode)")
        key(vm, DOWN, "menu selected=1 ")
        key(vm, DOWN, "menu selected=2 ")
        vm.send(ENTER)
        cmdline = vm.stage2_cmdline()
        if "entry=recovery" not in cmdline or " single " not in cmdline:
            raise Failure("the recovery entry of the submenu should boot: %r" % cmdline)
        vm.wait_exit()
        timings(vm)
        check_disks([ext4, vfat])
    finally:
        vm.stop()


# printf 'pw\npw\n' | grub-mkpasswd-pbkdf2 -c 1000 (Debian grub-common), as in test-auth.c
PW_HASH = ("grub.pbkdf2.sha512.1000.0A20E3D3822512A8FCB5D330BB2567FFF91AB6B5983D7CEF0F8A0F992E8DCA"
           "02BEC56CEACCD0AA3F884EF2E922878EDDB1B2A4136CFAB9DA2C995F0CB0945F33.955C23B237C19C3ADA"
           "02FE88A815B064EDC49FACF6AFE61A18710E192FC92CED0BA4AE3F77CCB272B4FC3066EDB4F8772FEE0F60"
           "ACCA3EF9C98711C45157E21E")

PASSWORD_GRUB_CFG = r"""# GRUB's authentication (40_custom style): root's password protects this system.
set superusers="root"
export superusers
password_pbkdf2 root %s
set timeout=30
menuentry 'Protected Debian' --class debian {
        linux /boot/vmlinuz console=ttyS0,115200 quiet panic=-1 entry=protected
        initrd /boot/stage2.img
}
menuentry 'Open rescue' --unrestricted {
        linux /boot/vmlinuz console=ttyS0,115200 quiet panic=-1 entry=open
        initrd /boot/stage2.img
}
""" % PW_HASH


def scenario_grub_password(art):
    """Issue 13: a GRUB config with superusers and password_pbkdf2 on a scanned disk locks its
    entry here too: Enter asks for the user name and the password (typed on the serial console,
    masked); a wrong one boots nothing and the next try waits; the right one boots it."""
    vm = V.VM("grub_password", art, vga="none")
    disk = V.Disk(V.ext4_image(vm.path("ext4.img"),
                               dict(boot_files(art), **{"boot/grub/grub.cfg": PASSWORD_GRUB_CFG}),
                               "KLPASS")).seal()
    vm.drives = [disk]
    vm.start()
    try:
        vm.wait_trace("menu ready entries=2 ")
        vm.wait_screen("Protected Debian", "Open rescue")
        key(vm, ENTER, "login ask for=boot entry=0 step=user")
        vm.wait_screen("'Protected Debian' is protected by a password", "Username:")
        vm.send("root")
        key(vm, ENTER, "login step=password")
        vm.send("wrong")
        vm.wait_screen("Password: *****")
        key(vm, ENTER, "login denied for=boot failures=1 wait=1000")
        vm.wait_screen("Wrong user name or password")
        vm.wait_trace("login step=user")
        if vm.trace_count("boot start"):
            raise Failure("a wrong password must boot nothing:\n" + vm.trace())
        vm.send("root")
        key(vm, ENTER, "login step=password")
        vm.send("pw")
        key(vm, ENTER, "login ok for=boot entry=0")
        cmdline = vm.stage2_cmdline()
        if "entry=protected" not in cmdline:
            raise Failure("the protected entry should boot: %r" % cmdline)
        vm.wait_exit()
        timings(vm)
        check_disks([disk])
    finally:
        vm.stop()


LOOPBACK_GRUB_CFG = r"""# A grub.cfg booting an ISO file on this disk the GRUB way: loopback, then (loop)/ paths.
set timeout=30
set isofile=/isos/live.iso
menuentry 'Live system from the ISO file' {
        loopback loop $isofile
        linux (loop)/casper/vmlinuz console=ttyS0,115200 quiet panic=-1 entry=iso iso-scan/filename=$isofile
        initrd (loop)/casper/initrd
}
"""


def scenario_grub_loopback_iso(art):
    """GRUB 2's loopback: the kernel and initrd of the entry are inside an ISO image (made here
    with xorriso) on an ext4 disk; they are read out of it (libarchive, no loop device) into
    memfds and booted with kexec_file_load."""
    if shutil.which("xorriso") is None:
        print("SKIP: xorriso is not installed")
        sys.exit(77)
    vm = V.VM("grub_loopback_iso", art, vga="none")
    tree = vm.path("isotree")
    for rel, src in (("casper/vmlinuz", art.vmlinuz), ("casper/initrd", art.stage2)):
        os.makedirs(os.path.dirname(os.path.join(tree, rel)), exist_ok=True)
        shutil.copyfile(src, os.path.join(tree, rel))
    iso = vm.path("live.iso")
    V.run(["xorriso", "-as", "mkisofs", "-quiet", "-R", "-J", "-V", "KL_LIVE", "-o", iso, tree])
    shutil.rmtree(tree)
    disk = V.Disk(V.ext4_image(vm.path("ext4.img"),
                               {"isos/live.iso": open(iso, "rb").read(),
                                "boot/grub/grub.cfg": LOOPBACK_GRUB_CFG},
                               "KLISO", size_mb=64)).seal()
    os.unlink(iso)
    vm.drives = [disk]
    vm.start()
    try:
        # the ISO itself is listed too by the ISO scan: not bootable (no boot configuration of
        # its own)
        vm.wait_trace("menu ready entries=2 .*unresolved=1")
        vm.wait_screen("Live system from the ISO file")
        vm.send(ENTER)
        # kernel and initrd read out of the image into memfds (/proc/PID/fd/N)
        vm.wait_trace("boot kernel=/proc/[0-9]+/fd/[0-9]+ initrds=1 ")
        cmdline = vm.stage2_cmdline()
        if "entry=iso" not in cmdline or "iso-scan/filename=/isos/live.iso" not in cmdline:
            raise Failure("the entry inside the ISO should boot: %r" % cmdline)
        vm.wait_exit()
        timings(vm)
        check_disks([disk])
    finally:
        vm.stop()


# ---- live ISO files on the disks, booted as their own initramfs would find them again ----

# What a live ISO's initramfs needs to find its ISO file (stage2-init.c's boot=casper/boot=live
# mode): the disks (virtio), loop devices, ISO 9660 and the filesystems the ISO files are on.
LIVE_MODULES = ("virtio_pci", "virtio_blk", "loop", "isofs", "vfat", "nls_cp437", "nls_ascii",
                "ext4")


def live_initrd(art):
    """The second stage as a live ISO's initrd: /init (stage2-init) and the Debian kernel's
    modules of LIVE_MODULES with their dependencies, listed in load order (modprobe
    --show-depends) in /etc/modules.list. Returns the gzip'd cpio (bytes)."""
    paths = []
    for m in LIVE_MODULES:
        out = V.run(["modprobe", "-d", art.kroot, "-S", art.kver, "--show-depends", m])
        for line in out.splitlines():
            words = line.split()
            if words and words[0] == "insmod" and words[1] not in paths:
                paths.append(words[1])
    d = 0o40755
    files = [("dev", d, None), ("proc", d, None), ("sys", d, None), ("etc", d, None),
             ("lib", d, None), ("lib/modules", d, None)]
    listed = []
    for p in paths:
        name = "lib/modules/" + os.path.basename(p)
        files.append((name, 0o100644, open(p, "rb").read()))
        listed.append("/" + name)
    files += [("etc/modules.list", 0o100644, ("\n".join(listed) + "\n").encode()),
              ("init", 0o100755, open(V.STAGE2, "rb").read())]
    return gzip.compress(V.cpio_newc(files), 6)


# Ubuntu's live media (casper): the kernel and initrd in /casper, a grub.cfg whose entries have
# no iso-scan/filename= (no loopback.cfg either): kexec-loader adds it. "---": what follows it,
# Ubuntu's installer copies into the installed system's command line.
CASPER_GRUB_CFG = r"""set timeout=30
loadfont unicode
set menu_color_normal=white/black
set menu_color_highlight=black/light-gray
menuentry "Try or Install Ubuntu" {
	set gfxpayload=keep
	linux	/casper/vmlinuz  boot=casper quiet console=ttyS0,115200 panic=-1 entry=casper ---
	initrd	/casper/initrd
}
menuentry "Ubuntu (safe graphics)" {
	set gfxpayload=keep
	linux	/casper/vmlinuz  nomodeset boot=casper quiet console=ttyS0,115200 panic=-1 entry=safe ---
	initrd	/casper/initrd
}
"""

# Debian's live media (live-build, live-boot): /live, and a grub.cfg as bullseye's had it (no
# findiso=${iso_path}): kexec-loader adds findiso=.
DEBIAN_LIVE_GRUB_CFG = r"""set default=0
set timeout=30
menuentry "Live system (amd64)" --hotkey=l {
	linux	/live/vmlinuz boot=live components quiet console=ttyS0,115200 panic=-1 entry=debianlive
	initrd	/live/initrd.img
}
"""


def live_iso(vm, name, volid, tree):
    """An ISO 9660 image with Rock Ridge and Joliet (xorriso -as mkisofs) of tree {path: bytes
    or str}; returns its bytes."""
    root = vm.path(name + ".d")
    V._tree(root, tree)
    iso = vm.path(name)
    V.run(["xorriso", "-as", "mkisofs", "-quiet", "-R", "-J", "-V", volid, "-o", iso, root])
    shutil.rmtree(root)
    data = open(iso, "rb").read()
    os.unlink(iso)
    return data


def live_disks(vm):
    """The stick (a GPT disk, its vfat partition holding mkstick's marker) with an Ubuntu-like
    /isos/live.iso, and an ext4 disk with a Debian-live-like /isos/debian-live.iso. Both ISOs
    hold the Debian kernel and the live initrd."""
    kernel, initrd = open(vm.art.vmlinuz, "rb").read(), live_initrd(vm.art)
    casper = live_iso(vm, "live.iso", "Ubuntu 24.04 LTS amd64", {
        ".disk/info": 'Ubuntu 24.04 LTS "Noble Numbat" - Release amd64 (20240424)\n',
        "casper/vmlinuz": kernel, "casper/initrd": initrd,
        "boot/grub/grub.cfg": CASPER_GRUB_CFG})
    debian = live_iso(vm, "debian-live.iso", "d-live 12.5.0 st amd64", {
        ".disk/info": "Debian GNU/Linux 12.5.0 \"Bookworm\" - Official Live amd64\n",
        "live/vmlinuz": kernel, "live/initrd.img": initrd,
        "boot/grub/grub.cfg": DEBIAN_LIVE_GRUB_CFG})
    part = V.vfat_image(vm.path("stick-p1.img"), {".kexec-loader-stick": "",
                                                  "isos/live.iso": casper}, "KLSTICK",
                        size_mb=40)
    stick = V.gpt_image(vm.path("stick.img"), [("stick", part)], size_mb=48)
    os.unlink(part)
    other = V.ext4_image(vm.path("ext4.img"), {"isos/debian-live.iso": debian}, "KLDATA",
                         size_mb=40)
    return [V.Disk(stick).seal(), V.Disk(other).seal()]


def iso_boot_scenario(art, name, downs, entry, iso, dev, fstype, param, inner):
    """Boots the entry `downs` rows down from the top: the ISO's kernel and initrd are read out
    of the ISO file into memfds; the live initrd must find the ISO file again by the one
    parameter kexec-loader added (param: iso-scan/filename=, findiso=), on dev, and mount it."""
    if shutil.which("xorriso") is None:
        print("SKIP: xorriso is not installed")
        sys.exit(77)
    vm = V.VM(name, art, vga="none")
    disks = live_disks(vm)
    vm.drives = disks
    vm.start()
    try:
        vm.wait_trace("menu ready entries=3 .*unresolved=0")
        # One submenu per ISO, named by its file; the stick's ISO first.
        vm.wait_screen("live.iso > Try or Install Ubuntu", "live.iso > Ubuntu (safe graphics)",
                       "debian-live.iso > Live system (amd64)")
        for i in range(1, downs + 1):
            key(vm, DOWN, "menu selected=%d " % i)
        vm.send(ENTER)
        t_key = time.time()
        vm.wait_trace("boot kernel=/proc/[0-9]+/fd/[0-9]+ initrds=1 ")
        cmdline = vm.stage2_cmdline()
        # What the live initrd found (or why not), whatever the command line was.
        vm.wait_serial("STAGE2 ISO ")
        with vm.serial.cond:
            start = vm.serial.cursor
        vm.wait_serial("\n")
        with vm.serial.cond:
            found = vm.serial.data[start:vm.serial.cursor].decode(errors="replace").strip()
        if "entry=%s " % entry not in cmdline + " ":
            raise Failure("the entry %s of %s should boot: %r" % (entry, iso, cmdline))
        if cmdline.split().count(param + iso) != 1 or cmdline.count(param) != 1:
            raise Failure("exactly one %s%s should be added: %r (STAGE2 ISO %s)"
                          % (param, iso, cmdline, found))
        words = cmdline.split()
        if "---" in words and words.index(param + iso) > words.index("---"):
            raise Failure("%s should come before '---' (the installer copies what follows it into "
                          "the installed system): %r" % (param, cmdline))
        want = "FOUND %s on %s (%s) via /dev/loop" % (iso, dev, fstype)
        size = "%s/vmlinuz %d bytes" % (inner, os.path.getsize(art.vmlinuz))
        if not found.startswith(want) or not found.endswith(size):
            raise Failure("the live initrd should find %s on %s and mount it (%s): STAGE2 ISO %s"
                          % (iso, dev, size, found))
        print("# the live initrd: STAGE2 ISO " + found)
        t_boot = time.time() - t_key
        vm.wait_exit()
        timings(vm, ", Enter to the ISO found %.1f s" % t_boot)
        check_disks(disks)
    finally:
        vm.stop()


def scenario_iso_boot_live(art):
    """An Ubuntu-like live ISO on the stick: chosen from its submenu, its kernel and initrd boot
    out of the ISO, and its initrd finds the ISO again by the iso-scan/filename= kexec-loader
    added (mounts the stick's partition, the ISO on a loop device)."""
    iso_boot_scenario(art, "iso_boot_live", 0, "casper", "/isos/live.iso", "/dev/vda1", "vfat",
                      "iso-scan/filename=", "casper")


def scenario_iso_boot_live_debian(art):
    """A Debian-live-like ISO on an ext4 disk: its initrd finds it by the added findiso=."""
    iso_boot_scenario(art, "iso_boot_live_debian", 2, "debianlive", "/isos/debian-live.iso",
                      "/dev/vdb", "ext4", "findiso=", "live")


DISK_IMAGE_GRUB_CFG = """set timeout=30
menuentry 'System in the disk image' {
        linux /boot/vmlinuz console=ttyS0,115200 quiet panic=-1 entry=diskimage
        initrd /boot/stage2.img
}
"""


def debugfs_dump(image, path, out):
    """Reads a file out of an ext4 image (debugfs, no mount, no root)."""
    V.run(["debugfs", "-R", "dump %s %s" % (path, out), image])
    return out


def scenario_disk_image_listed(art):
    """Issue 11: a disk image file on an ext4 disk (/images/disk.img: a GPT image, made here with
    sfdisk and mkfs.ext4 -d, whose ext4 partition holds a grub.cfg, the kernel and stage 2) is a
    disk of its own: attached to a read-only loop device, its partition's system listed; R
    releases the loop device and attaches it again; the entry boots. The outer disk and the image
    file read back out of it are unchanged (sha256)."""
    vm = V.VM("disk_image_listed", art, vga="none")
    part = V.ext4_image(vm.path("img-p1.img"),
                        dict(boot_files(art), **{"boot/grub/grub.cfg": DISK_IMAGE_GRUB_CFG}),
                        "KLIMGP1", size_mb=40)
    inner = V.gpt_image(vm.path("disk.img"), [("klimg1", part)], size_mb=48)
    os.unlink(part)
    inner_sum = V.sha256(inner)
    disk = V.Disk(V.ext4_image(vm.path("outer.img"),
                               {"images/disk.img": open(inner, "rb").read()}, "KLOUTER",
                               size_mb=96)).seal()
    os.unlink(inner)
    vm.drives = [disk]
    vm.start()
    try:
        # The trace channel loses no line (the debug console drops lines when it is slow): the
        # backend's loop device counters say what was attached and released.
        vm.wait_trace("menu ready entries=1 .* loop_attaches=1 loop_detaches=0")
        vm.wait_screen("System in the disk image")
        # R: a new scan releases the loop device (partitions and all), then attaches it again
        vm.send("r")
        vm.wait_trace("reload")
        vm.wait_trace("menu ready entries=1 .* loop_attaches=2 loop_detaches=1")
        vm.wait_screen("System in the disk image")
        vm.send(ENTER)
        vm.wait_trace("boot kernel=[^ ]*/boot/vmlinuz initrds=1 ")
        # loaded: the loop device is released before the jump
        vm.wait_trace("boot exec loop_detaches=2")
        cmdline = vm.stage2_cmdline()
        if "entry=diskimage" not in cmdline:
            raise Failure("the entry of the disk image should boot: %r" % cmdline)
        vm.wait_exit()
        timings(vm)
        check_disks([disk])
        back = debugfs_dump(disk.path, "/images/disk.img", vm.path("disk-after.img"))
        if V.sha256(back) != inner_sum:
            raise Failure("the image file was written to (checksum changed)")
        print("# the image file inside the disk is unchanged (sha256)")
    finally:
        vm.stop()


SUSE_GRUB_CFG = r"""# openSUSE's shape: /boot/grub2/grub.cfg in the default subvolume "@", the kernels in the
# subvolume "@boot", mounted over /boot by btrfs-mount-subvol.
set btrfs_relative_path="y"
export btrfs_relative_path
set timeout=30
btrfs-mount-subvol ($root) /boot @boot
menuentry 'openSUSE Tumbleweed' {
        if [ -f /boot/vmlinuz ]; then set k=/boot/vmlinuz; fi
        linux $k console=ttyS0,115200 quiet panic=-1 entry=subvol
        initrd /boot/stage2.img
}
"""


def btrfs_subvol_image(vm, path, art):
    """A btrfs image whose default subvolume "@" holds /boot/grub2/grub.cfg and an empty /boot,
    and whose subvolume "@boot" holds the kernel and stage 2 (made with a loop mount: root)."""
    mnt = vm.path("btrfs-mnt")
    with open(path, "wb") as f:
        f.truncate(160 << 20)
    V.run(["mkfs.btrfs", "-q", "-f", "-L", "KLBTRFS", path])
    os.makedirs(mnt, exist_ok=True)
    V.run(["mount", "-o", "loop", path, mnt])
    try:
        V.run(["btrfs", "-q", "subvolume", "create", mnt + "/@"])
        V.run(["btrfs", "-q", "subvolume", "create", mnt + "/@boot"])
        os.makedirs(mnt + "/@/boot/grub2")
        with open(mnt + "/@/boot/grub2/grub.cfg", "w") as f:
            f.write(SUSE_GRUB_CFG)
        shutil.copyfile(art.vmlinuz, mnt + "/@boot/vmlinuz")
        shutil.copyfile(art.stage2, mnt + "/@boot/stage2.img")
        V.run(["btrfs", "-q", "subvolume", "set-default", mnt + "/@"])
    finally:
        V.run(["umount", mnt])
    return path


def scenario_grub_btrfs_subvol(art):
    """openSUSE's btrfs-mount-subvol on a real btrfs disk: the grub.cfg of the default subvolume
    mounts the subvolume "@boot" over /boot; the kernel and initrd are read from it (the top
    level mounted read-only beside the default subvolume) and boot."""
    if os.geteuid() != 0 or shutil.which("mkfs.btrfs") is None or shutil.which("btrfs") is None:
        print("SKIP: needs root (a loop mount) and btrfs-progs to make the btrfs disk")
        sys.exit(77)
    vm = V.VM("grub_btrfs_subvol", art, vga="none")
    disk = V.Disk(btrfs_subvol_image(vm, vm.path("btrfs.img"), art)).seal()
    vm.drives = [disk]
    vm.start()
    try:
        vm.wait_trace("menu ready entries=1 .*unresolved=0")
        vm.wait_screen("openSUSE Tumbleweed")
        vm.send(ENTER)
        cmdline = vm.stage2_cmdline()
        if "entry=subvol" not in cmdline:
            raise Failure("the entry with its kernel in @boot should boot: %r" % cmdline)
        vm.wait_exit()
        timings(vm)
        check_disks([disk])
    finally:
        vm.stop()


SNAP_UUID = "5b1f0c2e-8d3a-4c6b-9e7f-0a1b2c3d4e5f"


def scenario_btrfs_snapshot_boot(art):
    """btrfs snapshots on a real disk: the system in the subvolume "@" (found though the default
    subvolume is the top level; rootflags=subvol=@ added to its entry) and, in a "Snapshots"
    submenu, its two snapper snapshots with their own kernels, newest first with their dates,
    and one without info.xml dated by its subvolume's creation time (taken after the others: the newest). The
    older snapshot boots: its own command line (entry=snap1) with rootflags=subvol= of the
    snapshot. A second disk whose default subvolume is "@" lists that system once, and the
    system in its subvolume "sys2" with its kernel read through the top level. Every btrfs mount
    is made with rescue=nologreplay; the disks are unchanged."""
    vm = V.VM("btrfs_snapshot_boot", art, vga="none")
    # made in the setup VM (tests/qemu/disks/btrfs-snapshots.sh)
    disk, disk2 = SV.disks("btrfs-snapshots", art, vm.dir)
    vm.drives = [disk, disk2]
    vm.start()
    try:
        # 4 on the first disk; on the second "@" once (it is the default subvolume), "sys2"
        # read through the top level: every kernel found (unresolved=0)
        vm.wait_trace("menu ready entries=6 .*unresolved=0")
        # "|>" on the selected entry (the text menu's marker for screen readers)
        vm.wait_screen("Default Linux ", "Second Linux ")
        if not (re.search(r"\|[ >]Default Linux ", vm.text())
                and re.search(r"\|[ >]Second Linux ", vm.text())):
            raise Failure("both systems should be entries of their own:\n" + vm.text())
        if vm.text().count("Default Linux") != 1:
            raise Failure("the default subvolume's system should be listed once:\n" + vm.text())
        # the titles are cut at the screen's width after the date
        # snapshot 3's date is its subvolume's creation time (when the setup VM made it)
        vm.wait_screen("KL Linux — snapshot 3 (")
        m = re.search(r"Snapshots \(KL Linux\) > KL Linux — snapshot 3 "
                      r"\((\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\)", vm.text())
        if not m:
            raise Failure("snapshot 3 should be dated by its otime:\n" + vm.text())
        plain = m.group(0)
        new = "Snapshots (KL Linux) > KL Linux — snapshot 2 (2026-02-20 09:30:00, kernel"
        old = "Snapshots (KL Linux) > KL Linux — snapshot 1 (2026-01-10 08:00:00, kernel"
        vm.wait_screen(plain, new, old)
        if not re.search(r"\|[ >]KL Linux ", vm.text()):
            raise Failure("the system itself should be an entry:\n" + vm.text())
        screen = vm.text()
        if not screen.index(plain) < screen.index(new) < screen.index(old):
            raise Failure("the snapshots should be newest first:\n" + screen)
        vm.debug.wait(V.text_step(b"(btrfs) mounted with rescue=nologreplay"), V.TIMEOUT,
                      "the btrfs mounted without log replay")
        for i in (1, 2, 3):
            key(vm, DOWN, "menu selected=%d " % i)
        vm.send(ENTER)
        vm.wait_trace("boot kernel=[^ ]*/boot/vmlinuz-6.1.0-old initrds=1 ")
        cmdline = vm.stage2_cmdline()
        if ("entry=snap1" not in cmdline
                or "rootflags=subvol=@/.snapshots/1/snapshot" not in cmdline
                or "root=UUID=" + SNAP_UUID not in cmdline):
            raise Failure("the older snapshot should boot with its own command line: %r"
                          % cmdline)
        vm.wait_exit()
        timings(vm)
        check_disks([disk, disk2])
    finally:
        vm.stop()


# qcodes of the PS/2 keyboard for the characters of a passphrase (US layout, as QEMU sends them)
QCODES = dict({c: c for c in "abcdefghijklmnopqrstuvwxyz0123456789"},
              **{c.upper(): "shift-" + c for c in "abcdefghijklmnopqrstuvwxyz"},
              **{" ": "spc", "-": "minus", ".": "dot", "_": "shift-minus", "=": "equal", "/": "slash",
                 ",": "comma", "\r": "ret"})


def type_masked(vm, text, chunk=4):
    """text typed on the PS/2 keyboard through QMP send-key (it reaches the menu via evdev), a
    few keys at a time, each group waited for as its '*' on the screen (the masked line is
    checked as it grows; evdev_fast_typing types without a pause)."""
    for i in range(0, len(text), chunk):
        vm.send_key(*[QCODES[c] for c in text[i:i + chunk]])
        vm.wait_screen("Passphrase (Enter: unlock, Esc: back): " + "*" * min(len(text), i + chunk))


def scenario_luks_boot(art):
    """/boot inside LUKS2 (argon2id), made in the setup VM (tests/qemu/disks/luks2-boot.sh): the
    locked volume is a menu row; Enter asks for the passphrase, typed on the PS/2 keyboard through
    QMP (evdev): a wrong one first (masked on screen, the message seen, asked again), then the
    right one; the volume's GRUB entry is listed. Two boots of it edited (E, on the serial
    console) fail after the volume's files are read: its initrd renamed to a missing file, and
    its grub.cfg given as the kernel; each comes back with its reason, and PID 1's view of the
    mounts and of the dm devices (kexec_test=commands "state") is what it was before: nothing of
    the failed boot stays mounted, the unlocked volume stays mapped (its entry is listed). Then
    the entry boots (the second stage runs). The disk's sha256 is unchanged after the scan, the
    unlocks, the failures and the boot."""
    import setupvm
    vm = V.VM("luks_boot", art, vga="std", append="kexec_test=commands")
    disks = setupvm.disks("luks2-boot", art, vm.dir)
    vm.drives = disks
    wrong, right = "letmein", "kexec-loader test"
    vm.start()
    try:
        vm.wait_trace("menu ready entries=0 .*locked=1")
        vm.wait_trace("menu locked /dev/vda1")
        vm.wait_screen("Unlock vda1 (encrypted, ")
        vm.wait_boot_event("input evdev keyboards=[1-9]")
        vm.send_key("ret")
        vm.wait_trace("unlock open dev=/dev/vda1 tpm2=0")
        vm.wait_screen("Passphrase (Enter: unlock, Esc: back):", "[ ] Give the key")
        type_masked(vm, wrong)
        vm.screendump("unlock-typed")
        vm.send_key("ret")
        vm.wait_trace("unlock busy dev=/dev/vda1 handover=0")
        # the dm and cipher modules, loaded once per boot (before the first unlock, or earlier
        # when the stick's key files are tried at start-up)
        vm.wait_boot_event("unlock modules loaded=[1-9]")
        t, line = vm.wait_trace("unlock (ok|failed)")
        if "failed dev=/dev/vda1 r=-1: wrong passphrase" not in line:
            raise Failure("the wrong passphrase should be refused: %r" % line)
        vm.wait_screen("wrong passphrase: it opens no key slot of /dev/vda1",
                       "Type it again, or Esc to go back.")
        vm.screendump("unlock-wrong")
        if wrong in vm.text() or wrong in vm.trace():
            raise Failure("the passphrase reached the screen or the trace")
        type_masked(vm, right)
        vm.send_key("ret")
        vm.wait_trace("unlock busy dev=/dev/vda1")
        t1, line = vm.wait_trace("unlock (ok|failed)")
        if " ok dev=/dev/vda1" not in line:
            raise Failure("the right passphrase should unlock: %r" % line)
        print("# unlocked in %.1f s (guest): %s" % (t1 - t, line))
        vm.wait_trace("menu ready entries=1 .*unresolved=0 .*locked=0")
        vm.wait_screen("openSUSE Tumbleweed (encrypted)")
        if right in vm.text() or right in vm.trace():
            raise Failure("the passphrase reached the screen or the trace")
        luks_failed_boots(vm)
        vm.send_key("ret")
        cmdline = vm.stage2_cmdline()
        if "entry=luks" not in cmdline:
            raise Failure("the entry inside the LUKS volume should boot: %r" % cmdline)
        vm.wait_exit()
        timings(vm)
        check_disks(disks)
    finally:
        vm.stop()

def luks_failed_boots(vm):
    """luks_boot's failed boots of the unlocked volume's entry (the editor on the serial
    console): PID 1's mounts and dm devices after each are those before it."""
    before = guest_state(vm)
    mounts, block = before
    print("# unlocked: block %s; mounts %s" % (" ".join(block), " ".join(mounts)))
    if not any("(luks-" in b for b in block):
        raise Failure("the unlocked volume is a dm device: %s" % block)
    # the initrd line is the entry's last, the linux line the one above it
    edits = [("\x1b[B" * 12 + "\x1b[Fx", "editor boot kernel=/boot/vmlinuz-",
              r"/boot/initrd\.img-\S+x on \S+ not found"),
             ("\x1b[B" * 12 + "\x1b[A\x1b[H" + "\x1b[C" * 6 + "/boot/grub/grub.cfg ",
              "editor boot kernel=/boot/grub/grub.cfg ", r"/boot/grub/grub\.cfg on \S+")]
    for keys, booted, why in edits:
        key(vm, "e", "editor open entry=0 ")
        vm.send(keys + "\x18")
        vm.wait_trace(booted)
        line = vm.wait_trace("error boot")[1]
        if not re.search(why, line) or "/run/kexec-loader" in line:
            raise Failure("the failure names %s: %s" % (why, line))
        print("# %s" % line)
        key(vm, ESC, "screen menu")
        after = guest_state(vm)
        if after != before:
            raise Failure("a failed boot from the LUKS volume left state behind:\n"
                          "before: %s\nafter:  %s" % (before, after))
    print("# after 2 failed boots from the unlocked volume: the same mounts and devices")


def scenario_raid1_boot(art):
    """md RAID1 with /boot on it, on two disks made by the setup VM (tests/qemu/disks/
    raid1-boot.sh: a GPT partition on each, the members of a metadata 1.2 array "kltest:boot"
    holding an ext4 /boot with a grub.cfg). The array is assembled read-only from the members
    libblkid reports, listed (L) by its kernel name and array name, its entry boots; the members
    are never read as filesystems, and both disks are unchanged (sha256)."""
    vm = V.VM("raid1_boot", art, vga="none")
    disks = SV.disks("raid1-boot", art, vm.dir)
    vm.drives = disks
    vm.start()
    try:
        # The array waits for both members (the disks come one after the other), then its
        # /boot is read: one entry, the array made of two members.
        vm.wait_trace("menu ready entries=1 .*unresolved=0 .*md_members=2")
        vm.wait_screen("Debian GNU/Linux (RAID1 /boot)")
        key(vm, "L", "screen pager devices")
        vm.wait_screen("/dev/md127 (kltest:boot)", "/dev/vda1", "/dev/vdb1", "linux_raid_member",
                       "boot")
        key(vm, ESC, "screen menu")
        vm.send(ENTER)
        cmdline = vm.stage2_cmdline()
        if "entry=raid1" not in cmdline:
            raise Failure("the entry on the RAID1 /boot should boot: %r" % cmdline)
        vm.wait_exit()
        timings(vm)
        check_disks(disks)
    finally:
        vm.stop()


ACCENT = (0x3d, 0x7e, 0xff)  # the default theme's selection
YELLOW = (0xff, 0xff, 0x00)  # high-contrast's selection


def graphical_scenario(art, name, video_args, theme_line="", accent=ACCENT, after_menu=None,
                       themed_early=True):
    config = theme_line + CONFIG
    vm = V.VM(name, art, vga="none", extra=video_args)
    disks = standard_disks(vm, config)
    vm.drives = disks
    vm.start()
    try:
        vm.wait_trace_all("frontend graphics", "menu ready entries=5 .*unresolved=0")
        check_themed_early(vm, strict=themed_early)
        # The themed menu (its selection colour) on the screen, then the highlight lower down
        # after Down: each waited for on the screen itself.
        shot, rows = vm.wait_pixels("menu", lambda s: (s, V.VM.color_rows(s, accent))
                                    if V.VM.color_rows(s, accent) else None)
        key(vm, DOWN, "menu selected=1 ")
        moved = vm.wait_pixels("down", lambda s: [y for y in [V.VM.color_rows(s, accent)]
                                                  if y and min(y) > min(rows)])[0]
        print("# %dx%d screen; the highlight moved from y=%d to y=%d (%d rows high)"
              % (shot[0], shot[1], min(rows), min(moved), len(rows)))
        if after_menu:
            after_menu(vm)
        vm.send(ENTER)
        booted(vm, "second", disks, "the second entry should boot")
    finally:
        vm.stop()


def scenario_graphics_bochs(art):
    """-vga std (bochs-drm): the screendump shows the themed menu; Down moves the highlight on
    screen; Enter boots. The hardware screen shows the panel's size from QEMU's EDID (1280x800
    at QEMU's 100 dpi: 325 x 203 mm) and the scale that gives (100 %)."""
    def hardware(vm):
        key(vm, "H", "hardware firmware=BIOS ")
        vm.wait_screen("card0-Virtual-1  connected  QEMU Monitor  driver bochs-drm",
                       "325 x 203 mm, 100 dpi, scale 100% (menu shown)")
        key(vm, ESC, "screen menu")

    graphical_scenario(art, "graphics_bochs", ["-vga", "std"], after_menu=hardware)


def scenario_graphics_virtio(art):
    """virtio-vga (virtio-gpu, which needs DirtyFB): the same."""
    graphical_scenario(art, "graphics_virtio", ["-device", "virtio-vga"], themed_early=False)


FRAME_4K = 3840 * 2160 * 4  # one XRGB8888 frame at 3840x2160: 33,177,600 bytes
MEMORY_4K_LIMIT = 2 * FRAME_4K + 16 * 1024 * 1024  # issue 14: two frames + 16 MiB


def memory_4k_figures(vm):
    """The menu's memory from its trace line after a frame of the menu (bytes)."""
    _, line = vm.wait_trace(r"memory graphical=1 rss=")
    return {k: (v if k == "screens" else int(v)) for k, v in re.findall(r"(\w+)=(\S+)", line)}


def scenario_memory_4k(art):
    """One 3840x2160 screen (virtio-vga with a 4K preferred mode): with the themed menu up, what
    the menu process holds is at most two frames + 16 MiB (docs/performance.md, "Memory at 4K"):
    its resident set (VmRSS from its /proc/self/status, traced after a frame of the menu) plus
    the scan-out buffer it maps, which VmRSS does not count (DRM maps it as device pages). Down
    and Enter still boot the second entry."""
    vm = V.VM("memory_4k", art, vga="none",
              extra=["-device", "virtio-vga,xres=3840,yres=2160"])
    disks = standard_disks(vm, CONFIG)
    vm.drives = disks
    vm.start()
    try:
        vm.wait_trace_all("frontend graphics", "menu ready entries=5 .*unresolved=0")
        m = memory_4k_figures(vm)
        if m["screens"] != "3840x2160":
            raise Failure("the menu should be on one 3840x2160 screen, not %s" % m["screens"])
        held = m["rss"] + m["scanout"]
        print("# memory with the 4K menu up: VmRSS %d bytes (anon %d, file %d, shmem %d; peak %d)"
              " + scan-out buffer %d = %d bytes = %.2f frames; limit %d (two frames + 16 MiB)"
              % (m["rss"], m["anon"], m["file"], m["shmem"], m["hwm"], m["scanout"], held,
                 held / FRAME_4K, MEMORY_4K_LIMIT))
        if m["scanout"] < FRAME_4K:
            raise Failure("the 4K scan-out buffer should be mapped (%d bytes)" % m["scanout"])
        if held > MEMORY_4K_LIMIT:
            raise Failure("the menu holds %d bytes at 4K (VmRSS + scan-out buffer), over the "
                          "limit of %d (two frames + 16 MiB)" % (held, MEMORY_4K_LIMIT))
        key(vm, DOWN, "menu selected=1 ")
        vm.send(ENTER)
        if "entry=second" not in vm.stage2_cmdline():
            raise Failure("the second entry should boot")
        vm.wait_exit()
        check_disks(disks)
    finally:
        vm.stop()


def scenario_graphics_theme_from_config(art):
    """A theme and a scale chosen in kexec-loader.conf are the ones on the screen: the
    configuration may be read after the first frame, and `scale 2` lays the menu out again at
    200 % then; the hardware screen shows the scale of the screen the menu is on."""
    def scaled(vm):
        # 200 % from the start when the configuration was there before the DRM card, else
        # laid out again when it is read ("scale 200")
        vm.wait_boot_event(r"^scale 200$|^frontend graphics screens=\S+ scales=200$")
        key(vm, "H", "hardware firmware=BIOS ")
        vm.wait_screen("card0-Virtual-1", "scale 200% (menu shown)")
        key(vm, ESC, "screen menu")

    graphical_scenario(art, "graphics_theme", ["-vga", "std"], "theme high-contrast\nscale 2\n",
                       YELLOW, after_menu=scaled)


def scenario_lockdown_secureboot(art):
    """The stick under OVMF with Secure Boot enforced and Microsoft's keys (shim, GRUB, the
    Debian kernel), the disk of the lockdown scenario: shim passes Debian's CA on to the kernel's
    keyrings, so the Debian-signed kernel is marked as trusted and boots with kexec_file_load;
    the test-signed and the unsigned kernel and the entry with a module are marked before Enter
    and refused (signatures enforced: the kernel's own errno, the cause and the fix), and the menu
    stays usable after each refusal."""
    stick = make_stick(art, "lockdown_secureboot", keep_config=False,
                       append=STICK_APPEND_SECUREBOOT)
    vm = stick_vm(art, "lockdown_secureboot", stick, "secureboot")
    signed = signed_disk(vm)
    vm.drives = [vm.stick, signed]
    vm.start()
    try:
        wait_secure_boot(vm)
        check_marks(vm, debian_trusted=True)
        key(vm, DOWN, "menu selected=1 ")
        refused(vm, 1, "(docs/secure-boot.md)", "refused this kernel",
                "signed by kexec-loader test signer", "MOK")
        key(vm, DOWN, "menu selected=2 ")
        refused(vm, 2, "(docs/secure-boot.md)", "refused this kernel", "not signed")
        key(vm, DOWN, "menu selected=3 ")
        refused(vm, 3, "(docs/secure-boot.md)", "locked down (integrity)", "needs kexec_load")
        for i in (2, 1, 0):
            key(vm, UP, "menu selected=%d " % i)
        vm.send(ENTER)
        loaded = vm.wait_trace("boot step Loaded with ")[1]
        if not loaded.endswith("kexec_file_load"):
            raise Failure("under lockdown only kexec_file_load works: %s" % loaded)
        booted(vm, "debian", [signed], "the Debian-signed kernel should boot")
    finally:
        vm.stop()


ESP_GUID = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"


def mkuki(work, out, sections):
    """A unified kernel image made by tests/mkuki (objcopy onto Debian's systemd-stub, as ukify
    does): sections is a list of (name, bytes) or "--profile"."""
    args = []
    for i, s in enumerate(sections):
        if s == "--profile":
            args.append(s)
            continue
        f = os.path.join(work, "s%d%s" % (i, s[0]))
        with open(f, "wb") as fh:
            fh.write(s[1])
        args.append("%s=%s" % (s[0], f))
    V.run([os.path.join(V.REPO, "tests/mkuki"), out] + args)
    with open(out, "rb") as fh:
        return fh.read()


def scenario_uki_esp(art):
    """No configuration file: the ESP of a GPT disk holds a two-profile unified kernel image made
    from the Debian kernel, a microcode archive and the second stage (objcopy onto Debian's
    systemd-stub, as ukify does); a Linux-type partition's /EFI/Linux (which systemd-boot would
    not read) is not listed. Both profiles are listed with their .osrel titles, and the second
    boots with its own .cmdline: .linux as the kernel, .ucode then .initrd as the initrd, with
    kexec_file_load."""
    vm = V.VM("uki_esp", art, vga="none")
    work = vm.path("uki-parts")
    os.makedirs(work, exist_ok=True)
    opts = "console=ttyS0,115200 quiet panic=-1"
    ucode = V.cpio_newc([("kernel", 0o40755, None), ("kernel/ucode-marker", 0o100644, b"x")])
    uki = mkuki(work, vm.path("ukitest.efi"), [
        (".osrel", b'NAME="UKI Test OS"\nPRETTY_NAME="UKI Test OS 1.0"\nID=ukitest\n'
                   b'VERSION_ID=1.0\n'),
        (".cmdline", ("%s entry=uki-default\n" % opts).encode()),
        (".uname", art.kver.encode()),
        (".linux", open(art.vmlinuz, "rb").read()),
        (".initrd", open(art.stage2, "rb").read()),
        (".ucode", ucode),
        "--profile", (".profile", b"ID=default\nTITLE=Default\n"),
        "--profile", (".profile", b"ID=rescue\nTITLE=Rescue\n"),
        (".cmdline", ("%s entry=uki-rescue" % opts).encode())])
    hidden = mkuki(work, vm.path("hidden.efi"), [(".osrel", b"PRETTY_NAME=Hidden\nID=hidden\n"),
                                                 (".linux", b"MZ" + b"\0" * 4000)])
    mb = (len(uki) >> 20) + 16
    esp = V.vfat_image(vm.path("esp.img"), {"EFI/Linux/ukitest-6.1.efi": uki}, "KLESP",
                       size_mb=mb)
    other = V.vfat_image(vm.path("linux.img"), {"EFI/Linux/hidden.efi": hidden}, "KLOTHER",
                         size_mb=8)
    gpt = V.gpt_image(vm.path("gpt.img"), [("esp", esp, ESP_GUID), ("other", other)],
                      size_mb=mb + 10)
    os.unlink(esp)
    os.unlink(other)
    disks = [V.Disk(gpt).seal()]
    vm.drives = disks
    vm.start()
    try:
        vm.wait_trace("menu ready entries=2 ")
        vm.wait_screen("UKI Test OS 1.0 (Default)", "UKI Test OS 1.0 (Rescue)",
                       absent=("Hidden",))
        key(vm, DOWN, "menu selected=1 ")
        vm.send(ENTER)
        cmdline = vm.stage2_cmdline()
        if "entry=uki-rescue" not in cmdline or "entry=uki-default" in cmdline:
            raise Failure("the Rescue profile should boot with its own .cmdline: %r" % cmdline)
        if not vm.trace_count("boot kernel=.*ukitest-6.1.efi initrds=2 "):
            raise Failure("the kernel and two initrd sections of the image:\n" + vm.trace())
        vm.wait_exit()
        timings(vm)
        check_disks(disks)
    finally:
        vm.stop()


def read_app_line(vm):
    """Waits for the test EFI application's line on the serial port (after the cursor) and
    returns (path, BootCurrent) from it."""
    vm.wait_serial(FW.APP_MARKER + " path=")
    with vm.serial.cond:
        start = vm.serial.cursor - len(FW.APP_MARKER + " path=")
    vm.wait_serial("\n")
    with vm.serial.cond:
        line = vm.serial.data[start:vm.serial.cursor].decode(errors="replace")
    line = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line).replace("\r", "")
    return FW.app_line(line)


def esp_gpt(vm, app, esp_files, more_parts=()):
    """A GPT disk whose first partition is an ESP (vfat) holding esp_files, then more_parts
    ([(name, image path)], Linux type); returns (Disk, the ESP's gpt_partitions row)."""
    esp = V.vfat_image(vm.path("esp.img"), esp_files, "KLESP", size_mb=8)
    parts = [("esp", esp, FW.ESP_GUID)] + list(more_parts)
    size = sum(os.path.getsize(p[1]) for p in parts) >> 20
    gpt = V.gpt_image(vm.path("gpt.img"), parts, size_mb=size + 2)
    for p in parts:
        os.unlink(p[1])
    return V.Disk(gpt).seal(), FW.gpt_partitions(gpt)[0]


WINDOWS_LOADER = "/EFI/Microsoft/Boot/bootmgfw.efi"


def scenario_efi_app_boot_next(art):
    """The harness's own check of what the firmware scenarios stand on (no kexec-loader here):
    the test EFI application (gnu-efi, built in the test) on a GPT ESP, at Windows Boot
    Manager's path and as the removable-media fallback \\EFI\\BOOT\\BOOTX64.EFI; a Boot####
    option for the first (HD + FilePath, written into a copy of OVMF's variable store with the
    firmware's own format) and BootNext naming it. OVMF starts that option, not the fallback it
    boots otherwise: the application prints its path and BootCurrent, then powers off; the
    firmware has removed BootNext, the option stays."""
    app = FW.efi_app()
    vm = V.VM("efi_app_boot_next", art, vga="none", kernel=False, uefi=True)
    disk, esp = esp_gpt(vm, app, {WINDOWS_LOADER: app, "EFI/BOOT/BOOTX64.EFI": app})
    FW.fresh_vars(vm.vars_file)
    FW.set_efi_variable(vm.vars_file, FW.EFI_GLOBAL, "Boot0100",
                        FW.load_option("Windows Boot Manager", esp, WINDOWS_LOADER, 1))
    FW.set_efi_variable(vm.vars_file, FW.EFI_GLOBAL, "BootNext", b"\x00\x01")
    vm.drives = [disk]
    vm.start()
    try:
        path, current = read_app_line(vm)
        print("# the application started: path=%s BootCurrent=%s" % (path, current))
        if path.lower() != WINDOWS_LOADER.replace("/", "\\").lower() or current != "0100":
            raise Failure("BootNext=0100 should have started %s through Boot0100: path=%s "
                          "BootCurrent=%s" % (WINDOWS_LOADER, path, current))
        vm.wait_exit()
    finally:
        vm.stop()
    if FW.boot_next(vm.vars_file) is not None:
        raise Failure("the firmware should have removed BootNext")
    opt = FW.boot_options(vm.vars_file).get(0x100)
    if not opt or opt["path"].lower() != WINDOWS_LOADER.replace("/", "\\").lower():
        raise Failure("Boot0100 should still be there: %r" % opt)
    print("# %.1f s; BootNext removed by the firmware, Boot0100 kept" % vm.elapsed())
    check_disks([disk])


def select_title(vm, title):
    """Moves the selection of the serial (text) menu to the row showing title: as many Down or
    Up keys as rows lie between the selected (inverse) row and it, each waited for; then waits
    for title's row to be the selected one. Returns the entry's index."""

    def rows(want_same):
        """A wait step: done when the menu's box has one row starting with title and one
        selected (inverse) row (and, with want_same, they are the same row): a redraw in progress
        is waited out. The title bar above the box is inverse too."""

        def step(data, cursor, scanned):
            screen = vm.screen
            found = [y for y in range(screen.lines) if screen.display[y][2:].startswith(title)]
            inverse = [y for y in range(screen.lines) if screen.display[y][:1] == "|"
                       and screen.buffer[y][1].reverse and screen.buffer[y][2].reverse]
            if len(found) == 1 and len(inverse) == 1 and (not want_same or found == inverse):
                return cursor, (found[0], inverse[0]), None
            return None, None, None

        return step

    try:
        found, inverse = vm.serial.wait(rows(False), V.TIMEOUT, "a row %r" % title)
    except Failure as e:
        raise Failure("%s:\n%s" % (e, vm.text()))
    sel = int(vm.trace_lines(r"menu (ready entries=\d+ |)selected=\d+")[-1][1]
              .split("selected=")[1].split()[0])
    step = 1 if found > inverse else -1
    for _ in range(abs(found - inverse)):
        sel += step
        key(vm, DOWN if step > 0 else UP, "menu selected=%d " % sel)
    try:
        vm.serial.wait(rows(True), V.TIMEOUT, "%r selected" % title)
    except Failure as e:
        raise Failure("%s:\n%s" % (e, vm.text()))
    return sel


# An installed Debian's grub.cfg (on the GPT disk's Linux partition, beside its ESP): one Linux
# entry, and (FIRMWARE_GRUB_SETUP) the firmware-settings entry Debian 12's
# /etc/grub.d/30_uefi-firmware writes.
FIRMWARE_GRUB_CFG = """insmod part_gpt
insmod ext2
menuentry 'Debian GNU/Linux' --class debian --class gnu-linux --class os {
        linux /boot/vmlinuz console=ttyS0,115200 quiet panic=-1 entry=debian
        initrd /boot/stage2.img
}
"""
FIRMWARE_GRUB_SETUP = """### BEGIN /etc/grub.d/30_uefi-firmware ###
menuentry 'UEFI Firmware Settings' $menuentry_id_option 'uefi-firmware' {
        fwsetup
}
### END /etc/grub.d/30_uefi-firmware ###
"""


def firmware_vm(art, name, grub_fwsetup):
    """The stick without a configuration file (the menu lists what it finds) under OVMF without
    Secure Boot (the test application is not signed: Secure Boot would refuse to start it), and
    QEMU allowed to reboot; a GPT disk with an ESP holding the test EFI application at Windows
    Boot Manager's path (no other loader: nothing else there for the firmware to start) and an
    ext4 partition with an installed Debian's grub.cfg (with GRUB's fwsetup entry when
    grub_fwsetup). Waits for the menu: Debian's entry, Windows Boot Manager (found on the ESP)
    and UEFI Firmware Settings (GRUB's, else kexec-loader's own: OVMF offers BOOT_TO_FW_UI).
    Returns (vm, the disk, the ESP's gpt_partitions row)."""
    app = FW.efi_app()
    stick = make_stick(art, name, keep_config=False)
    vm = stick_vm(art, name, stick, "uefi", vga="none", reboot=True)
    cfg = FIRMWARE_GRUB_CFG + (FIRMWARE_GRUB_SETUP if grub_fwsetup else "")
    linux = V.ext4_image(vm.path("linux.img"), dict(
        boot_files(art), **{"boot/grub/grub.cfg": cfg}), "KLLINUX", size_mb=40)
    disk, esp = esp_gpt(vm, app, {WINDOWS_LOADER: app}, [("linux", linux)])
    vm.drives = [vm.stick, disk]
    vm.start()
    vm.wait_trace("menu ready entries=3 .*unresolved=0")
    vm.wait_screen("Debian GNU/Linux", "Windows Boot Manager", "UEFI Firmware Settings")
    return vm, disk, esp


def firmware_reboot(vm, title, written):
    """Enter on the entry title (selected first): the note, the variable written through
    efivarfs (the trace line `firmware wrote PATH: VALUE` whose PATH ends with written-GUID),
    kexec-loader's reboot, and the machine's reset (QMP RESET, from the guest). Returns
    VALUE."""
    select_title(vm, title)
    vm.send(ENTER)
    vm.wait_trace("boot start '%s'" % re.escape(title))
    vm.wait_screen("through the firmware" if title != "UEFI Firmware Settings"
                   else "Rebooting into the firmware's setup")
    _, line = vm.wait_trace(r"firmware wrote \S*/%s-%s: " % (written, FW.EFI_GLOBAL))
    vm.wait_trace("firmware reboot")
    event = vm.wait_qmp_event("RESET")
    if not event.get("data", {}).get("guest"):
        raise Failure("the reset should come from the guest: %r" % event)
    print("# %s; the guest reset the machine at %.1f s" % (line, vm.elapsed()))
    return line.split(": ", 1)[1]


def scenario_firmware_next_boot(art):
    """A Windows-like entry booted through the firmware: the ESP of a GPT disk holds the test
    EFI application (gnu-efi, built in the test) as \\EFI\\Microsoft\\Boot\\bootmgfw.efi, which
    the menu lists as "Windows Boot Manager" beside the disk's Debian and GRUB's firmware-settings
    entry. Enter on it: kexec-loader writes a Boot#### option for that file (not in BootOrder)
    and BootNext through efivarfs and reboots; the same QEMU (no -no-reboot) runs OVMF again,
    which starts the application through that option: it prints its path and BootCurrent (the
    option kexec-loader named) and powers off. In OVMF's variable store after it: the option
    (Windows Boot Manager, the ESP's GPT GUID, the file), BootNext gone (the firmware used it),
    BootOrder without it; the disk unchanged (sha256): only the firmware's variables were
    written."""
    vm, disk, esp = firmware_vm(art, "firmware_next_boot", grub_fwsetup=True)
    try:
        value = firmware_reboot(vm, "Windows Boot Manager", "BootNext")
        m = re.match(r"Boot([0-9A-F]{4})\b", value)
        if not m:
            raise Failure("BootNext should name a Boot#### option: %r" % value)
        number = int(m.group(1), 16)
        path, current = read_app_line(vm)
        print("# the firmware started the application: path=%s BootCurrent=%s" % (path, current))
        if path.lower() != WINDOWS_LOADER.replace("/", "\\").lower():
            raise Failure("the firmware should have started %s, not %s" % (WINDOWS_LOADER, path))
        if current.upper() != "%04X" % number:
            raise Failure("through Boot%04X (BootNext), not Boot%s" % (number, current))
        vm.wait_exit()
    finally:
        vm.stop()
    opt = FW.boot_options(vm.vars_file).get(number)
    if not opt or opt["description"] != "Windows Boot Manager" \
            or opt["partuuid"] != esp["uuid"].lower() or opt["partition"] != 1 \
            or opt["path"].lower() != WINDOWS_LOADER.replace("/", "\\").lower():
        raise Failure("Boot%04X should start the ESP's %s (partition 1, %s): %r"
                      % (number, WINDOWS_LOADER, esp["uuid"], opt))
    if FW.boot_next(vm.vars_file) is not None:
        raise Failure("the firmware should have used up BootNext")
    if number in FW.boot_order(vm.vars_file):
        raise Failure("Boot%04X should not be in BootOrder" % number)
    print("# Boot%04X in the firmware's store: %s; BootNext used up, BootOrder as it was"
          % (number, opt))
    timings(vm)
    check_disks([disk])


def scenario_firmware_setup(art):
    """The firmware's setup: no configuration has GRUB's fwsetup entry, so kexec-loader lists its
    own "UEFI Firmware Settings" (OVMF's OsIndicationsSupported offers BOOT_TO_FW_UI); Enter sets
    bit 0 of OsIndications through efivarfs and reboots, and OVMF, started again in the same QEMU,
    opens its setup (UiApp, the front page with Boot Maintenance Manager) instead of booting the
    stick again; it clears the bit once acted upon (the variable store after). Disks unchanged."""
    vm, disk, _ = firmware_vm(art, "firmware_setup", grub_fwsetup=False)
    try:
        value = firmware_reboot(vm, "UEFI Firmware Settings", "OsIndications")
        m = re.match(r"0x([0-9a-f]{16}) ", value)
        if not m or not int(m.group(1), 16) & 1:
            raise Failure("OsIndications should have BOOT_TO_FW_UI (bit 0): %r" % value)
        vm.wait_serial('BdsDxe: starting Boot0000 "UiApp"')
        vm.wait_serial("Boot Maintenance Manager")
        print("# OVMF opened its setup (UiApp's front page) at %.1f s" % vm.elapsed())
    finally:
        vm.stop()
    ind = FW.efi_variables(vm.vars_file).get((FW.EFI_GLOBAL, "OsIndications"))
    if not ind or len(ind[1]) != 8 or int.from_bytes(ind[1], "little") & 1:
        raise Failure("the firmware should have cleared BOOT_TO_FW_UI: %r" % (ind,))
    timings(vm)
    check_disks([disk])


# ---- the LUKS key hand-over (issue 12) ----

HANDOVER_PASSPHRASE = "kexec-loader test"
HANDOVER_LUKS_UUID = "5b4c3d2e-1f0a-4b9c-8d7e-6f5a4b3c2d1e"
# What the second stage needs to test a key file on the volume: the disk's driver and the kernel
# crypto interfaces libcryptsetup decrypts a key slot through.
HANDOVER_MODULES = ("virtio_pci", "virtio_blk", "xts", "algif_skcipher", "algif_hash", "af_alg")


def run_bytes(cmd, data=None):
    """A command's standard output as bytes (data on its standard input)."""
    import subprocess
    p = subprocess.run(cmd, input=data, capture_output=True)
    if p.returncode != 0:
        raise Failure("%s failed (%d): %s" % (" ".join(cmd), p.returncode, p.stderr.decode()))
    return p.stdout


def handover_initrd(art, gen):
    """The second stage as a target's initrd made by gen ("dracut", "initramfs-tools",
    "mkinitcpio", "mkinitcpio-sd-encrypt"): /init
    (stage2-init), the host's cryptsetup with its libraries, HANDOVER_MODULES in load order
    (/etc/modules.list) and the generator's marker files. dracut: one gzip'd archive, no
    crypttab (the hand-over adds the volume's entry). initramfs-tools: as Debian lays it out, an
    uncompressed early microcode archive, then the main archive compressed with zstd holding
    /cryptroot/crypttab with the volume's entry and no key file (the hand-over names one).
    mkinitcpio: /buildconfig and hooks/encrypt in one zstd archive (the encrypt hook has no
    crypttab; its key file is /crypto_keyfile.bin). mkinitcpio-sd-encrypt: /buildconfig,
    systemd's cryptsetup generator and /etc/crypttab (the volume's entry, no key file) in one zstd
    archive. Returns bytes."""
    files = {}

    def add(name, mode, data):
        parts = name.split("/")
        for i in range(1, len(parts)):
            files.setdefault("/".join(parts[:i]), (0o40755, None))
        files[name] = (mode, data)

    for dname in ("dev", "proc", "sys", "run", "tmp", "etc"):
        add(dname, 0o40755, None)
    listed = []
    for m in HANDOVER_MODULES:
        for line in V.run(["modprobe", "-d", art.kroot, "-S", art.kver, "--show-depends",
                           m]).splitlines():
            w = line.split()
            if w and w[0] == "insmod" and "/lib/modules/" + os.path.basename(w[1]) not in listed:
                raw = open(w[1], "rb").read()
                if w[1].endswith(".xz"):
                    raw = run_bytes(["xz", "-dc", w[1]])
                elif w[1].endswith(".zst"):
                    raw = run_bytes(["zstd", "-qdc", w[1]])
                name = "lib/modules/" + os.path.basename(w[1]).split(".ko")[0] + ".ko"
                add(name, 0o100644, raw)
                listed.append("/" + name)
    add("etc/modules.list", 0o100644, ("\n".join(listed) + "\n").encode())
    tool = shutil.which("cryptsetup", path="/usr/sbin:/sbin:/usr/bin:/bin")
    if tool is None:
        raise V.Skip("cryptsetup is not installed")
    add("bin/cryptsetup", 0o100755, open(tool, "rb").read())
    for line in V.run(["ldd", tool]).splitlines():
        lib = [w for w in line.split() if w.startswith("/")]
        if lib:
            add(lib[0].lstrip("/"), 0o100755, open(os.path.realpath(lib[0]), "rb").read())
    add("init", 0o100755, open(V.STAGE2, "rb").read())
    if gen == "dracut":
        add("usr/lib/dracut/modules.txt", 0o100644, b"crypt\ndracut-systemd\n")
        return gzip.compress(V.cpio_newc(sorted((n, m, d) for n, (m, d) in files.items())), 6,
                             mtime=0)
    if gen == "mkinitcpio-sd-encrypt":
        # sd-encrypt: systemd's cryptsetup generator, /etc/crypttab.initramfs copied to
        # /etc/crypttab (here the volume's entry with no key file); one zstd archive
        add("buildconfig", 0o100644, b"HOOKS=(base systemd autodetect block sd-encrypt)\n")
        add("usr/lib/systemd/system-generators/systemd-cryptsetup-generator", 0o100755, b"")
        add("etc/crypttab", 0o100644, ("cryptroot UUID=%s none luks\n"
                                       % HANDOVER_LUKS_UUID).encode())
        return run_bytes(["zstd", "-q", "-c"],
                         V.cpio_newc(sorted((n, m, d) for n, (m, d) in files.items())))
    if gen == "mkinitcpio":
        # mkinitcpio's image: /buildconfig, the encrypt hook's runscript; one zstd archive
        add("buildconfig", 0o100644, b"HOOKS=(base udev autodetect block encrypt filesystems)\n")
        add("hooks/encrypt", 0o100644, b"run_hook() { :; }\n")
        return run_bytes(["zstd", "-q", "-c"],
                         V.cpio_newc(sorted((n, m, d) for n, (m, d) in files.items())))
    add("conf/initramfs.conf", 0o100644, b"MODULES=most\nCOMPRESS=zstd\n")
    add("scripts/local-top/cryptroot", 0o100755, b"#!/bin/sh\n")
    add("cryptroot/crypttab", 0o100644,
        ("vda1_crypt UUID=%s none luks,discard\n" % HANDOVER_LUKS_UUID).encode())
    early = V.cpio_newc([("kernel", 0o40755, None), ("kernel/x86", 0o40755, None),
                         ("kernel/x86/microcode", 0o40755, None),
                         ("kernel/x86/microcode/GenuineIntel.bin", 0o100644, b"microcode\n")])
    main_cpio = V.cpio_newc(sorted((n, m, d) for n, (m, d) in files.items()))
    return early + run_bytes(["zstd", "-q", "-c"], main_cpio)


def handover_scenario(art, name, downs, gen, optin):
    """The volume is unlocked on the menu's own prompt (the passphrase typed on the serial
    console), with the hand-over's checkbox ticked (Tab) or not; the entry `downs` rows down
    boots; its second stage, playing a gen target, reports the key file and crypttab it finds in
    its initramfs and whether cryptsetup opens the volume with that key file."""
    vm = V.VM(name, art, vga="none")
    disks = handover_disks(vm, art)
    vm.drives = disks
    vm.start()
    try:
        vm.wait_trace("menu locked /dev/vda1")
        vm.wait_screen("Unlock")
        vm.send(ENTER)
        vm.wait_trace("unlock open dev=/dev/vda1 ")
        vm.send(HANDOVER_PASSPHRASE)
        if optin:
            key(vm, "\t", "unlock handover=1")
        vm.send(ENTER)
        vm.wait_trace("unlock busy dev=/dev/vda1 handover=%d" % (1 if optin else 0))
        vm.wait_trace("unlock ok dev=/dev/vda1 ")
        handover_boot(vm, downs, gen, optin)
    finally:
        vm.stop()
    check_disks(disks)


def handover_disks(vm, art):
    """The scenario's copy of the luks2-handover recipe's disk (made once in the setup VM), with
    the three target initrds as its payload."""
    import setupvm as S
    payload = {"/payload/vmlinuz": art.vmlinuz}
    for g, f in (("dracut", "initrd-dracut.img"), ("initramfs-tools", "initrd-itools.img"),
                 ("mkinitcpio", "initrd-mkinitcpio.img"),
                 ("mkinitcpio-sd-encrypt", "initrd-sdencrypt.img")):
        p = os.path.join(V.WORK, "handover-" + f)
        data = handover_initrd(art, g)
        if not os.path.exists(p) or open(p, "rb").read() != data:
            open(p, "wb").write(data)
        payload["/payload/" + f] = p
    disks = []
    for serial, path in S.make("luks2-handover", payload):
        copy = vm.path(os.path.basename(path))
        V.run(["cp", "--sparse=always", path, copy])
        disks.append(V.Disk(copy).seal())
    return disks


def handover_boot(vm, downs, gen, optin):
    """After the unlock: the entry `downs` rows down boots, and its second stage (a gen target)
    must find the key file and open the volume with it (optin), or find none."""
    vm.wait_trace("menu ready entries=4 ")
    vm.wait_screen("Fedora Linux (dracut)", "Debian GNU/Linux (initramfs-tools)",
                   "Arch Linux (mkinitcpio)", "Arch Linux (sd-encrypt)")
    for i in range(1, downs + 1):
        key(vm, DOWN, "menu selected=%d " % i)
    vm.send(ENTER)
    # with the opt-in the boot screen says what is appended; without it no key is kept and
    # the hand-over is not even looked at
    step = vm.wait_trace("boot step Key hand-over: ") if optin else (0, "(none)")
    cmdline = vm.stage2_cmdline()
    vm.wait_serial("STAGE2 HANDOVER ")
    with vm.serial.cond:
        start = vm.serial.cursor
    vm.wait_serial("\n")
    with vm.serial.cond:
        found = vm.serial.data[start:vm.serial.cursor].decode(errors="replace").strip()
    print("# boot screen: %s" % (step[1] if isinstance(step, tuple) else step))
    print("# the %s target: STAGE2 HANDOVER %s" % (gen, found))
    entry = {"dracut": "dracut", "initramfs-tools": "itools", "mkinitcpio": "mkinitcpio",
             "mkinitcpio-sd-encrypt": "sdencrypt"}[gen]
    if "entry=%s" % entry not in cmdline.split():
        raise Failure("the %s entry should boot: %r" % (entry, cmdline))
    if optin:
        want = {"dracut": "dracut crypttab=/etc/crypttab entry=luks-%s key=/secret.key %d "
                          "bytes device=/dev/vda1 opens=yes"
                          % (HANDOVER_LUKS_UUID, len(HANDOVER_PASSPHRASE)),
                "initramfs-tools": "initramfs-tools crypttab=/cryptroot/crypttab "
                                   "entry=vda1_crypt key=/cryptroot/keyfiles/vda1_crypt.key "
                                   "%d bytes device=/dev/vda1 opens=yes"
                                   % len(HANDOVER_PASSPHRASE),
                "mkinitcpio": "mkinitcpio crypttab=none entry=cryptroot "
                              "key=/crypto_keyfile.bin %d bytes device=/dev/vda1 opens=yes"
                              % len(HANDOVER_PASSPHRASE),
                "mkinitcpio-sd-encrypt": "mkinitcpio-sd-encrypt crypttab=/etc/crypttab "
                                         "entry=cryptroot key=/secret.key %d bytes "
                                         "device=/dev/vda1 opens=yes"
                                         % len(HANDOVER_PASSPHRASE)}[gen]
        if found != want:
            raise Failure("with the hand-over the %s target should find its key file and "
                          "crypttab and open the volume: %r, not %r" % (gen, want, found))
    elif not found.startswith(gen + " none:") or vm.trace_count("hand-over"):
        raise Failure("without the hand-over the %s target should find no key file, and "
                      "nothing be said about one: %r\n%s" % (gen, found, vm.trace()))
    vm.wait_exit()


def scenario_luks_stick_keyfile(art):
    """The stick's /kexec-loader/crypttab names the volume by UUID= with a key file beside it and
    the option x-kexec-loader.handover: the volume is unlocked at start without a prompt, its
    entries are listed, and the dracut entry's initramfs gets the key file's bytes."""
    vm = V.VM("luks_stick_keyfile", art, vga="none")
    disks = handover_disks(vm, art)
    part = V.vfat_image(vm.path("stick-p1.img"), {
        ".kexec-loader-stick": "",
        "kexec-loader/crypttab": "# key files for the encrypted disks\n"
                                 "backup UUID=%s keys/backup.key luks,x-kexec-loader.handover\n"
                                 % HANDOVER_LUKS_UUID,
        "kexec-loader/keys/backup.key": HANDOVER_PASSPHRASE}, "KLSTICK", size_mb=16)
    stick = V.gpt_image(vm.path("stick.img"), [("stick", part)], size_mb=24)
    os.unlink(part)
    disks.append(V.Disk(stick).seal())
    vm.drives = disks
    vm.start()
    try:
        # no prompt: the key file unlocks it while the configurations are read
        handover_boot(vm, 0, "dracut", True)
        if vm.trace_count("unlock open"):
            raise Failure("the key file should unlock the volume without the prompt:\n"
                          + vm.trace())
    finally:
        vm.stop()
    check_disks(disks)


def scenario_luks_handover_dracut(art):
    handover_scenario(art, "luks_handover_dracut", 0, "dracut", True)


def scenario_luks_handover_initramfs_tools(art):
    handover_scenario(art, "luks_handover_initramfs_tools", 1, "initramfs-tools", True)


def scenario_luks_handover_mkinitcpio(art):
    handover_scenario(art, "luks_handover_mkinitcpio", 2, "mkinitcpio", True)


def scenario_luks_handover_sd_encrypt(art):
    handover_scenario(art, "luks_handover_sd_encrypt", 3, "mkinitcpio-sd-encrypt", True)


def scenario_luks_handover_off(art):
    handover_scenario(art, "luks_handover_off", 1, "initramfs-tools", False)


# ---- beeps (issue 13): QEMU's PC speaker recorded to a wav file ----

def pcspk_vm(name, art, config, append=""):
    """A serial-console VM with the standard disks whose PC speaker (pcspk, driven by the guest's
    pcspkr module through the PIT) QEMU records into beep.wav."""
    vm = V.VM(name, art, vga="none", append=append)
    vm.disks = standard_disks(vm, config)
    vm.drives = vm.disks
    vm.wav = vm.path("beep.wav")
    vm.extra = ["-audiodev", "wav,id=snd0,path=" + vm.wav, "-machine", "pcspk-audiodev=snd0"]
    return vm


def wav_edges(path):
    """The edges in the samples of the wav file path (a sample more than 64 away from the one
    before it) and the number of samples: QEMU's PC speaker is a square wave, 2 edges per period
    and channel; silence, at whatever level, has none."""
    import struct
    data = open(path, "rb").read()
    if len(data) < 44 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise Failure("%s is not a wav file (%d bytes)" % (path, len(data)))
    pcm = data[44:]
    samples = struct.unpack("<%dh" % (len(pcm) // 2), pcm[:len(pcm) // 2 * 2])
    return sum(1 for i in range(1, len(samples)) if abs(samples[i] - samples[i - 1]) > 64), \
        len(samples)


def wav_size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def boot_second(vm):
    """Down, Enter: the second entry boots (the beeps stop: the boot screen)."""
    key(vm, DOWN, "menu selected=1 ")
    vm.send(ENTER)
    if "entry=second" not in vm.stage2_cmdline():
        raise Failure("the second entry should have booted")
    vm.wait_exit()


def scenario_beep_pcspk(art):
    """`beep on` in kexec-loader.conf: the pcspkr module gives the "PC Speaker" evdev device, the
    menu beeps when it is ready (the chirp and one beep for the first entry) and two beeps when
    the second entry is selected. QEMU records the PC speaker only while it sounds: the
    recording is empty when the menu is ready and has the beeps' square waves at the end."""
    vm = pcspk_vm("beep_pcspk", art, "beep on\n" + CONFIG)
    vm.start()
    try:
        vm.wait_trace("menu ready entries=5 ")
        before = wav_size(vm.wav)
        vm.wait_trace("beep menu position=1 device=evdev /dev/input/event[0-9]+ 'PC Speaker' tone")
        vm.wait_trace("beep end")
        key(vm, DOWN, "beep select position=2 ")
        vm.wait_trace("beep end")
        key(vm, UP, "beep select position=1 ")
        vm.send(ENTER)
        if "entry=first" not in vm.stage2_cmdline():
            raise Failure("the first entry should have booted")
        vm.wait_exit()
        edges, n = wav_edges(vm.wav)
        print("# wav: %d bytes when the menu was ready, %d samples with %d edges at the end"
              % (before, n, edges))
        # QEMU's wav writer buffers through stdio (BUFSIZ): a sound before the menu would have
        # left more than that in the file (100 ms is 17 KiB).
        if before > 44 + 8192:
            raise Failure("the PC speaker sounded before the menu was ready (%d bytes)" % before)
        # a 100 ms beep at 500 Hz alone is 200 edges (two channels); silence has none
        if edges < 100:
            raise Failure("the PC speaker stayed silent after the menu was ready (%d edges in "
                          "%d samples)" % (edges, n))
        timings(vm)
        check_disks(vm.disks)
    finally:
        vm.stop()


def scenario_beep_cmdline(art):
    """Without `beep` in the configuration the menu is silent (QEMU's recording of the PC
    speaker has no sound at all); kexec_beep on the kernel command line turns the beeps on."""
    vm = pcspk_vm("beep_cmdline_off", art, CONFIG)
    vm.start()
    try:
        vm.wait_trace("menu ready entries=5 .*unresolved=0")
        vm.wait_boot_event("input evdev keyboards=[1-9]")
        boot_second(vm)
        if vm.trace_count("beep "):
            raise Failure("beeps without beep on or kexec_beep:\n" + vm.trace())
        edges, n = wav_edges(vm.wav)
        print("# beep off: wav of %d samples, %d edges" % (n, edges))
        if edges:
            raise Failure("the PC speaker sounded with the beeps off (%d edges)" % edges)
    finally:
        vm.stop()
    vm = pcspk_vm("beep_cmdline_on", art, CONFIG, append="kexec_beep")
    vm.start()
    try:
        vm.wait_trace("menu ready entries=5 ")
        vm.wait_trace("beep menu position=1 device=evdev .*'PC Speaker' tone")
        vm.wait_trace("beep end")
        boot_second(vm)
        if not vm.trace_count("beep select position=2 "):
            raise Failure("no beeps for the second entry:\n" + vm.trace())
        edges, n = wav_edges(vm.wav)
        print("# kexec_beep: wav of %d samples, %d edges" % (n, edges))
        if edges < 100:
            raise Failure("kexec_beep: the PC speaker stayed silent (%d edges)" % edges)
        check_disks(vm.disks)
    finally:
        vm.stop()


# ---- issue 13: remembered choices (remember last) ----

REMEMBER_CONFIG = "remember last\n" + STICK_CONFIG.replace("timeout 0\n", "timeout 4\n")


def fat_files(image):
    """{path: sha256} of every file of the FAT filesystem of a stick image (its partition at
    1 MiB), read with mtools (no mount, no root)."""
    out = os.path.join(os.path.dirname(image), "fat-tree")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    V.run(["mcopy", "-s", "-n", "-i", image + "@@1M", "::/", out],
          env=dict(os.environ, MTOOLS_SKIP_CHECK="1"))
    files = {}
    for root, _, names in os.walk(out):
        for n in names:
            p = os.path.join(root, n)
            files[os.path.relpath(p, out)] = V.sha256(p)
    return files, out


def stick_drive(image, last=False):
    """The stick image, writable (no snapshot), booted by SeaBIOS wherever it sits
    (bootindex=0): the first virtio disk (vda), or with last the last one (PCI slot 0x1f)."""
    return ["-drive", "file=%s,format=raw,if=none,id=stick" % image,
            "-device", "virtio-blk-pci,drive=stick,bootindex=0" + (",addr=0x1f" if last else "")]


def scenario_remember_stick(art):
    """remember last on a stick made by mkstick (vfat), booted twice under SeaBIOS: the first
    boot picks the second entry and boots it, /kexec-loader/last is written on the stick right
    before the jump; the second boot of the same image (the stick now after the other disks:
    another device name) has that entry as the default (trace) and boots it when the countdown
    ends. The stick's file is the only change on it; every other disk is unchanged (sha256)."""
    stick = make_stick(art, "remember_stick", REMEMBER_CONFIG)
    image = os.path.join(vm_dir("remember_stick"), "stick-image.img")
    os.replace(stick, image)
    before, _ = fat_files(image)
    if "kexec-loader/last" in before:
        raise Failure("a fresh stick has no remembered entry")
    vm = V.VM("remember_stick_1", art, vga="none", kernel=False)
    disks = standard_disks(vm, None)
    vm.drives = disks + [stick_drive(image)]
    vm.start()
    try:
        vm.wait_trace("remember default=0 from=config stick=/dev/vda1")
        vm.wait_trace("menu ready entries=4 selected=0 timeout=4 .*unresolved=0")
        key(vm, DOWN, "menu selected=1 ")
        vm.send(ENTER)
        vm.wait_trace("remember wrote /kexec-loader/last on /dev/vda1: 'Second entry'")
        vm.wait_trace("boot exec ")
        if "entry=second" not in vm.stage2_cmdline():
            raise Failure("the second entry should boot")
        vm.wait_exit()
        timings(vm)
    finally:
        vm.stop()
    check_disks(disks)
    after, tree = fat_files(image)
    last = open(os.path.join(tree, "kexec-loader", "last")).read()
    if "\ntitle=Second entry\n" not in last or "\nconfig=/kexec-loader.conf\n" not in last \
            or not re.search(r"\nfs=UUID=[0-9A-F]{4}-[0-9A-F]{4}\n", last):
        raise Failure("the stick's /kexec-loader/last should name the second entry:\n" + last)
    print("# the stick's /kexec-loader/last:\n# " + last.strip().replace("\n", "\n# "))
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    if changed != ["kexec-loader/last"]:
        raise Failure("only /kexec-loader/last may change on the stick: %r" % changed)

    vm = V.VM("remember_stick_2", art, vga="none", kernel=False)
    for d in disks:
        shutil.copy(d.path, vm.path(os.path.basename(d.path)))
    disks = [V.Disk(vm.path(os.path.basename(d.path))).seal() for d in disks]
    vm.drives = disks + [stick_drive(image, last=True)]
    vm.start()
    try:
        vm.wait_trace("remember default=1 from=last stick=/dev/vdd1")
        vm.wait_trace("menu ready entries=4 selected=1 timeout=4 .*unresolved=0")
        vm.wait_trace("countdown 0")
        vm.wait_trace("remember unchanged /kexec-loader/last on /dev/vdd1: 'Second entry'")
        if "entry=second" not in vm.stage2_cmdline():
            raise Failure("the remembered entry should boot when the countdown ends")
        vm.wait_exit()
        timings(vm)
    finally:
        vm.stop()
    check_disks(disks)
    again, _ = fat_files(image)
    if again != after:
        raise Failure("the second boot should write nothing: the file says so already")
    print("# the stick: only /kexec-loader/last changed; written once")


def scenario_remember_ext4(art):
    """remember last on an ext4 stick made by hand (mkstick's marker and kexec-loader.conf on an
    ext4 disk): written there (a read-write mount of that filesystem alone; e2fsck finds it
    clean), the other disks unchanged. Then the same disk without the marker is a scanned disk
    like any other: remember last in its kexec-loader.conf reads and writes nothing (its
    /kexec-loader/last is ignored; its sha256 is unchanged)."""
    vm = V.VM("remember_ext4_1", art, vga="none")
    disks = standard_disks(vm, None)
    files = dict(boot_files(art), **{".kexec-loader-stick": "made by hand\n",
                                     "kexec-loader.conf": REMEMBER_CONFIG})
    stick = V.ext4_image(vm.path("stick-ext4.img"), files, "KLSTICK4",
                         uuid="0d7e4c2a-9d0b-4f55-8a61-6a3c1d2e4f50")
    vm.drives = disks + [V.Disk(stick)]
    vm.start()
    try:
        vm.wait_trace("remember default=0 from=config stick=/dev/vdd")
        vm.wait_trace("menu ready entries=4 selected=0 ")
        key(vm, DOWN, "menu selected=1 ")
        vm.send(ENTER)
        vm.wait_trace("remember wrote /kexec-loader/last on /dev/vdd: 'Second entry'")
        if "entry=second" not in vm.stage2_cmdline():
            raise Failure("the second entry should boot")
        vm.wait_exit()
    finally:
        vm.stop()
    check_disks(disks)
    last = open(debugfs_dump(stick, "/kexec-loader/last", vm.path("last"))).read()
    if "\nfs=UUID=0d7e4c2a-9d0b-4f55-8a61-6a3c1d2e4f50\n" not in last \
            or "\ntitle=Second entry\n" not in last:
        raise Failure("the ext4 stick's /kexec-loader/last:\n" + last)
    V.run(["e2fsck", "-fn", stick])
    print("# written on the ext4 stick, e2fsck -fn clean")

    # the marker gone: a disk like the others, its last file (naming the second entry) unread
    V.run(["debugfs", "-w", "-R", "rm /.kexec-loader-stick", stick])
    vm2 = V.VM("remember_ext4_2", art, vga="none")
    for d in disks + [V.Disk(stick)]:
        shutil.copy(d.path, vm2.path(os.path.basename(d.path)))
    all_disks = [V.Disk(vm2.path(os.path.basename(d.path))).seal() for d in disks + [V.Disk(stick)]]
    vm2.drives = all_disks
    vm2.start()
    try:
        vm2.wait_trace("remember default=0 from=config stick=-")
        vm2.wait_trace("menu ready entries=4 selected=0 ")
        key(vm2, DOWN, "menu selected=1 ")
        key(vm2, DOWN, "menu selected=2 ")
        vm2.send(ENTER)
        vm2.wait_trace("remember skipped the configuration is not on the stick")
        if "entry=vfat" not in vm2.stage2_cmdline():
            raise Failure("the third entry should boot")
        vm2.wait_exit()
    finally:
        vm2.stop()
    check_disks(all_disks)
    print("# without the marker: nothing read, nothing written")


from unclean import scenario_unclean_fs  # noqa: E402,F401 - issue 14 (tests/qemu/unclean.py)

SCENARIOS = {k[len("scenario_"):]: v for k, v in globals().items() if k.startswith("scenario_")}


def main():
    V.require_tools()
    names = sys.argv[1:] or sorted(SCENARIOS)
    t = time.time()
    art = V.Artefacts().prepare()
    print("# artefacts ready in %.1f s (kernel %s)" % (time.time() - t, art.kver))
    failed = skipped = 0
    for name in names:
        start = time.time()
        try:
            SCENARIOS[name](art)
            print("ok - %s (%.1f s)" % (name, time.time() - start))
        except V.Skip as e:
            skipped += 1
            print("ok - %s # SKIP %s" % (name, e))
        except Exception as e:  # noqa: BLE001 - any error fails the scenario, with its text
            failed += 1
            print("not ok - %s (%.1f s): %s" % (name, time.time() - start, e))
            run_dir = os.path.join(V.WORK, "runs")
            for d in sorted(os.listdir(run_dir)) if os.path.isdir(run_dir) else []:
                if d.startswith(name):
                    vm = V.VM.__new__(V.VM)
                    vm.dir = os.path.join(run_dir, d)
                    vm.screen = None
                    print("--- serial log tail (%s):\n%s" % (d, V.VM.tail(vm, "serial.log")))
                    print("--- trace:\n" + V.VM.tail(vm, "trace.log", 60))
                    print("--- debug log tail:\n" + V.VM.tail(vm, "debug.log", 80))
                    print("--- kept in " + vm.dir)
        sys.stdout.flush()
    if failed:
        return 1
    return V.SKIP if skipped == len(names) else 0


if __name__ == "__main__":
    sys.exit(main())
