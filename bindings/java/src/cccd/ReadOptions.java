package cccd;

import java.util.ArrayList;
import java.util.List;

/** What to read and what to trust. */
public final class ReadOptions {
    /** CSCA sources (certificates, directories, master lists, LDIF); none: no verdict. */
    public final List<String> trust = new ArrayList<>();
    /** A PC/SC reader (part of its name), when no transport is given. */
    public String reader;
    /** Do not read the face image (DG2): a faster read. */
    public boolean skipFace;
}
