package cccd;

import com.sun.jna.Callback;
import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The C ABI (bindings/c/cccd.h), one to one. The library is found by its name "cccd_ffi"
 * (jna.library.path, or the system's loader path). */
interface CccdNative extends Library {
    CccdNative LIB = Native.load("cccd_ffi", CccdNative.class);

    int CCCD_GENUINE = 0;
    int CCCD_FAILURE = 1;
    int CCCD_USAGE = 2;
    int CCCD_WRONG_KEY = 3;
    int CCCD_NOT_GENUINE = 4;
    int CCCD_TRANSMIT_OK = 0;
    int CCCD_TRANSMIT_FAILED = 4;
    int CCCD_TRANSPORT_EXTENDED_LENGTH = 1;
    int CCCD_RESPONSE_CAPACITY = 65538;

    /** C size_t. */
    final class SizeT extends IntegerType {
        private static final long serialVersionUID = 1L;
        public SizeT() { this(0); }
        public SizeT(long value) { super(Native.SIZE_T_SIZE, value, true); }
    }

    /** cccd_transmit_fn. */
    interface TransmitFn extends Callback {
        int invoke(Pointer ctx, Pointer apdu, SizeT apduLen, Pointer resp, SizeT respCap, Pointer respLen);
    }

    /** cccd_progress_fn. */
    interface ProgressFn extends Callback {
        void invoke(Pointer ctx, Pointer file, long fileRead, long fileTotal, long sessionRead);
    }

    Pointer cccd_version();
    int cccd_read_ex(byte[] request, TransmitFn transmit, Pointer ctx, int flags, ProgressFn progress,
                     Pointer progressCtx, Pointer cancel, PointerByReference result);
    int cccd_verify(byte[] request, PointerByReference result);
    void cccd_string_free(Pointer s);
    Pointer cccd_cancel_token_new();
    void cccd_cancel(Pointer token);
    void cccd_cancel_token_free(Pointer token);
    Pointer cccd_sim_new_profile(long seed, byte[] profile);
    int cccd_sim_persona(Pointer sim, PointerByReference json);
    int cccd_sim_write_csca(byte[] path);
    int cccd_sim_transmit(Pointer sim, byte[] apdu, SizeT apduLen, byte[] resp, SizeT respCap, Pointer respLen);
    void cccd_sim_free(Pointer sim);
    int cccd_face_image(byte[] dg2, SizeT len, PointerByReference image, Pointer imageLen);
    void cccd_bytes_free(Pointer bytes, SizeT len);

    /** A NUL-terminated UTF-8 copy (the ABI's strings are UTF-8 on every OS). */
    static byte[] utf8z(String s) {
        if (s == null) return null;
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(b, b.length + 1);
    }

    /** A NUL-terminated UTF-8 string of the library. */
    static String utf8(Pointer p) {
        return p == null ? null : p.getString(0, "UTF-8");
    }

    /** Copies a returned string and frees it. */
    static String take(PointerByReference ref) {
        Pointer p = ref.getValue();
        try {
            return utf8(p);
        } finally {
            LIB.cccd_string_free(p);
        }
    }

    static long readSize(Pointer p) {
        return Native.SIZE_T_SIZE == 8 ? p.getLong(0) : p.getInt(0) & 0xFFFFFFFFL;
    }

    static void writeSize(Pointer p, long v) {
        if (Native.SIZE_T_SIZE == 8) p.setLong(0, v); else p.setInt(0, (int) v);
    }
}
