package cccd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a teller shows: the holder's data as the chip holds it (DG13, else the MRZ), and the
 * verdict. Fields are null when the chip does not hold them. */
public final class Document {
    /** The 12-digit ID number (DG13), or the document number of a passport. */
    public String idNumber;
    /** The full name with its diacritics (DG13), or the MRZ name. */
    public String fullName;
    /** dd/MM/yyyy as the chip holds it (DG13), or YYMMDD (MRZ). */
    public String dateOfBirth;
    /** Nam / Nữ (DG13), or M/F (MRZ). */
    public String sex;
    /** Nationality. */
    public String nationality;
    /** Ethnicity (DG13). */
    public String ethnicity;
    /** Religion (DG13). */
    public String religion;
    /** Place of origin (DG13). */
    public String placeOfOrigin;
    /** Place of residence (DG13). */
    public String placeOfResidence;
    /** Identifying marks (DG13). */
    public String identifyingMarks;
    /** Date of issue (DG13). */
    public String dateOfIssue;
    /** Date of expiry, possibly text ("Không thời hạn"). */
    public String dateOfExpiry;
    /** The old 9-digit ID (CMND). */
    public String oldIdNumber;
    /** Father's name (DG13). */
    public String fatherName;
    /** Mother's name (DG13). */
    public String motherName;
    /** The MRZ (DG1) as one string. */
    public String mrz;
    /** The face image as the chip stores it (JPEG or JPEG 2000), or null. */
    public byte[] faceImage;
    /** The raw files read, by name ("SOD", "DG1", "DG13"...): the dump a back office archives
     * and verifies again with {@link CccdReader#verify}. */
    public Map<String, byte[]> files = new LinkedHashMap<>();
    /** The verdict, or null when no trust source was given. */
    public Verdict verdict;
    /** The whole answer (schema/cccd-document.schema.json), for the archive. */
    public String json;

    /** The verdict: genuine only when the data is signed by a trusted issuer and the chip
     * proved it is not a copy. */
    public static final class Verdict {
        /** Authentic data on the original chip. */
        public boolean genuine;
        /** The data is signed by a trusted issuer and unchanged. */
        public boolean dataAuthentic;
        /** Why, when not genuine (and notes when it is). */
        public List<Finding> findings = Collections.emptyList();
    }

    /** One reason for the verdict. */
    public static final class Finding {
        /** A stable code ("data_group_hash_mismatch", "chip_authentication_failed"). */
        public String code;
        /** data, chip or info. */
        public String kind;
        /** For people. */
        public String message;

        @Override public String toString() { return code + ": " + message; }
    }

    static Document fromAnswer(Map<String, Object> root, String json) {
        Document d = new Document();
        d.json = json;
        Map<String, Object> mrz = Json.obj(Json.obj(root, "dg1"), "mrz");
        if (mrz != null) {
            d.idNumber = Json.str(mrz, "vn_id_number") != null ? Json.str(mrz, "vn_id_number") : Json.str(mrz, "document_number");
            d.fullName = (Json.str(mrz, "secondary_identifier") + " " + Json.str(mrz, "primary_identifier")).trim();
            d.dateOfBirth = Json.str(mrz, "date_of_birth");
            d.dateOfExpiry = Json.str(mrz, "date_of_expiry");
            d.sex = Json.str(mrz, "sex");
            d.nationality = Json.str(mrz, "nationality");
            d.mrz = Json.str(mrz, "raw");
        }
        Map<String, Object> dg13 = Json.obj(root, "dg13");
        if (dg13 != null) {
            d.idNumber = or(Json.str(dg13, "id_number"), d.idNumber);
            d.fullName = or(Json.str(dg13, "full_name"), d.fullName);
            d.dateOfBirth = or(Json.str(dg13, "date_of_birth"), d.dateOfBirth);
            d.sex = or(Json.str(dg13, "sex"), d.sex);
            d.nationality = or(Json.str(dg13, "nationality"), d.nationality);
            d.ethnicity = Json.str(dg13, "ethnicity");
            d.religion = Json.str(dg13, "religion");
            d.placeOfOrigin = Json.str(dg13, "place_of_origin");
            d.placeOfResidence = Json.str(dg13, "place_of_residence");
            d.identifyingMarks = Json.str(dg13, "identifying_marks");
            d.dateOfIssue = Json.str(dg13, "date_of_issue");
            d.dateOfExpiry = or(Json.str(dg13, "date_of_expiry"), d.dateOfExpiry);
            d.oldIdNumber = Json.str(dg13, "old_id_number");
            d.fatherName = Json.str(dg13, "father_name");
            d.motherName = Json.str(dg13, "mother_name");
        }
        for (Object f : Json.list(root, "files")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> file = f instanceof Map ? (Map<String, Object>) f : null;
            String name = Json.str(file, "file"), raw = Json.str(file, "raw");
            if (name == null || raw == null) continue;
            d.files.put(name, hex(raw));
            if (name.equals("DG2")) d.faceImage = CccdReader.faceImage(d.files.get(name));
        }
        Map<String, Object> v = Json.obj(root, "verification");
        if (v != null) {
            Verdict verdict = new Verdict();
            verdict.genuine = Json.bool(v, "genuine");
            verdict.dataAuthentic = Json.bool(v, "data_authentic");
            List<Finding> findings = new ArrayList<>();
            for (Object f : Json.list(v, "findings")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> o = f instanceof Map ? (Map<String, Object>) f : null;
                Finding finding = new Finding();
                finding.code = Json.str(o, "code");
                finding.kind = Json.str(o, "kind");
                finding.message = Json.str(o, "message");
                findings.add(finding);
            }
            verdict.findings = Collections.unmodifiableList(findings);
            d.verdict = verdict;
        }
        return d;
    }

    private static String or(String a, String b) { return a != null ? a : b; }

    static byte[] hex(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        return b;
    }
}
