// The Java binding's test: reads the native simulator through the transmit callback (native ->
// Java CardTransport -> native simulator, the path a javax.smartcardio or NFC transport takes),
// checks the ID number, the name with its diacritics and the verdict, then a wrong key, a
// cloned chip, a cancel, a transport that throws, concurrent reads, and a verification.
// Build and run (bindings/test-all.sh does this):
//   javac -cp /usr/share/java/jna.jar -d out bindings/java/src/cccd/*.java bindings/java/tests/CccdTest.java
//   java -cp out:/usr/share/java/jna.jar -Djna.library.path=target/release CccdTest

import cccd.AccessKey;
import cccd.CancelToken;
import cccd.CardTransport;
import cccd.CccdException;
import cccd.CccdReader;
import cccd.Document;
import cccd.ReadOptions;
import cccd.Simulator;
import cccd.WrongKeyException;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class CccdTest {
    static int failures;
    static final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    static void check(boolean ok, String what) {
        out.println((ok ? "ok    " : "FAIL  ") + what);
        if (!ok) failures++;
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    static <T extends Exception> T expect(Class<T> type, Supplier<Document> read) {
        try {
            read.get();
        } catch (Exception e) {
            if (type.isInstance(e)) return type.cast(e);
            out.println("unexpected " + e);
        }
        return null;
    }

    /** A transport that fails as a pulled card does, from its n-th APDU. */
    static final class PulledAway implements CardTransport {
        final CardTransport inner;
        int left;

        PulledAway(CardTransport inner, int apdus) {
            this.inner = inner;
            this.left = apdus;
        }

        @Override public byte[] transmit(byte[] apdu) throws Exception {
            if (left-- <= 0) throw new IOException("the card was pulled away");
            return inner.transmit(apdu);
        }
    }

    public static void main(String[] args) throws Exception {
        out.println("cccd " + CccdReader.version());
        File csca = File.createTempFile("cccd-java-test-csca", ".der");
        Simulator.writeTestCsca(csca.getPath());
        ReadOptions options = new ReadOptions();
        options.trust.add(csca.getPath());
        options.extendedLength = true; // the simulator carries them; the concurrent reads below do not use them
        ReadOptions shortApdus = new ReadOptions();
        shortApdus.trust.add(csca.getPath());

        try (Simulator sim = new Simulator(1)) {
            String persona = sim.personaJson();
            String id = field(persona, "id_number"), name = field(persona, "full_name"), can = field(persona, "can");
            AtomicInteger events = new AtomicInteger();
            Document doc = CccdReader.read(AccessKey.idNumber(id), options, sim, p -> events.incrementAndGet(), null);
            check(id.equals(doc.idNumber), "ID number " + doc.idNumber);
            check(name.equals(doc.fullName), "name " + doc.fullName);
            check(doc.fullName != null && !doc.fullName.chars().allMatch(c -> c < 0x80), "the name keeps its diacritics");
            check(doc.verdict != null && doc.verdict.genuine && doc.verdict.dataAuthentic, "verdict: genuine");
            check(doc.faceImage != null && doc.faceImage.length > 1000 && (doc.faceImage[0] & 0xFF) == 0xFF
                    && (doc.faceImage[1] & 0xFF) == 0xD8,
                "face image: JPEG, " + (doc.faceImage == null ? 0 : doc.faceImage.length) + " bytes");
            check(events.get() > 3, "progress: " + events.get() + " events");
            out.println("      " + doc.dateOfBirth + ", " + doc.sex + ", " + doc.placeOfResidence);

            // A wrong CAN: WrongKeyException, code 3, and the key is not in the message.
            StringBuilder w = new StringBuilder();
            for (char c : can.toCharArray()) w.append((char) ('0' + (c - '0' + 1) % 10));
            String wrong = w.toString();
            WrongKeyException wk = expect(WrongKeyException.class, () -> CccdReader.read(AccessKey.can(wrong), options, sim));
            check(wk != null && wk.exitCode() == 3 && "wrong_access_key".equals(wk.code()) && !wk.getMessage().contains(wrong),
                "wrong CAN: " + (wk == null ? "no exception" : wk.code() + " (" + wk.exitCode() + "): " + wk.getMessage()));
            check(wk != null && wk.errorJson() != null && wk.errorJson().contains("\"code\": \"wrong_access_key\"")
                    && wk.errorJson().contains("\"exit_code\": 3") && !wk.errorJson().contains(wrong),
                "wrong CAN: the error JSON, exit_code 3");

            // A malformed request: code bad_request, exit code 2.
            CccdException bad = expect(CccdException.class, () -> CccdReader.readJson("{\"can\": \"12\"}", sim, null, null, false));
            check(bad != null && "bad_request".equals(bad.code()) && bad.exitCode() == 2,
                "malformed request: " + (bad == null ? "none" : bad.getMessage()));

            // The card pulled away: the host's exception is the cause.
            CccdException pulled = expect(CccdException.class,
                () -> CccdReader.read(AccessKey.idNumber(id), options, new PulledAway(sim, 10)));
            check(pulled != null && "transport".equals(pulled.code()) && pulled.getCause() instanceof IOException,
                "card pulled away: " + (pulled == null ? "none" : pulled.code() + ": " + pulled.getMessage()));

            // A teller presses Cancel.
            try (CancelToken cancel = new CancelToken()) {
                cancel.cancel();
                CccdException c = expect(CccdException.class,
                    () -> CccdReader.read(AccessKey.idNumber(id), options, sim, null, cancel));
                check(c != null && "cancelled".equals(c.code()), "cancelled: " + (c == null ? "none" : c.getMessage()));
            }

            // The read files verified again, as a back office verifies a phone's upload.
            Map<String, byte[]> files = new LinkedHashMap<>(doc.files);
            Document verified = CccdReader.verify(files, options.trust);
            check(verified.verdict.dataAuthentic && name.equals(verified.fullName), "verify " + files.size() + " files: data authentic");
            byte[] dg13 = files.get("DG13");
            dg13[dg13.length - 1] ^= 1;
            Document changed = CccdReader.verify(files, options.trust);
            check(!changed.verdict.dataAuthentic && !changed.verdict.findings.isEmpty(),
                "a changed DG13: " + (changed.verdict.findings.isEmpty() ? "no finding" : changed.verdict.findings.get(0).code));
        }

        // A cloned chip: read, but not genuine (no exception: the teller sees why).
        try (Simulator clone = new Simulator(4, "cccd-clone")) {
            String id = field(clone.personaJson(), "id_number");
            Document doc = CccdReader.read(AccessKey.idNumber(id), options, clone);
            List<String> codes = new ArrayList<>();
            if (doc.verdict != null) doc.verdict.findings.forEach(f -> codes.add(f.code));
            check(doc.verdict != null && !doc.verdict.genuine && doc.verdict.dataAuthentic,
                "cloned chip: not genuine " + codes);
        }

        // Concurrent reads on different simulators.
        AtomicInteger good = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (long seed = 100; seed < 104; seed++) {
            long s = seed;
            Thread t = new Thread(() -> {
                try (Simulator sim = new Simulator(s)) {
                    String id = field(sim.personaJson(), "id_number");
                    Document doc = CccdReader.read(AccessKey.idNumber(id), shortApdus, sim);
                    if (id.equals(doc.idNumber) && doc.verdict.genuine) good.incrementAndGet();
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        check(good.get() == 4, "4 concurrent reads (short APDUs): " + good.get() + " genuine");

        csca.delete();
        out.println(failures == 0 ? "all checks passed" : failures + " check(s) FAILED");
        System.exit(failures == 0 ? 0 : 1);
    }
}
