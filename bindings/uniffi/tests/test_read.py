"""The UniFFI Python module against the simulated card, through a transport written in Python:
the path an Android or iOS app takes (its NFC transceive is the host's CardTransport).

Plain python3, no pytest: `python3 bindings/uniffi/tests/test_read.py` with `cccd` importable
(bindings/test-all.sh puts the generated module beside libcccd_uniffi.so on PYTHONPATH, then
runs it again against the package `pip install ./bindings/python` installed). Exits 1 on the
first failed check.
"""

import json
import os
import sys
import tempfile
import threading

import cccd

failed = False


def check(ok, what):
    global failed
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failed = True


class SimTransport(cccd.CardTransport):
    """A host's transport: here it hands the APDUs to the simulator; on a phone, to IsoDep."""

    def __init__(self, card, pull_after=None):
        self.card = card
        self.apdus = 0
        self.reconnects = 0
        self.pull_after = pull_after

    def transceive(self, apdu):
        self.apdus += 1
        if self.pull_after is not None and self.apdus > self.pull_after:
            raise cccd.TransportFailure.CardRemoved("the card left the field")
        return self.card.transceive(apdu)

    def reconnect(self):
        self.reconnects += 1
        if self.pull_after is not None and self.apdus > self.pull_after:
            raise cccd.TransportFailure.CardRemoved("the card left the field")
        self.card.reconnect()


class Broken(cccd.CardTransport):
    """A transport whose transceive raises an exception UniFFI does not know."""

    def transceive(self, apdu):
        raise ValueError("a bug in the host's transport")

    def reconnect(self):
        pass


class Progress(cccd.ReadProgress):
    def __init__(self):
        self.events = []

    def on_progress(self, file, file_read, file_total, session_read):
        self.events.append((file, file_read, file_total, session_read))


def main():
    print("cccd " + cccd.version())
    tmp = tempfile.mkdtemp(prefix="cccd-uniffi-")
    csca = os.path.join(tmp, "test-csca.der")
    with open(csca, "wb") as f:
        f.write(cccd.simulator_csca_certificate())
    options = cccd.ReadOptions(trust=cccd.TrustOptions(trust=[csca]))

    card = cccd.SimulatedCard(1)
    persona = card.persona()
    transport = SimTransport(card)
    progress = Progress()
    doc = cccd.read_card(transport, cccd.AccessKey.from_id_number(persona.id_number),
                         options, progress, None)
    check(doc.id_number == persona.id_number == "040081519573",
          "ID number " + str(doc.id_number))
    # The C# and Java tests expect the same name for seed 1: an independent expectation.
    check(doc.full_name == "Trần Quang Đức Khoa", "name " + str(doc.full_name))
    check(doc.full_name == persona.full_name and "Đ" in doc.full_name,
          "the name keeps its diacritics")
    v = doc.verification
    check(v is not None and v.genuine and v.data_authentic, "verdict: genuine")
    check(v is not None and v.signature_valid and v.chain_valid and v.hashes_valid
          and v.chip_authenticated,
          "verdict parts: signature, chain, hashes, chip authentication")
    check(doc.personal_data is not None and doc.personal_data.date_of_birth == "31/03/1981"
          and doc.personal_data.sex == "Nam",
          "DG13: %s, %s" % (doc.personal_data.date_of_birth, doc.personal_data.sex))
    check(doc.mrz is not None and doc.mrz.document_number == persona.id_number[3:],
          "MRZ document number: the last 9 digits of the ID")
    face = doc.face_image or b""
    check(doc.face_format == "JPEG" and face[:3] == b"\xff\xd8\xff",
          "face image: %s, %d bytes" % (doc.face_format, len(face)))
    check(any(e[0] == "DG2" for e in progress.events) and progress.events[-1][3] > 0,
          "progress: %d events" % len(progress.events))
    check(transport.reconnects >= 1, "the read power-cycled the card first")
    check('"schema": "cccd-document/1"' in doc.json, "the JSON document is attached")
    # Printing a record (an app's log line) shows its shape, never the holder's data.
    printed = " ".join([str(doc), repr(doc), str(doc.personal_data), repr(doc.mrz)])
    secrets = [persona.id_number, persona.id_number[-9:], "Khoa", "KHOA", "1981", "810331",
               "Nam Định"]
    check("DG13" in printed and "genuine: Some(true)" in printed
          and not any(s in printed for s in secrets),
          "str()/repr() of Document, PersonalData, Mrz hold no personal data")

    # A wrong CAN: the typed exception, with the CLI's code.
    try:
        cccd.read_card(SimTransport(card), cccd.AccessKey.from_can("000000"), options, None, None)
        check(False, "wrong CAN: no exception")
    except cccd.CccdError.WrongAccessKey as e:
        check(e.code == "wrong_access_key", "wrong CAN: WrongAccessKey (%s)" % e.code)
        # The C ABI's and the CLI's exit code and error JSON, from the same exception.
        report = json.loads(e.to_json())
        check(e.exit_code() == 3 and report["exit_code"] == 3
              and report["error"]["code"] == "wrong_access_key"
              and report["schema"] == "cccd-document/1" and report["error"]["message"],
              "wrong CAN: exit code %d, error JSON %s" % (e.exit_code(), report["error"]["code"]))

    # A malformed key is refused before any APDU.
    try:
        cccd.AccessKey.from_can("12345")
        check(False, "malformed CAN: no exception")
    except cccd.CccdError.InvalidInput as e:
        check(e.code == "access_key" and "12345" not in str(e) and "12345" not in e.to_json()
              and e.exit_code() == 2,
              "malformed CAN: InvalidInput, exit code 2, the value not echoed")

    # The card pulled away in the middle of the read.
    try:
        cccd.read_card(SimTransport(card, pull_after=12),
                       cccd.AccessKey.from_id_number(persona.id_number), options, None, None)
        check(False, "card pulled away: no exception")
    except cccd.CccdError.CardLost as e:
        check(True, "card pulled away: CardLost (%s)" % e.code)

    # An unexpected exception in the host's transport becomes a typed error, not a crash.
    try:
        cccd.read_card(Broken(), cccd.AccessKey.from_can("123456"), options, None, None)
        check(False, "broken transport: no exception")
    except cccd.CccdError.Transport as e:
        check("ValueError" in str(e) or "host's transport" in str(e),
              "broken transport: Transport error")

    # Cancel from another thread before the read starts its APDUs.
    cancel = cccd.CancelHandle()
    t = threading.Thread(target=cancel.cancel)
    t.start()
    t.join()
    try:
        cccd.read_card(SimTransport(card), cccd.AccessKey.from_id_number(persona.id_number),
                       options, None, cancel)
        check(False, "cancelled: no exception")
    except cccd.CccdError.Cancelled:
        check(True, "cancelled: Cancelled")

    # A cloned chip: read, but not genuine, and the verdict says why.
    clone = cccd.SimulatedCard.with_profile(1, "cccd-clone")
    cloned = cccd.read_card(SimTransport(clone),
                            cccd.AccessKey.from_id_number(clone.persona().id_number),
                            options, None, None)
    codes = [f.code for f in cloned.verification.findings]
    check(not cloned.verification.genuine and "chip_authentication_failed" in codes,
          "cloned chip: not genuine (%s)" % ", ".join(codes))

    # A saved dump: written to disk as files, read back, verified.
    dump = os.path.join(tmp, "dump")
    os.mkdir(dump)
    for name, raw in doc.files.items():
        with open(os.path.join(dump, name + ".bin"), "wb") as f:
            f.write(raw)
    files = {}
    for entry in sorted(os.listdir(dump)):
        with open(os.path.join(dump, entry), "rb") as f:
            files[entry[:-4]] = f.read()
    trust = cccd.TrustOptions(trust=[csca])
    verified = cccd.verify_dump(files, trust)
    check(verified.verification.data_authentic and verified.id_number == persona.id_number,
          "verify %d saved files: data authentic" % len(files))
    # A changed DG13 (one byte of the name): the hash no longer matches.
    changed = dict(files)
    dg13 = bytearray(changed["DG13"])
    dg13[-1] ^= 0x01
    changed["DG13"] = bytes(dg13)
    tampered = cccd.verify_dump(changed, trust).verification
    codes = [f.code for f in tampered.findings]
    check(not tampered.data_authentic and "data_group_hash_mismatch" in codes,
          "a changed DG13: data_group_hash_mismatch")
    try:
        cccd.verify_dump({"DG1": files["DG1"]}, trust)
        check(False, "no SOD: no exception")
    except cccd.CccdError.InvalidInput:
        check(True, "no SOD: InvalidInput")

    print("all checks passed" if not failed else "SOME CHECKS FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
