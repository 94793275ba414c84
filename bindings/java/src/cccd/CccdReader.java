package cccd;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.lang.ref.Reference;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Reads a CCCD / eMRTD chip through the host's transport or PC/SC, and verifies saved files.
 *
 * <p>Threads: concurrent reads on different transports (readers, simulators) run in parallel;
 * one transport serves one read at a time. The transport and progress callbacks run on the
 * thread that called {@link #read}. */
public final class CccdReader {
    private CccdReader() {}

    /** The progress of a read, for a progress bar. */
    public static final class Progress {
        /** The file being read ("DG2"). */
        public final String file;
        /** Its bytes read so far. */
        public final long fileRead;
        /** Its size, -1 until known. */
        public final long fileTotal;

        Progress(String file, long fileRead, long fileTotal) {
            this.file = file;
            this.fileRead = fileRead;
            this.fileTotal = fileTotal;
        }
    }

    /** The native library's version. */
    public static String version() {
        return CccdNative.utf8(CccdNative.LIB.cccd_version());
    }

    /** Reads and judges the card behind {@code transport} (null: PC/SC). Returns the document,
     * also when it is not genuine (see {@link Document#verdict}); throws
     * {@link WrongKeyException} for a wrong key, {@link CccdException} for any other failure. */
    public static Document read(AccessKey key, ReadOptions options, CardTransport transport) {
        return read(key, options, transport, null, null);
    }

    /** As {@link #read(AccessKey, ReadOptions, CardTransport)}, with a progress callback and a
     * cancel token (either may be null). */
    public static Document read(AccessKey key, ReadOptions options, CardTransport transport,
                                Consumer<Progress> progress, CancelToken cancel) {
        if (key == null) throw new NullPointerException("key");
        if (options == null) options = new ReadOptions();
        StringBuilder request = new StringBuilder("{");
        key.writeJson(request);
        if (!options.trust.isEmpty()) Json.member(request, "trust", options.trust);
        if (options.reader != null) Json.member(request, "reader", options.reader);
        if (options.skipFace) request.append("\"skip_face\":true,");
        request.setLength(request.length() - 1); // the last comma
        request.append('}');
        return readJson(request.toString(), transport, progress, cancel, options.extendedLength);
    }

    /** Reads with a request in the JSON of schema/cccd-request.schema.json; {@code
     * extendedLength}: the transport carries extended-length APDUs. */
    public static Document readJson(String requestJson, CardTransport transport,
                                    Consumer<Progress> progress, CancelToken cancel,
                                    boolean extendedLength) {
        Bridge bridge = transport == null ? null : new Bridge(transport);
        CccdNative.ProgressFn onProgress = progress == null ? null
            : (ctx, file, read, total, session) -> {
                try {
                    progress.accept(new Progress(CccdNative.utf8(file), read, total));
                } catch (RuntimeException e) {
                    // A progress bar's failure never stops a read, nor unwinds through it.
                }
            };
        PointerByReference result = new PointerByReference();
        int rc;
        try {
            rc = CccdNative.LIB.cccd_read_ex(CccdNative.utf8z(requestJson), bridge, null,
                extendedLength ? CccdNative.CCCD_TRANSPORT_EXTENDED_LENGTH : 0, onProgress, null,
                cancel == null ? null : cancel.pointer(), result);
        } finally {
            // The callbacks must stay reachable until the native call returns.
            Reference.reachabilityFence(bridge);
            Reference.reachabilityFence(onProgress);
        }
        return answer(rc, CccdNative.take(result), bridge == null ? null : bridge.failure);
    }

    /** Verifies files read elsewhere (a phone's upload), by name ("SOD", "DG1"...). Returns the
     * document with the verdict on its data ({@code verdict.genuine}: authentic). */
    public static Document verify(Map<String, byte[]> files, List<String> trust) {
        StringBuilder request = new StringBuilder("{\"files\":{");
        for (Map.Entry<String, byte[]> f : files.entrySet())
            Json.member(request, f.getKey(), Base64.getEncoder().encodeToString(f.getValue()));
        if (!files.isEmpty()) request.setLength(request.length() - 1);
        request.append("},");
        Json.member(request, "trust", trust == null ? List.of() : trust);
        request.setLength(request.length() - 1);
        request.append('}');
        PointerByReference result = new PointerByReference();
        int rc = CccdNative.LIB.cccd_verify(CccdNative.utf8z(request.toString()), result);
        return answer(rc, CccdNative.take(result), null);
    }

    @SuppressWarnings("unchecked")
    private static Document answer(int rc, String json, Throwable transportFailure) {
        Object parsed = Json.parse(json);
        if (!(parsed instanceof Map)) throw new CccdException("internal", "the answer is not a JSON object", rc, null);
        Map<String, Object> root = (Map<String, Object>) parsed;
        Map<String, Object> error = Json.obj(root, "error");
        if ((rc != CccdNative.CCCD_GENUINE && rc != CccdNative.CCCD_NOT_GENUINE) || error != null) {
            String code = error != null ? Json.str(error, "code") : "internal";
            String message = error != null ? Json.str(error, "message") : json;
            String errorJson = error != null ? json : null;
            if (rc == CccdNative.CCCD_WRONG_KEY) throw new WrongKeyException(code, message, errorJson);
            throw new CccdException(code, message, rc, transportFailure, errorJson);
        }
        return Document.fromAnswer(root, json);
    }

    static byte[] faceImage(byte[] dg2) {
        PointerByReference image = new PointerByReference();
        Memory len = new Memory(8);
        if (CccdNative.LIB.cccd_face_image(dg2, new CccdNative.SizeT(dg2.length), image, len) != CccdNative.CCCD_GENUINE)
            return null;
        long n = CccdNative.readSize(len);
        try {
            return image.getValue().getByteArray(0, (int) n);
        } finally {
            CccdNative.LIB.cccd_bytes_free(image.getValue(), new CccdNative.SizeT(n));
        }
    }

    /** The host's CardTransport as cccd_transmit_fn; a host exception is kept (it never
     * unwinds through native frames) and becomes the cause of the CccdException. */
    private static final class Bridge implements CccdNative.TransmitFn {
        private final CardTransport transport;
        Throwable failure;

        Bridge(CardTransport transport) {
            this.transport = transport;
        }

        @Override
        public int invoke(Pointer ctx, Pointer apdu, CccdNative.SizeT apduLen, Pointer resp,
                          CccdNative.SizeT respCap, Pointer respLen) {
            try {
                CccdNative.writeSize(respLen, 0);
                long n = apduLen.longValue();
                if (n == 0) return transport.reconnect() ? CccdNative.CCCD_TRANSMIT_OK : CccdNative.CCCD_TRANSMIT_FAILED;
                byte[] response = transport.transmit(apdu.getByteArray(0, (int) n));
                if (response == null || response.length > respCap.longValue()) return CccdNative.CCCD_TRANSMIT_FAILED;
                resp.write(0, response, 0, response.length);
                CccdNative.writeSize(respLen, response.length);
                return CccdNative.CCCD_TRANSMIT_OK;
            } catch (Throwable e) {
                failure = e;
                return CccdNative.CCCD_TRANSMIT_FAILED;
            }
        }
    }
}
