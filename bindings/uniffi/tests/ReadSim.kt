// The generated Kotlin against the simulated card, through a transport written in Kotlin (an
// Android app's IsoDep.transceive takes its place). Compiled and run on the JVM by
// bindings/uniffi/tests/kotlin.sh (bindings/test-all.sh runs it in CI).
import vn.cccd.*
import kotlin.system.exitProcess

/** The simulator behind the interface an app implements over IsoDep; `pullAfter` APDUs then the
 *  card leaves the field for good (TagLostException on a phone). */
class SimTransport(private val chip: SimulatedCard, private val pullAfter: Int = Int.MAX_VALUE) :
    CardTransport {
    private var sent = 0
    override fun transceive(apdu: ByteArray): ByteArray {
        if (++sent > pullAfter) throw TransportFailure.CardRemoved("tag lost")
        return chip.transceive(apdu)
    }
    override fun reconnect() {
        if (sent > pullAfter) throw TransportFailure.CardRemoved("tag lost")
        chip.reconnect()
    }
}

var failed = 0

fun check(ok: Boolean, what: String) {
    println((if (ok) "ok   " else "FAIL ") + what)
    if (!ok) failed++
}

fun main() {
    val chip = SimulatedCard(1uL)
    val csca = java.io.File.createTempFile("test-csca", ".der")
    csca.deleteOnExit()
    csca.writeBytes(simulatorCscaCertificate())
    val trust = TrustOptions(trust = listOf(csca.path))
    val options = ReadOptions(trust = trust)

    val doc = readCard(SimTransport(chip), AccessKey.fromIdNumber("040081519573"), options, null, null)
    println("${doc.idNumber} ${doc.fullName} genuine: ${doc.verification?.genuine}")
    check(doc.idNumber == "040081519573", "ID number")
    check(doc.fullName == "Trần Quang Đức Khoa", "the name with its diacritics")
    check(doc.verification?.genuine == true && doc.verification?.dataAuthentic == true, "genuine")
    check(!doc.personalData?.placeOfResidence.isNullOrEmpty(), "DG13: place of residence")
    val face = doc.faceImage
    check(face != null && face.size > 2 && face[0] == 0xFF.toByte() && face[1] == 0xD8.toByte(),
        "the face: ${doc.faceFormat} ${face?.size} bytes")

    // Printing a record (an app's log line) shows its shape, never the holder's data.
    val printed = "$doc ${doc.personalData} ${doc.mrz}"
    check(printed.contains("DG13") && listOf("040081519573", "081519573", "Khoa", "KHOA", "1981")
        .none { printed.contains(it) }, "toString() of Document, PersonalData, Mrz: no personal data")

    // The saved files, verified as a back office does; one byte of DG13 changed is caught.
    val dump = verifyDump(doc.files, trust)
    check(dump.verification?.dataAuthentic == true, "verify ${doc.files.size} saved files")
    val changed = doc.files.toMutableMap()
    val dg13 = changed.getValue("DG13").copyOf()
    dg13[dg13.size - 1] = (dg13[dg13.size - 1].toInt() xor 1).toByte()
    changed["DG13"] = dg13
    val tampered = verifyDump(changed, trust).verification
    check(tampered?.dataAuthentic == false &&
        tampered.findings.any { it.code == "data_group_hash_mismatch" }, "a changed DG13 is caught")

    // A wrong key: the typed exception, the C ABI's exit code 3 and its error JSON.
    try {
        readCard(SimTransport(chip), AccessKey.fromCan("000000"), options, null, null)
        check(false, "wrong key: no exception")
    } catch (e: CccdException.WrongAccessKey) {
        val json = e.toJson()
        println("wrong key: ${e.exitCode()} $json")
        check(e.code == "wrong_access_key" && e.exitCode() == 3 &&
            json.contains("\"code\": \"wrong_access_key\"") && json.contains("\"exit_code\": 3"),
            "wrong key: WrongAccessKey, exit code 3, error JSON")
    }

    // The card pulled away for good in the middle of the read.
    try {
        readCard(SimTransport(SimulatedCard(1uL), pullAfter = 12), AccessKey.fromIdNumber("040081519573"),
            options, null, null)
        check(false, "card pulled away: no exception")
    } catch (e: CccdException.CardLost) {
        check(e.exitCode() == 1, "card pulled away: CardLost (${e.code})")
    }

    // A cloned chip (the data copied, not the chip's key): read, but not genuine.
    val clone = SimulatedCard.withProfile(1uL, "cccd-clone")
    val cloned = readCard(SimTransport(clone), AccessKey.fromIdNumber(clone.persona().idNumber),
        options, null, null).verification
    check(cloned?.genuine == false &&
        cloned.findings.any { it.code == "chip_authentication_failed" }, "a cloned chip is not genuine")

    println(if (failed == 0) "all checks passed" else "$failed CHECKS FAILED")
    exitProcess(if (failed == 0) 0 else 1)
}
