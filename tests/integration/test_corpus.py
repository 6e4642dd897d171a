#!/usr/bin/env python3
"""The corpus of real boot configurations (tests/data/corpus): each case puts real files on
pretend filesystems, runs `kexec-loader list --json --fs ...`, and compares the listing with the
one written in the case from the format's rules (what the config's own boot loader shows).

TAP output, one test point per case. A case with a `pending` line needs a feature not there yet:
it is run and reported as TODO (`not ok ... # TODO pending(helper): reason`, shown by meson as
an expected failure); once it matches, it is an unexpected pass (a failure) until its `pending`
line is removed.

Case files (tests/data/corpus/cases/*.case), one statement a line, `#` comments:

    fs DEV [uuid=U] [label=L] [partuuid=P]   a filesystem; the lines below put files on it
                                             (fs and copy lines are split like a shell's)
    copy SRC DEST [KEY=VALUE...]             SRC (relative to tests/data) at DEST, each KEY in it
                                             replaced by VALUE (the substitutions a distribution's
                                             image builder makes in its templates); with
                                             --tail=N first, only its lines from the Nth on
    file DEST [TEXT]                         a file holding TEXT (\\n for newlines), or empty
    grubenv DEST KEY=VALUE...                a GRUB environment block (1024 bytes)
    iso DEST [LABEL]                         an ISO 9660 image (Rock Ridge, Joliet) made with
                                             xorriso; the isofile lines below fill it
    isofile PATH [TEXT]                      a file inside the last iso
    cmdline TEXT                             stands for /proc/cmdline (--cmdline)
    platform efi|pc                          how the machine booted (GRUB's $grub_platform; a
                                             --sysfs tree with or without firmware/efi); pc if not
                                             given
    pending HELPER: REASON                   see above
    expect                                   the rest of the file is the expected listing

The listing (what render() prints): `config_timeout N|none`, `timeout_style S|none`,
`default N|none` (the index among the entries), then per entry `entry SUB > ... > TITLE` with
indented `source`, `kernel`, `initrd`, `module`, `cmdline`, `efi` (an EFI application booted
through the firmware), `firmware setup`, `not bootable: WHY`, `one-time default`; a file on another filesystem than the entry's config is written `(DEV)/path`, a file
inside an ISO image `[/image.iso]/path`, one in a btrfs subvolume `{@/subvol}/path`.

Run one case: `test_corpus.py NAME`; print our listing of a case: `test_corpus.py --show NAME`.
"""

import difflib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")
CASES = os.path.join(DATA, "corpus", "cases")
BINARY = os.environ.get("KEXEC_LOADER", os.path.join(HERE, "..", "..", "build", "src",
                                                     "kexec-loader"))


class CaseError(Exception):
    pass


def grubenv(pairs):
    body = "# GRUB Environment Block\n" + "".join(p + "\n" for p in pairs)
    if len(body) > 1024:
        raise CaseError("grubenv larger than 1024 bytes")
    return (body + "#" * (1024 - len(body))).encode()


def parse_case(path):
    case = {"fs": [], "cmdline": None, "pending": None, "platform": "pc", "expect": [], "name":
            os.path.basename(path)[:-len(".case")]}
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for n, line in enumerate(lines):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        word, _, rest = s.partition(" ")
        if word == "expect":
            case["expect"] = [x.rstrip() for x in lines[n + 1:]
                              if x.strip() and not x.lstrip().startswith("#")]
            break
        if word == "fs":
            args = shlex.split(rest)
            fs = {"dev": args[0], "opts": args[1:], "files": []}
            case["fs"].append(fs)
        elif word == "cmdline":
            case["cmdline"] = rest
        elif word == "platform":
            if rest not in ("efi", "pc"):
                raise CaseError("%s:%d: platform efi or pc" % (path, n + 1))
            case["platform"] = rest
        elif word == "pending":
            case["pending"] = rest
        elif word in ("copy", "file", "grubenv", "iso"):
            if not case["fs"]:
                raise CaseError("%s:%d: %s before any fs" % (path, n + 1, word))
            case["fs"][-1]["files"].append((word, rest))
            if word == "iso":
                case["fs"][-1].setdefault("isos", []).append((rest, []))
        elif word == "isofile":
            if not case["fs"] or not case["fs"][-1].get("isos"):
                raise CaseError("%s:%d: isofile before any iso" % (path, n + 1))
            case["fs"][-1]["isos"][-1][1].append(rest)
        else:
            raise CaseError("%s:%d: unknown statement %r" % (path, n + 1, word))
    return case


def make_iso(root, label, files):
    tree = tempfile.mkdtemp(prefix="iso-", dir=root)
    for f in files:
        dest, _, text = f.partition(" ")
        p = os.path.join(tree, dest.lstrip("/"))
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as out:
            out.write(text.replace("\\n", "\n"))
    image = tree + ".iso"
    p = subprocess.run(["xorriso", "-as", "mkisofs", "-R", "-J", "-V", label, "-o", image, tree],
                       capture_output=True)
    if p.returncode != 0:
        raise CaseError("xorriso: %s" % p.stderr.decode(errors="replace"))
    with open(image, "rb") as f:
        return f.read()


def build(case, root):
    args = []
    for i, fs in enumerate(case["fs"]):
        d = os.path.join(root, "fs%d" % i)
        os.makedirs(d)
        for kind, rest in fs["files"]:
            if kind == "copy":
                src, dest, *subst = shlex.split(rest)
                with open(os.path.join(DATA, src), "rb") as f:
                    data = f.read()
                if subst and subst[0].startswith("--tail="):
                    # what grub-mkconfig puts in grub.cfg from a /etc/grub.d/40_custom-style
                    # script ("exec tail -n +3 $0"): its lines from that one on
                    data = b"".join(data.splitlines(True)[int(subst.pop(0)[7:]) - 1:])
                for s in subst:
                    key, _, value = s.partition("=")
                    data = data.replace(key.encode(), value.encode())
            elif kind == "file":
                dest, _, text = rest.partition(" ")
                data = text.replace("\\n", "\n").encode()
            elif kind == "iso":
                dest, _, label = rest.partition(" ")
                files = [f for r, f in fs["isos"] if r == rest][0]
                data = make_iso(root, label or "CDROM", files)
            else:
                words = shlex.split(rest)
                dest, data = words[0], grubenv(words[1:])
            p = os.path.join(d, dest.lstrip("/"))
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)
        args += ["--fs", ",".join([d, "dev=" + fs["dev"]] + fs["opts"])]
    sysfs = os.path.join(root, "sys")
    os.makedirs(os.path.join(sysfs, "firmware", "efi" if case["platform"] == "efi" else ""))
    args += ["--sysfs", sysfs]
    if case["cmdline"] is not None:
        args += ["--cmdline", case["cmdline"]]
    return args


def ref(r, home):
    if r["fs"] is None:
        return r["path"] or "(none)"
    fs = r["fs"] + ("?" if r.get("resolved") is False else "")
    s = r["path"]
    if r.get("iso"):
        s = "[%s]%s" % (r["iso"], s)
    if r.get("subvol"):
        s = "{%s}%s" % (r["subvol"], s)
    s = s if fs == home else "(%s)%s" % (fs, s)
    return s + (" " + r["args"] if r.get("args") else "")


def render(j):
    out = ["config_timeout %s" % ("none" if j["config_timeout"] is None else j["config_timeout"]),
           "timeout_style %s" % (j["timeout_style"] or "none"),
           "default %s" % ("none" if j["default"] is None else j["default"])]
    for e in j["entries"]:
        home = e["config"]["fs"]
        out.append("entry " + " > ".join(e["submenu"] + [e["title"]]))
        out.append("  source " + e["source"])
        if e["kernel"]["path"] is not None:
            out.append("  kernel " + ref(e["kernel"], home))
        for r in e["initrd"]:
            out.append("  initrd " + ref(r, home))
        for r in e.get("modules", []):
            out.append("  module " + ref(r, home))
        if e["cmdline"]:
            out.append("  cmdline " + e["cmdline"])
        if e.get("action") == "firmware":
            out.append("  efi " + ref(e["efi"], home))
        elif e.get("action") == "firmware-setup":
            out.append("  firmware setup")
        if e.get("bootable") is False:
            out.append("  not bootable: " + e["why"])
        if e.get("one_time_default"):
            out.append("  one-time default")
    return out


def listing(case):
    root = tempfile.mkdtemp(prefix="kl-corpus-")
    try:
        cmd = [BINARY, "list", "--json"] + build(case, root)
        p = subprocess.run(cmd, capture_output=True, timeout=60)
        if p.returncode != 0:
            raise CaseError("list exited %d: %s" % (p.returncode,
                                                    p.stderr.decode(errors="replace")))
        j = json.loads(p.stdout.decode())
        diags = ["%s:%s:%s: %s" % (d.get("fs"), d.get("file"), d.get("line"), d["message"])
                 for d in j["diagnostics"]]
        return render(j), diags
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main(argv):
    show = "--show" in argv
    names = [a for a in argv if a != "--show"]
    files = sorted(f for f in os.listdir(CASES) if f.endswith(".case"))
    if names:
        files = [f for f in files if f[:-5] in names]
    print("1..%d" % len(files))
    failed = 0
    for n, f in enumerate(files, 1):
        try:
            case = parse_case(os.path.join(CASES, f))
            got, diags = listing(case)
        except (CaseError, OSError, ValueError, subprocess.TimeoutExpired) as e:
            print("not ok %d - %s: %s" % (n, f[:-5], e))
            failed += 1
            continue
        if show:
            print("\n".join("# " + x for x in got + ["diagnostics:"] + diags))
        diff = list(difflib.unified_diff(case["expect"], got, "expected", "kexec-loader",
                                         lineterm="", n=2))
        todo = " # TODO pending(%s)" % case["pending"] if case["pending"] else ""
        if diff:
            print("not ok %d - %s%s" % (n, case["name"], todo))
            for x in diff + ["diagnostics:"] + diags:
                print("#   " + x)
            failed += not todo
        else:
            if todo:
                print("# %s matches now: remove its `pending` line" % case["name"])
            print("ok %d - %s%s" % (n, case["name"], todo))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
