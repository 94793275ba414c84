package cccd;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;

/** The simulated CCCD chip of the native library, for a host's own tests. */
public final class Simulator implements CardTransport, AutoCloseable {
    private Pointer sim;
    private final byte[] buffer = new byte[CccdNative.CCCD_RESPONSE_CAPACITY];
    private final Memory len = new Memory(8);

    /** A simulated CCCD whose holder derives from {@code seed}. */
    public Simulator(long seed) {
        this(seed, "cccd");
    }

    /** A simulated card of a profile: "cccd", "cccd-clone" (a copy on another chip: not
     * genuine), "bsi", "passport". */
    public Simulator(long seed, String profile) {
        sim = CccdNative.LIB.cccd_sim_new_profile(seed, CccdNative.utf8z(profile));
        if (sim == null) throw new IllegalArgumentException("unknown simulator profile: " + profile);
    }

    /** The holder (the expected values of a test), as JSON. */
    public synchronized String personaJson() {
        PointerByReference json = new PointerByReference();
        if (CccdNative.LIB.cccd_sim_persona(live(), json) != CccdNative.CCCD_GENUINE)
            throw new IllegalStateException("cccd_sim_persona failed");
        return CccdNative.take(json);
    }

    /** Writes the simulator's test CSCA (DER): a trust source for tests, never for real cards. */
    public static void writeTestCsca(String path) throws IOException {
        if (CccdNative.LIB.cccd_sim_write_csca(CccdNative.utf8z(path)) != CccdNative.CCCD_GENUINE)
            throw new IOException("cannot write the test CSCA to " + path);
    }

    /** Answers one APDU, as a card does. */
    @Override public synchronized byte[] transmit(byte[] apdu) throws IOException {
        int rc = CccdNative.LIB.cccd_sim_transmit(live(), apdu, new CccdNative.SizeT(apdu.length), buffer,
            new CccdNative.SizeT(buffer.length), len);
        if (rc != CccdNative.CCCD_TRANSMIT_OK) throw new IOException("the simulator failed (" + rc + ")");
        return java.util.Arrays.copyOf(buffer, (int) CccdNative.readSize(len));
    }

    /** Power-cycles the simulated card. */
    @Override public synchronized boolean reconnect() {
        return CccdNative.LIB.cccd_sim_transmit(live(), new byte[0], new CccdNative.SizeT(0), buffer,
            new CccdNative.SizeT(buffer.length), len) == CccdNative.CCCD_TRANSMIT_OK;
    }

    private Pointer live() {
        if (sim == null) throw new IllegalStateException("the simulator is closed");
        return sim;
    }

    /** Frees the native simulator. */
    @Override public synchronized void close() {
        CccdNative.LIB.cccd_sim_free(sim);
        sim = null;
    }
}
