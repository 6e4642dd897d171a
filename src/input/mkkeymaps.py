#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compiles Debian's console keymaps (package console-data) into keymap-data.c, the compact
keyboard layout table of src/input/keymap.c.

The parser is kbd's own loadkeys: `loadkeys -u --mktable FILE` resolves includes, keysym names
and Unicode the way loading the keymap on a console does, and prints the kernel's tables as C
(the format of the kernel's defkeymap.c) without touching any console. This script reads that
output and keeps, per layout and per key code, the characters of the four levels plain, Shift,
AltGr and Shift+AltGr, which keys are letters (Caps Lock), the dead keys and their compose pairs.

Usage: mkkeymaps.py LOADKEYS KEYMAPDIR OUTPUT.c
"""
import re
import subprocess
import sys

# name, keymap under KEYMAPDIR/i386 (without .kmap.gz), description. Latin layouts only: the
# non-Latin keymaps (ru, ua, bg, by, gr, il, ar, fa, th, mk, sr-cy, kk, kg) switch between two
# alphabets with a lock key over eight or more keymap levels, which a four-level table does not
# model, and the menu's commands, paths and most passphrases need the Latin letters anyway. Left
# out for the same reason: cz-lat2 and sk-qwertz, whose national letters sit behind such a lock.
LAYOUTS = [
    ("us", "qwerty/us", "English (US)"),
    ("uk", "qwerty/uk", "English (UK)"),
    ("us-intl", "qwerty/us-intl.iso15", "English (US, international, dead keys)"),
    ("dvorak", "dvorak/dvorak", "English (Dvorak)"),
    ("de", "qwertz/de-latin1", "German (dead keys)"),
    ("de-nodeadkeys", "qwertz/de-latin1-nodeadkeys", "German (no dead keys)"),
    ("ch-de", "qwertz/sg-latin1", "German (Switzerland)"),
    ("ch-fr", "qwertz/fr_CH-latin1", "French (Switzerland)"),
    ("fr", "azerty/fr-latin9", "French"),
    ("be", "azerty/be-latin1", "Belgian"),
    ("ca-fr", "qwerty/cf", "French (Canada)"),
    ("es", "qwerty/es", "Spanish"),
    ("latam", "qwerty/la-latin1", "Spanish (Latin America)"),
    ("pt", "qwerty/pt-latin1", "Portuguese"),
    ("br", "qwerty/br-abnt2", "Portuguese (Brazil, ABNT2)"),
    ("it", "qwerty/it", "Italian"),
    ("nl", "qwerty/nl", "Dutch"),
    ("dk", "qwerty/dk-latin1", "Danish"),
    ("no", "qwerty/no-latin1", "Norwegian"),
    ("se", "qwerty/se-lat6", "Swedish"),
    ("fi", "qwerty/fi-latin1", "Finnish"),
    ("is", "qwerty/is-latin1", "Icelandic"),
    ("et", "qwerty/et", "Estonian"),
    ("lt", "qwerty/lt", "Lithuanian"),
    ("pl", "qwerty/pl", "Polish (programmer's)"),
    ("cz", "qwertz/cz-us-qwertz", "Czech"),
    ("hu", "qwertz/hu", "Hungarian"),
    ("hr", "qwertz/croat", "Croatian"),
    ("si", "qwertz/slovene", "Slovenian"),
    ("ro", "qwerty/ro", "Romanian"),
    ("tr", "qwerty/trq", "Turkish (Q)"),
]

# The kernel's dead keys (KT_DEAD values) and the diacritic each one stands for: ret_diacr[] in
# drivers/tty/vt/keyboard.c.
RET_DIACR = "`'^~\",_U.*=cki#o!?+-)(:n;$@"

LEVELS = 4  # plain, Shift, AltGr, Shift+AltGr: the kernel's keymaps 0 to 3
KT_LATIN, KT_SHIFT, KT_DEAD, KT_LETTER, KT_DEAD2 = 0, 7, 4, 11, 13
DEAD_BASE = 0xF000  # table value of a dead key: DEAD_BASE | diacritic
KEY_RIGHTALT = 100
# The key codes the table covers: the main block's character keys, KEY_102ND (86, left of Z on
# ISO keyboards) and KEY_RO (89, the ABNT2 and JIS key right of the slash). The keypad, which
# gives the same digits and operators in every layout, stays with keymap.c's own table.
CODES = [c for c in range(2, 58) if c not in (14, 15, 28, 29, 42, 54, 55, 56)] + [86, 89]
KG_ALTGR = 1


def mktable(loadkeys, path, extra=()):
    out = subprocess.run([loadkeys, "-u", "--mktable", path, *extra], check=True,
                         capture_output=True, text=True, errors="replace").stdout
    maps = {}
    for m in re.finditer(r"unsigned short (\w+)\[NR_KEYS\] = \{(.*?)\};", out, re.S):
        maps[m.group(1)] = [int(x, 0) for x in re.findall(r"0x[0-9a-fA-F]+|\d+", m.group(2))]
    names = re.search(r"key_maps\[MAX_NR_KEYMAPS\] = \{(.*?)\};", out, re.S).group(1)
    names = [n.strip() for n in names.split(",") if n.strip()]
    levels = []
    for i in range(LEVELS):
        n = names[i] if i < len(names) else "0"
        levels.append(maps.get(n))
    accents = []
    body = re.search(r"accent_table\[MAX_DIACR\] = \{(.*?)\n\};", out, re.S).group(1)
    tok = r"('(?:\\[0-7]{1,3}|\\.|[^'\\])'|0x[0-9a-fA-F]+|\d+)"
    for m in re.finditer(r"\{" + tok + r",\s*" + tok + r",\s*" + tok + r"\}", body):
        accents.append(tuple(c_value(t) for t in m.groups()))
    return levels, accents


def c_value(t):
    if t.startswith("'"):
        s = t[1:-1]
        if s.startswith("\\"):
            if re.fullmatch(r"\\[0-7]{1,3}", s):
                return int(s[1:], 8)
            return ord({"n": "\n", "t": "\t", "r": "\r"}.get(s[1], s[1]))
        return ord(s)
    return int(t, 0)


CURRENCY, EURO = 0xA4, 0x20AC


def entry(v):
    """A kernel keymap value (defkeymap.c format) as (character or dead key, is a letter).
    console-data's euro.inc writes the Euro sign as "currency", the Latin-9 code 0xA4 of a
    Latin-9 console: on a Unicode console that is U+00A4, so it becomes U+20AC here."""
    c, letter = entry_raw(v)
    return (EURO if c == CURRENCY else c), letter


def entry_raw(v):
    if v < 0xF000:  # a Unicode character
        return (v if v >= 0x20 and not 0x7F <= v < 0xA0 else 0), False
    typ, val = (v >> 8) & 0xF, v & 0xFF
    if typ in (KT_LATIN, KT_LETTER):
        if val < 0x20 or 0x7F <= val < 0xA0:
            return 0, False
        return val, typ == KT_LETTER
    if typ == KT_DEAD and val < len(RET_DIACR):
        return DEAD_BASE | ord(RET_DIACR[val]), False
    if typ == KT_DEAD2:
        return DEAD_BASE | val, False
    return 0, False


def is_letter(c, other, flagged):
    """Caps Lock applies: the kernel's letter flag, or (for Unicode entries, which loadkeys
    cannot flag) the other Shift level holds this character's upper or lower case."""
    if flagged:
        return True
    if not c or not other or c >= DEAD_BASE or other >= DEAD_BASE or c == other:
        return False
    a, b = chr(c), chr(other)
    return a.isalpha() and (a.upper() == b or a.lower() == b)


def layout(loadkeys, kdir, source):
    path = "%s/i386/%s.kmap.gz" % (kdir, source)
    levels, accents = mktable(loadkeys, path)
    keys = {}
    altgr = levels[0] is not None and levels[0][KEY_RIGHTALT] == (0xF000 | KT_SHIFT << 8 | KG_ALTGR)
    for code in CODES:
        vals, flags = [], []
        for lv in range(LEVELS):
            e = entry(levels[lv][code]) if levels[lv] else (0, False)
            vals.append(e[0])
            flags.append(e[1])
        if any(vals):
            letter = [is_letter(vals[0], vals[1], flags[0]) or is_letter(vals[1], vals[0], flags[1]),
                      is_letter(vals[2], vals[3], flags[2]) or is_letter(vals[3], vals[2], flags[3])]
            keys[code] = (vals, letter)
    dead = {v & 0xFF for vals, _ in keys.values() for v in vals if v >= DEAD_BASE}
    if dead and not accents:
        # No compose lines: on a console the kernel's own accent table applies, the Latin-1
        # pairs of its defkeymap, which is what kbd's compose.latin1 defines.
        _, accents = mktable(loadkeys, path, ["%s/include/compose.latin1.inc.gz" % kdir])
    compose = sorted({(d, b, r) for d, b, r in accents
                      if d in dead and b < 0x100 and 0x20 <= r < DEAD_BASE})
    return keys, altgr, compose


def c_char(v):
    return "0x%04x" % v


def main():
    loadkeys, kdir, output = sys.argv[1:4]
    data = [(n, src, desc, *layout(loadkeys, kdir, src)) for n, src, desc in LAYOUTS]
    codes = sorted(set().union(*(keys.keys() for _, _, _, keys, _, _ in data)))
    out = []
    w = out.append
    w("/* Generated by src/input/mkkeymaps.py from Debian's console keymaps (console-data) with")
    w(" * `loadkeys -u --mktable`: do not edit. */")
    w('#include "input/keymap.h"')
    w("")
    w("const uint8_t keymap_codes[] = {%s};" % ", ".join(str(c) for c in codes))
    w("const unsigned keymap_n_codes = %d;" % len(codes))
    composes = []
    for n, _, _, keys, _, compose in data:
        ident = re.sub(r"\W", "_", n)
        w("static const uint16_t map_%s[%d] = {" % (ident, LEVELS * len(codes)))
        for lv in range(LEVELS):
            row = [keys[c][0][lv] if c in keys else 0 for c in codes]
            w("        " + ", ".join(c_char(v) for v in row) + ",")
        w("};")
        if compose and compose not in composes:
            composes.append(compose)
    for i, compose in enumerate(composes):
        w("static const struct keymap_compose compose_%d[] = {" % i)
        for d, b, r in compose:
            w("        {%s, %s, %s}," % (c_char(d), c_char(b), c_char(r)))
        w("};")
    w("const struct keymap_layout keymap_layouts[] = {")
    for n, src, desc, keys, altgr, compose in data:
        ident = re.sub(r"\W", "_", n)
        letters = [0, 0]
        for i, c in enumerate(codes):
            for pair in range(2):
                if c in keys and keys[c][1][pair]:
                    if i >= 64:
                        sys.exit("letter key %d beyond the 64 bits of the letter masks" % c)
                    letters[pair] |= 1 << i
        ci = composes.index(compose) if compose else -1
        w('        {"%s", "%s", "%s", map_%s, {0x%xull, 0x%xull}, %s, %d, %s},' %
          (n, desc, src, ident, letters[0], letters[1],
           "compose_%d" % ci if ci >= 0 else "NULL", len(compose), "true" if altgr else "false"))
    w("};")
    w("const unsigned keymap_n_layouts = %d;" % len(data))
    w("")
    with open(output, "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    main()
