package cccd;

import com.sun.jna.Pointer;

/** A teller's Cancel button: {@link #cancel()} from any thread stops the reads that use this
 * token before their next APDU (a {@link CccdException} with code "cancelled"). A token stays
 * cancelled; close it once no read uses it. */
public final class CancelToken implements AutoCloseable {
    private Pointer token;

    /** A token not yet cancelled. */
    public CancelToken() {
        token = CccdNative.LIB.cccd_cancel_token_new();
        if (token == null) throw new OutOfMemoryError("cccd_cancel_token_new");
    }

    /** Cancels the reads that use this token. */
    public synchronized void cancel() {
        if (token != null) CccdNative.LIB.cccd_cancel(token);
    }

    synchronized Pointer pointer() {
        if (token == null) throw new IllegalStateException("the cancel token is closed");
        return token;
    }

    /** Frees the native token; no read may use it any more. */
    @Override public synchronized void close() {
        CccdNative.LIB.cccd_cancel_token_free(token);
        token = null;
    }
}
