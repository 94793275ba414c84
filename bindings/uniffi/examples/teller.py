"""docs/sdk/python.md's example: read a card through a transport written in Python, then
verify the saved files as a back office would."""
import cccd

open("test-csca.der", "wb").write(cccd.simulator_csca_certificate())  # tests only


class Card(cccd.CardTransport):            # real cards: pyscard, or a phone's NFC
    def __init__(self, chip): self.chip = chip
    def transceive(self, apdu): return self.chip.transceive(apdu)
    def reconnect(self): self.chip.reconnect()


card = Card(cccd.SimulatedCard(1))
options = cccd.ReadOptions(trust=cccd.TrustOptions(trust=["test-csca.der"]))
doc = cccd.read_card(card, cccd.AccessKey.from_id_number("040081519573"), options, None, None)
print(doc.id_number, doc.full_name, doc.date_of_birth, doc.personal_data.place_of_residence)
print("genuine:", doc.verification.genuine, "face:", doc.face_format, len(doc.face_image), "bytes")
dump = cccd.verify_dump(doc.files, cccd.TrustOptions(trust=["test-csca.der"]))
print("dump of", len(doc.files), "files, data authentic:", dump.verification.data_authentic)
try:
    cccd.read_card(card, cccd.AccessKey.from_can("000000"), options, None, None)
except cccd.CccdError.WrongAccessKey as e:
    print("wrong key:", e.exit_code(), e.to_json())
