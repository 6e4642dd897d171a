# SPDX-License-Identifier: GPL-2.0-or-later
"""End-to-end test machinery: the Debian kernel, our initramfs, test disks made with mkfs, and
QEMU (TCG) driven through its serial port and QMP.

Artefacts that every scenario shares (kernel, initramfs, second-stage initrd) are built once per
binary into $KL_QEMU_WORK (under the build directory), guarded by a lock so that parallel tests
build them once."""

import fcntl
import gzip
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

import pyte

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
BINARY = os.path.abspath(os.environ.get("KEXEC_LOADER", os.path.join(REPO, "build/src/kexec-loader")))
STAGE2 = os.path.abspath(os.environ.get("KL_STAGE2_INIT",
                                        os.path.join(REPO, "build/tests/stage2-init")))
WORK = os.path.abspath(os.environ.get("KL_QEMU_WORK", os.path.join(os.path.dirname(BINARY),
                                                                   "..", "qemu-work")))
SKIP = 77


class Failure(Exception):
    pass


def log(msg):
    print("# " + msg)
    sys.stdout.flush()


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise Failure("%s failed (%d):\n%s%s" % (" ".join(cmd), p.returncode, p.stdout, p.stderr))
    return p.stdout


def have(tool):
    return shutil.which(tool) is not None


def require_tools():
    missing = [t for t in ("qemu-system-x86_64", "mkfs.ext4", "mkfs.vfat", "mcopy", "sfdisk",
                           "depmod", "cpio") if not have(t)]
    if missing:
        print("SKIP: missing tools: " + ", ".join(missing))
        sys.exit(SKIP)


def accel():
    """TCG, unless KVM is really usable (vmx/svm and a writable /dev/kvm): see qemu-testing.md."""
    try:
        flags = open("/proc/cpuinfo").read()
    except OSError:
        flags = ""
    if re.search(r"\b(vmx|svm)\b", flags) and os.access("/dev/kvm", os.W_OK):
        return "kvm"
    return "tcg"


# ---- shared artefacts ----

def cpio_newc(files):
    """A newc cpio archive (bytes) of [(name, mode, data)]; directories have data None."""
    out = bytearray()
    ino = 1
    for name, mode, data in files + [("TRAILER!!!", 0, b"")]:
        data = data or b""
        nb = name.encode() + b"\0"
        hdr = "070701" + "".join("%08X" % v for v in (
            ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nb), 0))
        out += hdr.encode() + nb
        out += b"\0" * ((4 - len(out) % 4) % 4)
        out += data
        out += b"\0" * ((4 - len(out) % 4) % 4)
        ino += 1
    return bytes(out)


class Artefacts:
    def __init__(self):
        self.kver = self.vmlinuz = self.modules = None
        self.initramfs = os.path.join(WORK, "initramfs.img")
        self.stage2 = os.path.join(WORK, "stage2.img")

    def prepare(self):
        os.makedirs(WORK, exist_ok=True)
        with open(os.path.join(WORK, ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._kernel()
            self._initramfs()
            self._stage2()
        return self

    def _kernel(self):
        out = run([os.path.join(REPO, "initramfs/get-kernel")])
        env = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
        self.kver, self.vmlinuz, self.modules = env["KVER"], env["VMLINUZ"], env["MODULES"]

    def _stamp(self):
        h = hashlib.sha256()
        for p in (BINARY, os.path.join(REPO, "initramfs/mkinitramfs"), self.vmlinuz):
            h.update(open(p, "rb").read())
        return h.hexdigest()

    def _initramfs(self):
        stamp_file = self.initramfs + ".stamp"
        stamp = self._stamp()
        if os.path.exists(self.initramfs) and os.path.exists(stamp_file) \
                and open(stamp_file).read() == stamp:
            return
        t = time.time()
        out = run([os.path.join(REPO, "initramfs/mkinitramfs"), "-o", self.initramfs,
                   "--binary", BINARY, "--kernel", self.vmlinuz, "--modules", self.modules])
        log("built the initramfs in %.1f s: %s" % (time.time() - t, out.strip().splitlines()[-1]))
        open(stamp_file, "w").write(stamp)

    def _stage2(self):
        data = open(STAGE2, "rb").read()
        img = gzip.compress(cpio_newc([("dev", 0o40755, None), ("proc", 0o40755, None),
                                       ("init", 0o100755, data)]), 6)
        if not os.path.exists(self.stage2) or open(self.stage2, "rb").read() != img:
            open(self.stage2, "wb").write(img)


# ---- test disks ----

def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Disk:
    """A disk image made with mkfs from a dict {path: bytes or str}."""

    def __init__(self, path):
        self.path = path
        self.checksum = None

    def seal(self):
        self.checksum = sha256(self.path)
        return self

    def unchanged(self):
        return sha256(self.path) == self.checksum


def _tree(root, files):
    for rel, data in files.items():
        p = os.path.join(root, rel.lstrip("/"))
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if isinstance(data, str):
            data = data.encode()
        with open(p, "wb") as f:
            f.write(data)


def ext4_image(path, files, label, uuid=None, size_mb=48):
    tree = path + ".d"
    shutil.rmtree(tree, ignore_errors=True)
    _tree(tree, files)
    with open(path, "wb") as f:
        f.truncate(size_mb << 20)
    cmd = ["mkfs.ext4", "-q", "-F", "-L", label, "-d", tree]
    if uuid:
        cmd += ["-U", uuid]
    run(cmd + [path])
    shutil.rmtree(tree)
    return path


def vfat_image(path, files, label, volid=None, size_mb=48):
    with open(path, "wb") as f:
        f.truncate(size_mb << 20)
    cmd = ["mkfs.vfat", "-n", label]
    if volid:
        cmd += ["-i", volid]
    run(cmd + [path])
    dirs = set()
    for rel in files:
        parts = rel.strip("/").split("/")[:-1]
        for i in range(1, len(parts) + 1):
            dirs.add("/".join(parts[:i]))
    for d in sorted(dirs):
        run(["mmd", "-i", path, "::/" + d])
    tmp = path + ".f"
    for rel, data in files.items():
        with open(tmp, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
        run(["mcopy", "-i", path, tmp, "::/" + rel.strip("/")])
    os.unlink(tmp)
    return path


def gpt_image(path, parts, size_mb=112):
    """parts: [(name, partition image path)]. Partitions start at 1 MiB, each sized to its image."""
    with open(path, "wb") as f:
        f.truncate(size_mb << 20)
    script = "label: gpt\n"
    start = 2048
    layout = []
    for name, img in parts:
        sectors = os.path.getsize(img) // 512
        script += 'start=%d, size=%d, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="%s"\n' % (
            start, sectors, name)
        layout.append((start, img))
        start += sectors
    subprocess.run(["sfdisk", "-q", path], input=script, text=True, check=True,
                   capture_output=True)
    with open(path, "r+b") as f:
        for start, img in layout:
            f.seek(start * 512)
            with open(img, "rb") as src:
                shutil.copyfileobj(src, f)
    return path


# ---- QEMU ----

class VM:
    def __init__(self, name, art, append="", drives=(), vga="none", machine="pc", usb=False,
                 kernel=True, uefi=False, extra=()):
        self.name = name
        self.art = art
        self.dir = os.path.join(WORK, "runs", name)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.append = append
        self.drives = list(drives)
        self.vga = vga
        self.machine = machine
        self.usb = usb
        self.kernel = kernel
        self.uefi = uefi
        self.extra = list(extra)
        self.proc = None
        self.serial = bytearray()
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.lock = threading.Lock()
        self.sock = None
        self.qmp_file = None
        self.t0 = None
        self.shots = 0

    def path(self, name):
        return os.path.join(self.dir, name)

    def start(self):
        cmd = ["qemu-system-x86_64", "-accel", accel(), "-m", "1G", "-smp", "1",
               "-display", "none", "-no-reboot", "-monitor", "none", "-M", self.machine,
               "-chardev", "socket,id=s0,path=%s,server=on,wait=off,logfile=%s"
               % (self.path("serial.sock"), self.path("serial.log")),
               "-serial", "chardev:s0",
               "-serial", "file:" + self.path("trace.log"),
               "-serial", "file:" + self.path("debug.log"),
               "-qmp", "unix:%s,server=on,wait=off" % self.path("qmp.sock")]
        if self.vga == "none":
            cmd += ["-vga", "none"]
        else:
            cmd += ["-vga", self.vga]
        if self.usb:
            cmd += ["-device", "qemu-xhci,id=xhci"]
        if self.uefi:
            vars_fd = self.path("vars.fd")
            shutil.copy("/usr/share/OVMF/OVMF_VARS_4M.fd", vars_fd)
            cmd += ["-drive", "if=pflash,format=raw,unit=0,readonly=on,"
                    "file=/usr/share/OVMF/OVMF_CODE_4M.fd",
                    "-drive", "if=pflash,format=raw,unit=1,file=" + vars_fd]
        if self.kernel:
            cmd += ["-kernel", self.art.vmlinuz, "-initrd", self.art.initramfs,
                    "-append", "console=ttyS0,115200 quiet panic=-1 kexec_trace=/dev/ttyS1 "
                    "kexec_debug=/dev/ttyS2 " + self.append]
        for i, d in enumerate(self.drives):
            cmd += d if isinstance(d, list) else ["-drive", "file=%s,format=raw,if=virtio" % d.path]
        cmd += self.extra
        self.cmd = cmd
        self.t0 = time.time()
        self.proc = subprocess.Popen(cmd, stdout=open(self.path("qemu.out"), "wb"),
                                     stderr=subprocess.STDOUT)
        self._connect_serial()
        self._connect_qmp()
        threading.Thread(target=self._reader, daemon=True).start()
        return self

    def _wait_socket(self, path):
        end = time.time() + 20
        while time.time() < end:
            if os.path.exists(path):
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    s.connect(path)
                    return s
                except OSError:
                    s.close()
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise Failure("QEMU did not start:\n" + self.tail("qemu.out"))

    def _connect_serial(self):
        self.sock = self._wait_socket(self.path("serial.sock"))

    def _connect_qmp(self):
        s = self._wait_socket(self.path("qmp.sock"))
        self.qmp_file = s.makefile("rw")
        self.qmp_file.readline()  # greeting
        self.qmp("qmp_capabilities")

    def _reader(self):
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                return
            if not data:
                return
            with self.lock:
                self.serial += data
                self.stream.feed(data)

    def qmp(self, command, **args):
        msg = {"execute": command}
        if args:
            msg["arguments"] = args
        self.qmp_file.write(json.dumps(msg) + "\n")
        self.qmp_file.flush()
        while True:
            line = self.qmp_file.readline()
            if not line:
                raise Failure("QMP closed while waiting for %s" % command)
            reply = json.loads(line)
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise Failure("QMP %s: %s" % (command, reply["error"]))

    def send(self, data):
        """Bytes typed on the serial console."""
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)
        time.sleep(0.15 if data == b"\x1b" else 0.05)

    def send_key(self, *qcodes):
        """Keys pressed on the PS/2 keyboard (they reach the menu through evdev)."""
        for q in qcodes:
            keys = [{"type": "qcode", "data": k} for k in q.split("-")]
            self.qmp("send-key", keys=keys)
            time.sleep(0.1)

    def screendump(self, tag):
        if self.vga == "none":
            return None
        self.shots += 1
        p = self.path("screen-%02d-%s.png" % (self.shots, tag))
        try:
            self.qmp("screendump", filename=p, format="png")
        except Failure:
            self.qmp("screendump", filename=p[:-3] + "ppm")
            p = p[:-3] + "ppm"
        return p

    def screen_pixels(self, tag):
        """A screendump as (width, height, RGB bytes), from QEMU's PPM output; a PNG copy is kept
        beside it for people."""
        self.shots += 1
        base = self.path("screen-%02d-%s" % (self.shots, tag))
        self.qmp("screendump", filename=base + ".ppm")
        try:
            self.qmp("screendump", filename=base + ".png", format="png")
        except Failure:
            pass
        data = open(base + ".ppm", "rb").read()
        parts = data.split(b"\n", 3)  # P6, "W H", 255, pixels
        w, h = (int(x) for x in parts[1].split())
        return w, h, parts[3]

    @staticmethod
    def color_rows(shot, rgb, tol=12):
        """Rows (y) that hold at least 20 pixels of colour rgb (within tol)."""
        w, h, px = shot
        rows = []
        for y in range(h):
            row = px[y * w * 3:(y + 1) * w * 3]
            n = 0
            for x in range(0, w * 3, 6):  # every other pixel is enough
                if abs(row[x] - rgb[0]) <= tol and abs(row[x + 1] - rgb[1]) <= tol and \
                        abs(row[x + 2] - rgb[2]) <= tol:
                    n += 1
            if n >= 10:
                rows.append(y)
        return rows

    def trace(self):
        try:
            return open(self.path("trace.log"), "rb").read().decode(errors="replace")
        except OSError:
            return ""

    def text(self):
        with self.lock:
            return "\n".join(self.screen.display)

    def serial_text(self):
        with self.lock:
            return self.serial.decode(errors="replace")

    def wait_trace(self, pattern, timeout=90):
        """Waits for a trace line matching the regex; returns (guest seconds, line)."""
        rx = re.compile(r"^\[\s*(\d+\.\d+)\] (.*%s.*)$" % pattern, re.M)
        end = time.time() + timeout
        while time.time() < end:
            m = rx.search(self.trace().replace("\r", ""))
            if m:
                return float(m.group(1)), m.group(2)
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise Failure("no trace line /%s/ after %.0f s" % (pattern, timeout))

    def trace_count(self, pattern):
        return len(re.findall(r"^\[[^\]]*\] .*%s" % pattern, self.trace().replace("\r", ""), re.M))

    def wait_screen(self, text, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            if text in self.text():
                return
            time.sleep(0.1)
        raise Failure("%r not on the serial screen after %.0f s; screen:\n%s"
                      % (text, timeout, self.text()))

    def wait_serial(self, text, timeout=90):
        end = time.time() + timeout
        while time.time() < end:
            if text in self.serial_text():
                return
            if self.proc.poll() is not None and text not in self.serial_text():
                time.sleep(0.2)
                if text in self.serial_text():
                    return
                break
            time.sleep(0.1)
        raise Failure("%r not on the serial port after %.0f s" % (text, timeout))

    def stage2_cmdline(self, timeout=120):
        self.wait_serial("STAGE2 CMDLINE:", timeout)
        m = re.search(r"STAGE2 CMDLINE: ([^\r\n]*)", self.serial_text())
        return m.group(1)

    def wait_exit(self, timeout=60):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise Failure("QEMU did not exit within %d s" % timeout)

    def elapsed(self):
        return time.time() - self.t0

    def tail(self, name, n=40):
        try:
            data = open(self.path(name), "rb").read().decode(errors="replace")
        except OSError:
            return "(no %s)" % name
        data = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", data).replace("\r", "")
        return "\n".join(data.splitlines()[-n:])

    def stop(self):
        if self.proc and self.proc.poll() is None:
            try:
                self.screendump("last")  # kept with the logs, for a look after a failure
            except (Failure, OSError, ValueError):
                pass
            self.proc.kill()
            self.proc.wait()
        if self.sock:
            self.sock.close()

    def report_failure(self):
        print("--- serial screen:\n" + self.text())
        print("--- serial log tail:\n" + self.tail("serial.log"))
        print("--- trace:\n" + self.tail("trace.log", 60))
        print("--- debug log tail:\n" + self.tail("debug.log", 60))
        print("--- kept in " + self.dir)
