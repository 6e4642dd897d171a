#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Runs tests/hw/output-smoke as rdinit in QEMU and takes a QMP screendump at each step.

usage: output-smoke-qemu.py KERNEL INITRD OUTDIR [std|virtio|none] [extra kernel args...]

The initramfs must hold the smoke tool as /usr/bin/output-smoke, e.g.
  initramfs/mkinitramfs --fast -o initrd.img --extra build/tests/output-smoke:/usr/bin/output-smoke
Writes OUTDIR/{frame1,frame2,released,resumed}.png and OUTDIR/serial.log; prints the markers.
"""
import json
import os
import socket
import subprocess
import sys
import time

kernel, initrd, outdir = sys.argv[1:4]
vga = sys.argv[4] if len(sys.argv) > 4 else "std"
extra = " ".join(sys.argv[5:])
os.makedirs(outdir, exist_ok=True)
outdir = os.path.abspath(outdir)
serial = os.path.join(outdir, "serial.log")
sock = os.path.join(outdir, "qmp.sock")
for p in (serial, sock):
    if os.path.exists(p):
        os.unlink(p)

display = {"std": ["-vga", "std"], "virtio": ["-vga", "none", "-device", "virtio-vga"],
           "none": ["-vga", "none"]}[vga]
cmd = ["qemu-system-x86_64", "-accel", "tcg", "-m", "1G", "-smp", "1", "-display", "none",
       "-no-reboot", "-monitor", "none", "-nic", "none", "-serial", "file:" + serial,
       "-qmp", "unix:%s,server=on,wait=off" % sock] + display + [
       "-kernel", kernel, "-initrd", initrd,
       "-append", "console=ttyS0 rdinit=/usr/bin/output-smoke panic=-1 " + extra]
qemu = subprocess.Popen(cmd)


def qmp_connect():
    for _ in range(100):
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(sock)
            return s
        except OSError:
            time.sleep(0.1)
    raise SystemExit("no QMP socket")


s = qmp_connect()
f = s.makefile("rw")
f.readline()


def qmp(cmd, **args):
    f.write(json.dumps({"execute": cmd, "arguments": args}) + "\n")
    f.flush()
    while True:
        r = json.loads(f.readline())
        if "event" in r:
            continue
        return r


qmp("qmp_capabilities")


def wait_marker(m, timeout=120):
    end = time.time() + timeout
    while time.time() < end:
        if qemu.poll() is not None:
            return False
        with open(serial, "rb") as fh:
            for line in fh.read().split(b"\n"):
                if line.strip().startswith(m.encode()):
                    return True
        time.sleep(0.2)
    return False


ok = True
for marker, name in (("SMOKE-FRAME1", "frame1"), ("SMOKE-FRAME2", "frame2"),
                     ("SMOKE-RELEASED", "released"), ("SMOKE-RESUMED", "resumed")):
    if not wait_marker(marker):
        print("missing marker", marker)
        ok = False
        break
    time.sleep(0.5)
    r = qmp("screendump", filename=os.path.join(outdir, name + ".png"), format="png")
    print(marker, "screendump", r)
try:
    qemu.wait(timeout=120)
except subprocess.TimeoutExpired:
    qemu.kill()
with open(serial, "rb") as fh:
    for line in fh.read().decode("utf-8", "replace").splitlines():
        if "SMOKE" in line:
            print(line.strip())
sys.exit(0 if ok else 1)
