package cccd;

/** A read or a verification failed; {@link #code()} is the library's error code. */
public class CccdException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final int exitCode;
    private final String errorJson;

    /** Makes one from an error JSON's fields. */
    public CccdException(String code, String message, int exitCode, Throwable cause) {
        this(code, message, exitCode, cause, null);
    }

    /** Makes one from an error JSON's fields, keeping the JSON itself. */
    public CccdException(String code, String message, int exitCode, Throwable cause, String errorJson) {
        super(message, cause);
        this.code = code;
        this.exitCode = exitCode;
        this.errorJson = errorJson;
    }

    /** The library's error code ("transport", "bad_request", "cancelled"). */
    public String code() { return code; }

    /** The CLI's exit code (1, 2, 3). */
    public int exitCode() { return exitCode; }

    /**
     * The error JSON the library returned ({"schema", "error": {"code", "message"}, "exit_code"},
     * as {@code cccd read --json} prints it), to log or forward as is; null when the failure
     * happened on this side of the native call.
     */
    public String errorJson() { return errorJson; }
}
