// The generated Kotlin against the simulated card, through a transport written in Kotlin (an
// Android app's IsoDep.transceive takes its place). Compiled and run by
// bindings/uniffi/tests/kotlin.sh where a Kotlin compiler is installed.
import vn.cccd.*
import kotlin.system.exitProcess

class SimTransport(private val chip: SimulatedCard) : CardTransport {
    override fun transceive(apdu: ByteArray): ByteArray = chip.transceive(apdu)
    override fun reconnect() = chip.reconnect()
}

fun main() {
    val chip = SimulatedCard(1uL)
    val csca = java.io.File.createTempFile("test-csca", ".der")
    csca.writeBytes(simulatorCscaCertificate())
    val options = ReadOptions(trust = TrustOptions(trust = listOf(csca.path)))
    val doc = readCard(SimTransport(chip), AccessKey.fromIdNumber("040081519573"), options, null, null)
    println("${doc.idNumber} ${doc.fullName} genuine: ${doc.verification?.genuine}")
    var ok = doc.idNumber == "040081519573" && doc.fullName == "Trần Quang Đức Khoa" &&
        doc.verification?.genuine == true
    try {
        readCard(SimTransport(chip), AccessKey.fromCan("000000"), options, null, null)
        ok = false
    } catch (e: CccdException.WrongAccessKey) {
        println("wrong key: ${e.code}")
    }
    exitProcess(if (ok) 0 else 1)
}
