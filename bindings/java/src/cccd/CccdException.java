package cccd;

/** A read or a verification failed; {@link #code()} is the library's error code. */
public class CccdException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final int exitCode;

    /** Makes one from an error JSON's fields. */
    public CccdException(String code, String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.exitCode = exitCode;
    }

    /** The library's error code ("transport", "bad_request", "cancelled"). */
    public String code() { return code; }

    /** The CLI's exit code (1, 2, 3). */
    public int exitCode() { return exitCode; }
}
