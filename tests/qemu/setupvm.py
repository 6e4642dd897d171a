#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The setup VM: prepares test disks where the host cannot (no device-mapper, md or loop-mounted
btrfs here). It boots the Debian kernel (initramfs/get-kernel) in QEMU (TCG, -nic none) with an
initramfs of the host's cryptsetup, lvm2, mdadm, mkfs and coreutils (tests/qemu/mkvminitrd),
attaches raw disk images as virtio disks with serials (/dev/disk/by-id/virtio-SERIAL in the
guest), runs a shell script and powers off. The script's output (stdout and stderr) comes back on
the second serial port, closed by an end marker with its exit status: the caller waits for that
marker, not for a time.

    rc, output = run(script_text, disks=[(path, serial)], files={"/payload/x": host_path})

Disk recipes (tests/qemu/disks/NAME.sh) are scripts for it that declare their disks in comment
lines "# disk: SERIAL SIZE_MB" and get the second stage's kernel and initrd as
/payload/vmlinuz and /payload/initrd.img (and tests/qemu/disks/lib.sh as /setup/lib.sh).
make(recipe, art) makes a recipe's disks once per recipe, payload and parameters (cached in
$KL_QEMU_WORK/disks, keyed by their sha256); disks(recipe, art, run_dir) gives a scenario its own
copies, sealed (V.Disk), to be checked unchanged after the test.

Command line (what tests/qemu/setup-vm.sh runs):
    setupvm.py run [--disk PATH[=SERIAL]]... [--file SRC=DEST]... SCRIPT
    setupvm.py make RECIPE [NAME=VALUE]...   (prints the cached disks' paths)"""

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vm as V  # noqa: E402
from vm import Failure  # noqa: E402

MODULES = ["virtio_pci", "virtio_blk", "dm_mod", "dm_crypt", "xts", "algif_skcipher",
           "algif_hash", "af_alg", "md_mod", "raid0", "raid1", "raid10", "raid456", "ext4",
           "vfat", "nls_cp437", "nls_iso8859_1", "btrfs", "loop",
           # issue 14: the filesystems of disks/unclean-fs.sh
           "xfs", "f2fs", "exfat", "udf", "nls_ascii", "nls_utf8"]
TOOLS = ["sh", "cryptsetup", "lvm", "mdadm", "mke2fs", "mkfs.ext4", "mkfs.vfat", "mkfs.btrfs",
         "btrfs", "sfdisk", "losetup", "blkid", "blockdev", "wipefs", "mount", "umount", "insmod",
         "cat", "cp", "cut", "dd", "echo", "grep", "head", "ln", "ls", "mkdir", "mv", "printf",
         "readlink", "rm", "sed", "stat", "tr",
         "sha256sum", "sleep", "sync", "touch", "truncate", "date", "poweroff"]
# Taken when the host has them (xfsprogs, f2fs-tools, exfatprogs, udftools): the recipes that use
# them say so when they are missing (disks/unclean-fs.sh), the others do not need them.
OPTIONAL_TOOLS = ["mkfs.xfs", "mkfs.f2fs", "mkfs.exfat", "mkudffs"]


def _tools():
    path = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
    return TOOLS + [t for t in OPTIONAL_TOOLS if shutil.which(t, path=path)]

# /init of the setup VM: modules, the disks' by-id links as udev would make them, the script with
# its output on ttyS1 (the kernel's console is ttyS0), the end marker, power off.
INIT = r"""#!/bin/sh
export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp; mount -t tmpfs run /run
mkdir -p /dev/disk/by-id /run/lock /run/cryptsetup /run/mdadm /mnt
for m in /mods/*.ko; do insmod "$m" 2>/dev/null || echo "setup-vm: insmod $m failed"; done
for d in /sys/block/vd*; do
	[ -s "$d/serial" ] && ln -s "../../${d##*/}" "/dev/disk/by-id/virtio-$(cat "$d/serial")"
done
exec </dev/null >/dev/ttyS1 2>&1
echo "=== SETUPVM BEGIN"
sh /setup/script.sh
rc=$?
sync
echo "=== SETUPVM END rc=$rc"
poweroff -f
"""

# LVM without udev or lvmetad: it makes the /dev/mapper nodes itself and archives nothing.
LVM_CONF = """devices { obtain_device_list_from_udev = 0 external_device_info_source = "none" }
activation { udev_sync = 0 udev_rules = 0 monitoring = 0 }
backup { backup = 0 archive = 0 }
global { use_lvmpolld = 0 }
"""

HERE = os.path.dirname(os.path.abspath(__file__))
RECIPES = os.path.join(HERE, "disks")
END = re.compile(rb"=== SETUPVM END rc=(\d+)\r?\n")


def _kernel():
    out = V.run([os.path.join(V.REPO, "initramfs/get-kernel")])
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def base_initrd():
    """The setup VM's initramfs (tools, libraries, modules, /init), made once per tool set,
    kernel and builder under $KL_QEMU_WORK/setupvm (a lock guards it against parallel tests).
    Returns (its path, get-kernel's variables)."""
    d = os.path.join(V.WORK, "setupvm")
    os.makedirs(d, exist_ok=True)
    kern = _kernel()
    h = hashlib.sha256()
    h.update(open(os.path.join(HERE, "mkvminitrd"), "rb").read())
    h.update(("\0".join(MODULES + _tools()) + INIT + kern["KVER"]).encode())
    for t in _tools():
        p = shutil.which(t, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
        if p is None:
            raise V.Skip("%s is missing on the host (the setup VM needs it)" % t)
        st = os.stat(p)
        h.update(("%s %d %d" % (p, st.st_size, st.st_mtime_ns)).encode())
    out = os.path.join(d, "initrd.cpio")
    with open(os.path.join(d, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stamp = out + ".stamp"
        if not (os.path.exists(out) and os.path.exists(stamp)
                and open(stamp).read() == h.hexdigest()):
            init = os.path.join(d, "init")
            open(init, "w").write(INIT)
            cmd = [os.path.join(HERE, "mkvminitrd"), "-o", out, "-i", init]
            for m in MODULES:
                cmd += ["-m", m]
            for t in _tools():
                cmd += ["-b", t]
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode == V.SKIP:
                raise V.Skip(p.stderr.strip())
            if p.returncode != 0:
                raise Failure("mkvminitrd failed (%d):\n%s" % (p.returncode, p.stderr))
            open(stamp, "w").write(h.hexdigest())
    return out, kern


def run(script, disks=(), files=None, name="setup", timeout=V.TIMEOUT):
    """Runs script (shell text) in the setup VM with disks [(path, serial)] attached and files
    {guest path: host path or bytes} in its initramfs. Returns (exit status, output)."""
    base, kern = base_initrd()
    rdir = os.path.join(V.WORK, "setupvm", "runs", name)
    shutil.rmtree(rdir, ignore_errors=True)
    os.makedirs(rdir)
    entries, dirs = [], set()
    files = dict(files or {})
    files["/setup/script.sh"] = script.encode() if isinstance(script, str) else script
    files["/etc/lvm/lvm.conf"] = LVM_CONF.encode()
    for dest, src in sorted(files.items()):
        parts = dest.strip("/").split("/")
        for i in range(1, len(parts)):
            dirs.add("/".join(parts[:i]))
        data = src if isinstance(src, bytes) else open(src, "rb").read()
        entries.append((dest.strip("/"), 0o100755, data))
    overlay = V.cpio_newc([(d, 0o40755, None) for d in sorted(dirs)] + entries)
    initrd = os.path.join(rdir, "initrd.img")
    with open(initrd, "wb") as f:
        with open(base, "rb") as src:
            shutil.copyfileobj(src, f)
        f.write(overlay)  # the kernel unpacks the archives one after the other
    out = V.Channel("setup output", os.path.join(rdir, "out.sock"))
    cmd = ["qemu-system-x86_64", "-accel", V.accel(), "-m", "1G", "-smp", "1", "-cpu", "max",
           "-display", "none", "-monitor", "none", "-nic", "none", "-no-reboot", "-vga", "none",
           "-serial", "file:" + os.path.join(rdir, "console.log"),
           "-chardev", "socket,id=out,path=%s,logfile=%s" % (out.sock_path,
                                                             os.path.join(rdir, "out.log")),
           "-serial", "chardev:out",
           "-kernel", kern["VMLINUZ"], "-initrd", initrd,
           "-append", "console=ttyS0,115200 quiet panic=-1"]
    for i, (path, serial) in enumerate(disks):
        cmd += ["-drive", "file=%s,format=raw,if=none,id=d%d" % (path, i),
                "-device", "virtio-blk-pci,drive=d%d,serial=%s" % (i, serial)]
    proc = subprocess.Popen(cmd, stdout=open(os.path.join(rdir, "qemu.out"), "wb"),
                            stderr=subprocess.STDOUT)
    try:
        if not out.accept(proc, time.monotonic() + 60):
            raise Failure("QEMU did not start:\n" + open(os.path.join(rdir, "qemu.out")).read())

        def step(data, cursor, scanned):
            m = END.search(data, cursor)
            return (m.end(), int(m.group(1)), None) if m else (None, None, None)

        try:
            rc = out.wait(step, timeout, "the setup VM's end marker")
        except Failure as e:
            tail = open(os.path.join(rdir, "console.log"), "rb").read()[-3000:]
            raise Failure("%s\n--- output:\n%s--- console:\n%s" % (
                e, out.text(), tail.decode(errors="replace")))
        proc.wait(timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        out.close()
    text = out.text().replace("\r", "")
    text = text[text.find("=== SETUPVM BEGIN\n") + 18:text.rfind("=== SETUPVM END")]
    return rc, text


def recipe_disks(text):
    """The disks a recipe declares: [(serial, size in MiB)] from its "# disk: SERIAL SIZE_MB"
    lines."""
    return [(m.group(1), int(m.group(2)))
            for m in re.finditer(r"^# disk: ([A-Za-z0-9_-]+) (\d+)$", text, re.M)]


def payload(art):
    """The second stage a recipe puts on its /boot: the kernel and the second-stage initrd."""
    return {"/payload/vmlinuz": art.vmlinuz, "/payload/initrd.img": art.stage2}


def make(recipe, files, params=None):
    """Makes the disks of tests/qemu/disks/RECIPE.sh, once: a second call with the same recipe,
    lib.sh, files (the payload) and params (NAME=VALUE lines put before the script) finds them
    in $KL_QEMU_WORK/disks/RECIPE-HASH. Returns [(serial, path)] in the recipe's order."""
    text = open(os.path.join(RECIPES, recipe + ".sh")).read()
    lib = open(os.path.join(RECIPES, "lib.sh"), "rb").read()
    head = "".join("%s=%s\n" % (k, shquote(v)) for k, v in sorted((params or {}).items()))
    h = hashlib.sha256((head + text).encode() + lib)
    for dest, src in sorted(files.items()):
        h.update(dest.encode() + b"\0" + open(src, "rb").read())
    root = os.path.join(V.WORK, "disks")
    d = os.path.join(root, "%s-%s" % (recipe, h.hexdigest()[:16]))
    layout = recipe_disks(text)
    if not layout:
        raise Failure("%s.sh declares no disk (# disk: SERIAL SIZE_MB)" % recipe)
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, ".lock-" + recipe), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = os.path.join(d, "done")
        if not os.path.exists(done):
            for old in os.listdir(root):  # an older version of this recipe's disks
                if old.startswith(recipe + "-") and re.fullmatch(r"[0-9a-f]{16}",
                                                                 old[len(recipe) + 1:]):
                    shutil.rmtree(os.path.join(root, old))
            os.makedirs(d)
            for serial, mb in layout:
                with open(os.path.join(d, serial + ".img"), "wb") as f:
                    f.truncate(mb << 20)
            t = time.time()
            script = "set -eu\n" + head + ". /setup/lib.sh\n" + text
            # "# timeout: SECONDS" in a recipe: a longer run than V.TIMEOUT (many disks)
            m = re.search(r"^# timeout: (\d+)$", text, re.M)
            rc, out = run(script, [(os.path.join(d, s + ".img"), s) for s, _ in layout],
                          dict(files, **{"/setup/lib.sh": lib}), name=recipe,
                          timeout=int(m.group(1)) if m else V.TIMEOUT)
            open(os.path.join(d, "setup.log"), "w").write(out)
            if rc != 0:
                shutil.rmtree(d)
                raise Failure("recipe %s failed (exit %d):\n%s" % (recipe, rc, out))
            V.log("made the disks of %s in the setup VM in %.1f s" % (recipe, time.time() - t))
            open(done, "w").write("%.1f\n" % (time.time() - t))
    return [(s, os.path.join(d, s + ".img")) for s, _ in layout]


def disks(recipe, art, run_dir, params=None):
    """A scenario's own copies (sparse) of RECIPE's disks in run_dir, sealed (their sha256
    taken): [V.Disk] in the recipe's order."""
    out = []
    for serial, path in make(recipe, payload(art), params):
        copy = os.path.join(run_dir, os.path.basename(path))
        V.run(["cp", "--sparse=always", path, copy])
        out.append(V.Disk(copy).seal())
    return out


def shquote(s):
    return "'" + str(s).replace("'", "'\\''") + "'"


def main(argv):
    if len(argv) >= 2 and argv[0] == "make":
        params = dict(a.split("=", 1) for a in argv[2:])
        art = V.Artefacts()
        os.makedirs(V.WORK, exist_ok=True)
        art._kernel()
        art._stage2()
        for serial, path in make(argv[1], payload(art), params):
            print(serial, path)
        return 0
    if not argv or argv[0] != "run":
        print(__doc__)
        return 2
    drives, files, script = [], {}, None
    args = argv[1:]
    while args:
        a = args.pop(0)
        if a in ("--disk", "--file") and args:
            v = args.pop(0)
            if a == "--disk":
                path, _, serial = v.partition("=")
                drives.append((path, serial or "disk%d" % len(drives)))
            else:
                src, _, dest = v.partition("=")
                files[dest] = src
        else:
            script = a
    if script is None:
        print(__doc__)
        return 2
    t = time.time()
    rc, out = run(open(script).read(), drives, files)
    sys.stdout.write(out)
    print("# setup VM: exit %d after %.1f s" % (rc, time.time() - t), file=sys.stderr)
    return rc


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except V.Skip as e:
        print("SKIP: %s" % e, file=sys.stderr)
        sys.exit(V.SKIP)
