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
    /** The host transport carries extended-length APDUs (a contact reader, a phone whose NFC
     * stack does): large files come in fewer exchanges. Off by default: short APDUs work
     * everywhere. */
    public boolean extendedLength;
}
