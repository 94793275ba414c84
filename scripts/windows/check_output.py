#!/usr/bin/env python3
"""Checks what cccd.exe printed under Wine: the ID number and the Vietnamese name, byte for byte.

Called by build-and-run.sh; each check exits non-zero with the reason. The expected ID number and
name come from `cccd.exe sim show --json` (the simulated card's persona, not read through the
chip); the name is also checked against the chip's own MRZ (DG1), an independent ASCII rendering
of it, so a name mangled on its way (a wrong code page, lost diacritics) cannot pass even if the
persona were mangled the same way.

Usage:
  check_output.py persona PERSONA.json              # prints "ID<TAB>NAME" for the shell
  check_output.py json PERSONA.json READ.json       # read --sim --json
  check_output.py text PERSONA.json READ.txt        # read --sim (the summary)
  check_output.py console PERSONA.json TYPESCRIPT   # the same, through Wine's console (a pty)
  check_output.py dump PERSONA.json DIR             # read --out DIR: files and document.json
"""
import json
import re
import sys
import unicodedata


def fail(msg):
    sys.exit(f"check_output: FAIL: {msg}")


def strict_utf8(raw, what):
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        fail(f"{what} is not UTF-8: {e}")


def load_json(path):
    with open(path, "rb") as f:
        return json.loads(strict_utf8(f.read(), path))


def persona(path):
    p = load_json(path)
    ident, name = p.get("id_number"), p.get("full_name")
    if not (isinstance(ident, str) and re.fullmatch(r"[0-9]{12}", ident)):
        fail(f"persona ID number {ident!r} is not 12 digits")
    check_vietnamese(name, "persona name")
    return ident, name


# Letters only Vietnamese uses among Latin scripts: ă â đ ê ô ơ ư and the precomposed letters
# with two marks (Latin Extended Additional, U+1EA0..U+1EF9).
VIETNAMESE = set("ăâđêôơưĂÂĐÊÔƠƯ") | {chr(c) for c in range(0x1EA0, 0x1EFA)}


def check_vietnamese(name, what):
    if not isinstance(name, str) or not name.strip():
        fail(f"{what} is empty: {name!r}")
    if unicodedata.normalize("NFC", name) != name:
        fail(f"{what} is not NFC (decomposed marks): {name!r}")
    if not any(c in VIETNAMESE for c in name):
        fail(f"{what} has no Vietnamese letter (diacritics lost?): {name!r}")
    # UTF-8 read as Windows-1252 (the classic console mojibake) re-encodes to valid UTF-8.
    try:
        if name.encode("cp1252").decode("utf-8") != name:
            fail(f"{what} is mojibake: {name!r}")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass


def fold(name):
    """The MRZ rendering of a Vietnamese name (ICAO 9303-3 §6: marks dropped, Đ as D)."""
    s = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.upper().split())


def check_document(doc, ident, name, what):
    dg13 = doc.get("dg13") or fail(f"{what}: no DG13")
    if dg13.get("id_number") != ident:
        fail(f"{what}: DG13 ID number {dg13.get('id_number')!r}, expected {ident!r}")
    if dg13.get("full_name") != name:
        fail(f"{what}: DG13 name {dg13.get('full_name')!r}, expected {name!r}")
    mrz = ((doc.get("dg1") or {}).get("mrz")) or fail(f"{what}: no DG1 MRZ")
    if mrz.get("vn_id_number") != ident:
        fail(f"{what}: MRZ ID number {mrz.get('vn_id_number')!r}, expected {ident!r}")
    mrz_name = " ".join(
        f"{mrz.get('primary_identifier', '')} {mrz.get('secondary_identifier', '')}".split()
    )
    if fold(name) != mrz_name:
        fail(f"{what}: name {name!r} folds to {fold(name)!r}, the MRZ says {mrz_name!r}")


def check_json(persona_path, path):
    ident, name = persona(persona_path)
    with open(path, "rb") as f:
        raw = f.read()
    # The bytes themselves: UTF-8, not \u escapes nor a legacy code page.
    if name.encode("utf-8") not in raw:
        fail(f"{path}: the name's UTF-8 bytes are not in the output")
    doc = json.loads(strict_utf8(raw, path))
    check_document(doc, ident, name, path)
    verification = doc.get("verification") or fail(f"{path}: no verification")
    if verification.get("genuine") is not True:
        fail(f"{path}: not genuine: {verification.get('notes')}")
    print(f"check_output: {path}: ID {ident} and name {name} intact, genuine")


def summary_lines(text):
    return [line.rstrip() for line in text.splitlines()]


def check_summary(text, ident, name, what):
    lines = summary_lines(text)
    want = {
        "ID number": ident,
        "Full name": name,
    }
    for label, value in want.items():
        pattern = re.compile(rf"^{label}:\s+{re.escape(value)}$")
        if not any(pattern.match(line) for line in lines):
            got = [line for line in lines if line.startswith(label)]
            fail(f"{what}: no line '{label}: {value}' (got {got!r})")
    if "DOCUMENT: GENUINE" not in lines:
        fail(f"{what}: no 'DOCUMENT: GENUINE' line")


def check_text(persona_path, path):
    ident, name = persona(persona_path)
    with open(path, "rb") as f:
        text = strict_utf8(f.read(), path)
    check_summary(text, ident, name, path)
    print(f"check_output: {path}: summary shows ID {ident} and name {name}, GENUINE")


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")


def check_console(persona_path, path):
    ident, name = persona(persona_path)
    with open(path, "rb") as f:
        raw = strict_utf8(f.read(), path)
    # Wine's console draws with escape sequences; bytes written straight to the pty would not
    # have them, and would not show that the console path (WriteConsoleW) was taken.
    if "\x1b[" not in raw:
        fail(f"{path}: no console escape sequences: stdout was not a Windows console")
    text = ANSI.sub("", raw)
    check_summary(text, ident, name, path)
    print(f"check_output: {path}: the console shows the name {name}")


def check_dump(persona_path, directory):
    import os

    ident, name = persona(persona_path)
    for f in ("COM.bin", "DG1.bin", "DG2.bin", "DG13.bin", "SOD.bin", "document.json"):
        if not os.path.isfile(os.path.join(directory, f)):
            fail(f"{directory}: no {f}")
    doc = load_json(os.path.join(directory, "document.json"))
    check_document(doc, ident, name, os.path.join(directory, "document.json"))
    with open(os.path.join(directory, "DG13.bin"), "rb") as f:
        if name.encode("utf-8") not in f.read():
            fail(f"{directory}/DG13.bin does not hold the name as UTF-8")
    print(f"check_output: {directory}: dump complete, name intact")


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    command, persona_path, *rest = argv[1:]
    if command == "persona" and not rest:
        ident, name = persona(persona_path)
        print(f"{ident}\t{name}")
    elif command == "json" and len(rest) == 1:
        check_json(persona_path, rest[0])
    elif command == "text" and len(rest) == 1:
        check_text(persona_path, rest[0])
    elif command == "console" and len(rest) == 1:
        check_console(persona_path, rest[0])
    elif command == "dump" and len(rest) == 1:
        check_dump(persona_path, rest[0])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
