package cccd;

/** The card refused the key: a wrong CAN or MRZ data, or another card (code 3). */
public final class WrongKeyException extends CccdException {
    private static final long serialVersionUID = 1L;

    /** Makes one from an error JSON's fields. */
    public WrongKeyException(String code, String message) {
        this(code, message, null);
    }

    /** Makes one from an error JSON's fields, keeping the JSON itself. */
    public WrongKeyException(String code, String message, String errorJson) {
        super(code, message, CccdNative.CCCD_WRONG_KEY, null, errorJson);
    }
}
