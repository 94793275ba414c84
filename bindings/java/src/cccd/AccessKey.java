package cccd;

import java.util.Objects;

/** The key that opens the chip: what the teller types or scans. */
public final class AccessKey {
    private final String field, value, dateOfBirth, dateOfExpiry;

    private AccessKey(String field, String value, String dateOfBirth, String dateOfExpiry) {
        this.field = field;
        this.value = Objects.requireNonNull(value, field);
        this.dateOfBirth = dateOfBirth;
        this.dateOfExpiry = dateOfExpiry;
    }

    /** The 12-digit ID number (PACE with the CAN, its last 6 digits). */
    public static AccessKey idNumber(String idNumber) { return new AccessKey("id_number", idNumber, null, null); }

    /** The 12-digit ID number with the dates (YYMMDD; "<<<<<<" for no expiry): the MRZ key. */
    public static AccessKey idNumberAndDates(String idNumber, String dateOfBirth, String dateOfExpiry) {
        return new AccessKey("id_number", idNumber, Objects.requireNonNull(dateOfBirth), Objects.requireNonNull(dateOfExpiry));
    }

    /** A card access number (6 digits). */
    public static AccessKey can(String can) { return new AccessKey("can", can, null, null); }

    /** The MRZ as printed (TD1 or TD3 lines). */
    public static AccessKey mrz(String mrz) { return new AccessKey("mrz", mrz, null, null); }

    /** The text of the card's QR code. */
    public static AccessKey qr(String qr) { return new AccessKey("qr", qr, null, null); }

    void writeJson(StringBuilder json) {
        Json.member(json, field, value);
        if (dateOfBirth != null) Json.member(json, "date_of_birth", dateOfBirth);
        if (dateOfExpiry != null) Json.member(json, "date_of_expiry", dateOfExpiry);
    }

    /** Never shows the key (it opens the chip). */
    @Override public String toString() { return "AccessKey(" + field + ", ***)"; }
}
