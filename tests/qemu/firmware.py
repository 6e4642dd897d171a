# SPDX-License-Identifier: GPL-2.0-or-later
"""Test machinery for entries booted through the firmware (BootNext, OsIndications): a tiny EFI
application built with gnu-efi, the partitions of a GPT image, and OVMF's variable store file
read (and, for the harness's own check, written) as the firmware keeps it.

The variable store is the one of edk2's MdeModulePkg (VariableFormat.h, AuthenticatedVariable
format), which OVMF keeps at the start of its OVMF_VARS flash image: a firmware volume header
(its length at offset 0x30), then a VARIABLE_STORE_HEADER (signature GUID, size, format 0x5a,
state 0xfe), then the variables, each an AUTHENTICATED_VARIABLE_HEADER (StartId 0x55aa, State,
Attributes, MonotonicCount, TimeStamp, PubKeyIndex, NameSize, DataSize, VendorGuid), the UCS-2
name and the data, the next header 4-byte aligned. A variable is live while its State is
VAR_ADDED (0x3f); an update adds a new copy and marks the old one deleted, and a copy in deleted
transition (0x3e) counts until a later copy replaces it."""

import fcntl
import hashlib
import json
import os
import shutil
import struct
import subprocess
import uuid

import vm as V

EFI_GLOBAL = uuid.UUID("8be4df61-93ca-11d2-aa0d-00e098032b8c")
ESP_GUID = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"

# ---- the EFI application ----

APP_SOURCE = os.path.join(V.HERE, "efi-app.c")
APP_MARKER = "KEXEC-LOADER-EFI-APP-STARTED"

# gnu-efi as Debian's gnu-efi package installs it (crt0, linker script, libefi, libgnuefi).
GNU_EFI_INCLUDE = "/usr/include/efi"
GNU_EFI_LIBDIRS = ("/usr/lib", "/usr/lib64", "/usr/lib/gnuefi", "/usr/local/lib")


def _gnu_efi():
    for d in GNU_EFI_LIBDIRS:
        files = [os.path.join(d, f) for f in ("crt0-efi-x86_64.o", "elf_x86_64_efi.lds",
                                               "libefi.a", "libgnuefi.a")]
        if all(os.path.exists(f) for f in files):
            return d, files
    return None, None


def efi_app():
    """tests/qemu/efi-app.c built with gnu-efi's recipe (gcc to a relocatable ELF shared object
    over gnu-efi's crt0 and linker script, then objcopy to a PE32+ EFI application, subsystem
    10), once per source and gnu-efi: cached in $KL_QEMU_WORK/efi-app/. Returns the bytes of the
    .efi file. Raises Skip when gnu-efi, gcc or objcopy is missing or the build fails."""
    libdir, files = _gnu_efi()
    missing = [t for t in ("gcc", "ld", "objcopy") if not V.have(t)]
    if libdir is None or not os.path.exists(os.path.join(GNU_EFI_INCLUDE, "efi.h")):
        missing.append("gnu-efi (crt0-efi-x86_64.o, elf_x86_64_efi.lds, libefi.a, libgnuefi.a, "
                       "efi.h)")
    if missing:
        raise V.Skip("cannot build the test EFI application: missing " + ", ".join(missing))
    h = hashlib.sha256()
    for f in [APP_SOURCE] + files:
        with open(f, "rb") as fh:
            h.update(fh.read())
    d = os.path.join(V.WORK, "efi-app")
    os.makedirs(d, exist_ok=True)
    out = os.path.join(d, "app-%s.efi" % h.hexdigest()[:16])
    with open(os.path.join(d, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(out):
            crt0, lds, _, _ = files
            obj, so, tmp = out + ".o", out + ".so", out + ".tmp"
            steps = [
                ["gcc", "-I" + GNU_EFI_INCLUDE, "-I" + GNU_EFI_INCLUDE + "/x86_64", "-O2",
                 "-Wall", "-Wextra", "-Werror", "-fpic", "-ffreestanding", "-fno-stack-protector",
                 "-fno-stack-check", "-fshort-wchar", "-mno-red-zone",
                 "-maccumulate-outgoing-args", "-DGNU_EFI_USE_MS_ABI", "-c", APP_SOURCE,
                 "-o", obj],
                ["ld", "-shared", "-Bsymbolic", "-nostdlib", "-znocombreloc", "-T", lds, crt0,
                 obj, "-o", so, "-L" + libdir, "-lefi", "-lgnuefi"],
                ["objcopy", "-j", ".text", "-j", ".sdata", "-j", ".data", "-j", ".rodata",
                 "-j", ".dynamic", "-j", ".dynsym", "-j", ".rel", "-j", ".rela", "-j", ".rel.*",
                 "-j", ".rela.*", "-j", ".reloc", "--target", "efi-app-x86_64",
                 "--subsystem=10", so, tmp]]
            for cmd in steps:
                p = subprocess.run(cmd, capture_output=True, text=True)
                if p.returncode != 0:
                    raise V.Skip("cannot build the test EFI application: %s failed:\n%s%s"
                                 % (" ".join(cmd), p.stdout, p.stderr))
            os.rename(tmp, out)
            for f in (obj, so):
                os.unlink(f)
            V.log("built the test EFI application with gnu-efi: %s" % out)
    with open(out, "rb") as fh:
        return fh.read()


def app_line(text):
    """The application's line in text (the serial output), as (path, BootCurrent) with the path's
    backslashes kept, or None."""
    i = text.find(APP_MARKER + " path=")
    if i < 0:
        return None
    line = text[i:].split("\n", 1)[0].strip()
    path, _, current = line[len(APP_MARKER + " path="):].rpartition(" BootCurrent=")
    return path, current


# ---- GPT partitions ----

def gpt_partitions(image):
    """The partitions of a GPT image as sfdisk reads them: [{"node", "start", "size", "type",
    "uuid", "name"}] (start and size in 512-byte sectors)."""
    out = V.run(["sfdisk", "--json", image])
    return json.loads(out)["partitiontable"]["partitions"]


# ---- EFI load options (Boot####), UEFI 2.10 §3.1.3 ----

def load_option(description, part, path, number):
    """The payload of a Boot#### variable for path on the GPT partition part (a gpt_partitions
    row, partition number `number`): HD node, FilePath node, End; what efibootmgr writes."""
    hd = struct.pack("<BBHIQQ16sBB", 4, 1, 42, number, part["start"], part["size"],
                     uuid.UUID(part["uuid"]).bytes_le, 2, 2)
    p = (path.replace("/", "\\") + "\0").encode("utf-16-le")
    fp = struct.pack("<BBH", 4, 4, 4 + len(p)) + p
    dp = hd + fp + b"\x7f\xff\x04\x00"
    desc = (description + "\0").encode("utf-16-le")
    return struct.pack("<IH", 1, len(dp)) + desc + dp


def decode_load_option(data):
    """A Boot#### payload as {"attributes", "description", "partuuid" (None without an HD
    node), "partition", "path"}; raises ValueError when it is malformed."""
    attributes, fplen = struct.unpack_from("<IH", data, 0)
    pos = 6
    end = data.find(b"\0\0", pos)
    while end >= 0 and (end - pos) % 2:
        end = data.find(b"\0\0", end + 1)
    if end < 0:
        raise ValueError("no end to the description")
    o = {"attributes": attributes, "description": data[pos:end].decode("utf-16-le"),
         "partuuid": None, "partition": None, "path": ""}
    pos = end + 2
    stop = pos + fplen
    if stop > len(data):
        raise ValueError("device path beyond the option")
    while pos + 4 <= stop:
        t, st, ln = struct.unpack_from("<BBH", data, pos)
        if ln < 4 or pos + ln > stop:
            raise ValueError("bad device path node")
        if (t, st) == (0x7f, 0xff):
            break
        if (t, st) == (4, 1) and ln == 42:
            number, _, _, sig, fmt, sigtype = struct.unpack_from("<IQQ16sBB", data, pos + 4)
            o["partition"] = number
            if fmt == 2 and sigtype == 2:
                o["partuuid"] = str(uuid.UUID(bytes_le=sig))
        elif (t, st) == (4, 4):
            o["path"] += data[pos + 4:pos + ln].decode("utf-16-le").rstrip("\0")
        pos += ln
    return o


# ---- OVMF's variable store ----

AUTH_STORE = uuid.UUID("aaf32c78-947b-439a-a180-2e144ec37792")
PLAIN_STORE = uuid.UUID("ddcf3616-3275-4164-98b6-fe85707ffe7d")
AUTH_HEADER = struct.Struct("<HBBIQ16sIII16s")  # 60 bytes
PLAIN_HEADER = struct.Struct("<HBBIII16s")  # 32 bytes
VAR_ADDED = 0x3f
VAR_IN_DELETED_TRANSITION_ADDED = 0x3e


def _store(data):
    hlen = struct.unpack_from("<H", data, 0x30)[0]
    sig = uuid.UUID(bytes_le=bytes(data[hlen:hlen + 16]))
    if sig not in (AUTH_STORE, PLAIN_STORE):
        raise V.Failure("no EFI variable store after the firmware volume header (%s)" % sig)
    size = struct.unpack_from("<I", data, hlen + 16)[0]
    return hlen + 28, hlen + size, AUTH_HEADER if sig == AUTH_STORE else PLAIN_HEADER


def _walk(data):
    """(offset, state, attributes, guid, name, value) of every variable header in the store, and
    the offset where the free space starts."""
    pos, end, hdr = _store(data)
    out = []
    while pos + hdr.size <= end:
        f = hdr.unpack_from(data, pos)
        if f[0] != 0x55aa:
            break
        state, attributes = f[1], f[3]
        name_size, data_size, guid = f[-3], f[-2], uuid.UUID(bytes_le=f[-1])
        n = pos + hdr.size
        name = bytes(data[n:n + name_size]).decode("utf-16-le", errors="replace").rstrip("\0")
        value = bytes(data[n + name_size:n + name_size + data_size])
        out.append((pos, state, attributes, guid, name, value))
        pos = (n + name_size + data_size + 3) & ~3
    return out, pos


def efi_variables(path):
    """The live variables of an OVMF_VARS image: {(guid, name): (attributes, value)}."""
    with open(path, "rb") as f:
        data = f.read()
    found = {}
    for _, state, attributes, guid, name, value in _walk(data)[0]:
        if state == VAR_ADDED:
            found[(guid, name)] = (attributes, value)
        elif state == VAR_IN_DELETED_TRANSITION_ADDED:
            found.setdefault((guid, name), (attributes, value))
    return found


def boot_options(path):
    """The Boot#### options of an OVMF_VARS image: {number: decoded load option}."""
    out = {}
    for (guid, name), (_, value) in efi_variables(path).items():
        if guid == EFI_GLOBAL and len(name) == 8 and name.startswith("Boot") \
                and all(c in "0123456789ABCDEF" for c in name[4:]):
            try:
                out[int(name[4:], 16)] = decode_load_option(value)
            except (ValueError, struct.error):
                out[int(name[4:], 16)] = None
    return out


def boot_next(path):
    """BootNext of an OVMF_VARS image (the option number), or None when it is not set."""
    v = efi_variables(path).get((EFI_GLOBAL, "BootNext"))
    return struct.unpack("<H", v[1])[0] if v and len(v[1]) == 2 else None


def boot_order(path):
    """BootOrder of an OVMF_VARS image, as a list of option numbers."""
    v = efi_variables(path).get((EFI_GLOBAL, "BootOrder"))
    return list(struct.unpack("<%dH" % (len(v[1]) // 2), v[1][:len(v[1]) // 2 * 2])) if v else []


def set_efi_variable(path, guid, name, value, attributes=0x7):
    """Adds a variable to an OVMF_VARS image that no firmware is running on, as the firmware
    would: a new copy at the start of the free space, an older copy marked deleted. For the
    harness's own check of the application and the ESP (efi_app_boot_next); the scenarios
    leave the writing to kexec-loader."""
    with open(path, "rb") as f:
        data = bytearray(f.read())
    headers, free = _walk(data)
    _, end, hdr = _store(data)
    n = (name + "\0").encode("utf-16-le")
    if hdr is AUTH_HEADER:
        h = hdr.pack(0x55aa, VAR_ADDED, 0, attributes, 0, b"\0" * 16, 0, len(n), len(value),
                     guid.bytes_le)
    else:
        h = hdr.pack(0x55aa, VAR_ADDED, 0, attributes, len(n), len(value), guid.bytes_le)
    record = h + n + value
    if free + len(record) > end:
        raise V.Failure("no room left in the variable store %s" % path)
    for pos, state, _, g, nm, _ in headers:
        if g == guid and nm == name and state in (VAR_ADDED, VAR_IN_DELETED_TRANSITION_ADDED):
            data[pos + 2] = 0x3d  # VAR_DELETED & VAR_ADDED
    data[free:free + len(record)] = record
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, path)


def fresh_vars(path):
    """A copy of OVMF's template variable store (no Secure Boot keys) at path."""
    shutil.copy(V.OVMF_VARS, path)
    return path
