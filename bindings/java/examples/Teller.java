// The example of docs/sdk/java.md (bindings/test-all.sh builds and runs it).
import cccd.*;

public final class Teller {
    public static void main(String[] args) throws Exception {
        Simulator.writeTestCsca("test-csca.der");      // tests only: the simulator's CSCA
        ReadOptions options = new ReadOptions();
        options.trust.add("test-csca.der");            // real cards: the ICAO master list
        try (Simulator card = new Simulator(1)) {      // real cards: your CardTransport
            Document doc = CccdReader.read(AccessKey.idNumber("040081519573"), options, card);
            System.out.println(doc.idNumber + " " + doc.fullName + " " + doc.dateOfBirth);
            System.out.println("genuine: " + doc.verdict.genuine);
            try {
                CccdReader.read(AccessKey.can("000000"), options, card);
            } catch (WrongKeyException e) {
                System.out.println("wrong key (" + e.exitCode() + "): " + e.getMessage());
            }
        }
    }
}
