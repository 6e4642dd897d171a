#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The demo: boots the kexec-loader USB stick image in QEMU with a demo disk beside it.

With a display (DISPLAY or WAYLAND_DISPLAY set) QEMU opens a window: the menu is on its screen
and its keyboard drives it. Without one it runs headless: the menu is on this terminal through
the serial console (type on it; Ctrl-A X quits QEMU) and screenshots of the VGA screen are saved
every few seconds. Pick an entry and watch it kexec into the second stage, which prints its
command line and powers off.

--secure-boot: under OVMF with Secure Boot enforced and Microsoft's keys enrolled, as PCs are
shipped (shim, GRUB and the Debian-signed kernel start; the kernel is locked down), instead of
SeaBIOS."""

import json
import shutil
import os
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vm as V  # noqa: E402

CONFIG = """# kexec-loader.conf of the demo disk
timeout 30

title Demo system (second stage prints its command line)
root LABEL=DEMO
kernel /boot/vmlinuz
initrd /boot/stage2.img
append console=ttyS0,115200 console=tty0 quiet demo=first
default

title Demo system, other command line
root LABEL=DEMO
kernel /boot/vmlinuz
initrd /boot/stage2.img
cmdline console=ttyS0,115200 console=tty0 quiet demo=second

title Broken entry (kernel missing)
root LABEL=DEMO
kernel /boot/missing

title On a disk that is not plugged in
root UUID=0000-DEAD
kernel /boot/vmlinuz
"""


def main():
    secure_boot = "--secure-boot" in sys.argv[1:]
    unknown = [a for a in sys.argv[1:] if a != "--secure-boot"]
    if unknown:
        print("usage: demo.py [--secure-boot]", file=sys.stderr)
        return 2
    V.require_tools()
    art = V.Artefacts().prepare()
    d = os.path.join(V.WORK, "demo")
    os.makedirs(d, exist_ok=True)
    disk = V.ext4_image(os.path.join(d, "demo-disk.img"), {
        "kexec-loader.conf": CONFIG,
        "boot/vmlinuz": open(art.vmlinuz, "rb").read(),
        "boot/stage2.img": open(art.stage2, "rb").read()}, "DEMO")
    stick = os.path.join(d, "stick.img")
    window = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    append = "console=ttyS0,115200 console=tty0" if window else "console=ttyS0,115200"
    V.run([os.path.join(V.REPO, "initramfs/mkstick"), "-o", stick, "--kernel", art.vmlinuz,
           "--initramfs", art.initramfs, "--append", append + " quiet"])
    cmd = ["qemu-system-x86_64", "-accel", V.accel(), "-m", "1G", "-no-reboot", "-nic", "none",
           "-drive", "file=%s,format=raw,if=virtio,snapshot=on" % stick,
           "-drive", "file=%s,format=raw,if=virtio,snapshot=on" % disk, "-vga", "std"]
    if secure_boot:
        variables = os.path.join(d, "vars.fd")
        shutil.copy(V.OVMF_VARS_MS, variables)
        cmd += ["-machine", "q35,smm=on", "-global", "driver=cfi.pflash01,property=secure,value=on",
                "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + V.OVMF_CODE_SECBOOT,
                "-drive", "if=pflash,format=raw,unit=1,file=" + variables]
    listener = None
    if window:
        cmd += ["-serial", "stdio"]
    else:
        # Screenshots through QMP: QEMU connects to our socket before the guest starts, so
        # there is no waiting for a socket of its to appear.
        qmp = os.path.join(d, "qmp.sock")
        if os.path.exists(qmp):
            os.unlink(qmp)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(qmp)
        listener.listen(1)
        cmd += ["-display", "none", "-serial", "mon:stdio",
                "-chardev", "socket,id=qmp,path=%s" % qmp, "-mon", "chardev=qmp,mode=control"]
    print("kexec-loader demo: stick %s, demo disk %s" % (stick, disk))
    print("Booting under %s with TCG: the menu appears after about %d s.%s" % (
        "OVMF with Secure Boot (shim, GRUB, the signed kernel)" if secure_boot else "SeaBIOS",
        60 if secure_boot else 10, "" if window else " Keys typed here reach it; Ctrl-A X quits."))
    sys.stdout.flush()
    p = subprocess.Popen(cmd)
    if listener:
        threading.Thread(target=screenshots, args=(p, listener, d), daemon=True).start()
    return p.wait()


def screenshots(p, listener, d):
    """Saves the VGA screen every 5 s (headless runs)."""
    try:
        conn, _ = listener.accept()  # at once, unless QEMU failed to start (it says why)
        listener.close()
        f = conn.makefile("rw")
        f.readline()
        f.write('{"execute":"qmp_capabilities"}\n')
        f.flush()
        f.readline()
        n = 0
        while p.poll() is None:
            n += 1
            f.write(json.dumps({"execute": "screendump", "arguments": {
                "filename": os.path.join(d, "screen-%03d.png" % n), "format": "png"}}) + "\n")
            f.flush()
            f.readline()
            time.sleep(5)  # a picture every 5 s, not a wait for anything
    except OSError:
        pass


if __name__ == "__main__":
    sys.exit(main())
