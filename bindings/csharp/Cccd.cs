// cccd for .NET: reads and verifies the chip of the Vietnamese citizen ID card (CCCD) and any
// ICAO 9303 eMRTD through the C ABI (libcccd_ffi.so / cccd_ffi.dll, bindings/c/cccd.h).
//
// Builds with Mono's mcs and with any .NET compiler, using only the base class library:
//   mcs -target:library -out:Cccd.dll bindings/csharp/Cccd.cs
// The native library is found by its name "cccd_ffi" (Windows: cccd_ffi.dll beside the exe;
// Linux: libcccd_ffi.so on the loader's path, or LD_LIBRARY_PATH).
//
// Threads: concurrent reads on different transports (readers, simulators) run in parallel; one
// transport serves one read at a time. The transmit and progress delegates run on the thread
// that called Read.

using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace Cccd
{
    /// <summary>The key that opens the chip: what the teller types or scans.</summary>
    public sealed class AccessKey
    {
        readonly string field;
        readonly string value;
        readonly string dateOfBirth;
        readonly string dateOfExpiry;

        AccessKey(string field, string value, string dateOfBirth = null, string dateOfExpiry = null)
        {
            if (value == null) throw new ArgumentNullException(field);
            this.field = field;
            this.value = value;
            this.dateOfBirth = dateOfBirth;
            this.dateOfExpiry = dateOfExpiry;
        }

        /// <summary>The 12-digit ID number (PACE with the CAN, its last 6 digits).</summary>
        public static AccessKey IdNumber(string idNumber) { return new AccessKey("id_number", idNumber); }

        /// <summary>The 12-digit ID number with the dates (YYMMDD; "&lt;&lt;&lt;&lt;&lt;&lt;" for no
        /// expiry): the MRZ key, for BAC chips.</summary>
        public static AccessKey IdNumberAndDates(string idNumber, string dateOfBirth, string dateOfExpiry)
        {
            if (dateOfBirth == null) throw new ArgumentNullException("dateOfBirth");
            if (dateOfExpiry == null) throw new ArgumentNullException("dateOfExpiry");
            return new AccessKey("id_number", idNumber, dateOfBirth, dateOfExpiry);
        }

        /// <summary>A card access number (6 digits).</summary>
        public static AccessKey Can(string can) { return new AccessKey("can", can); }

        /// <summary>The MRZ as printed (TD1 or TD3 lines).</summary>
        public static AccessKey Mrz(string mrz) { return new AccessKey("mrz", mrz); }

        /// <summary>The text of the card's QR code.</summary>
        public static AccessKey Qr(string qr) { return new AccessKey("qr", qr); }

        internal void WriteJson(StringBuilder json)
        {
            Json.Member(json, field, value);
            if (dateOfBirth != null) Json.Member(json, "date_of_birth", dateOfBirth);
            if (dateOfExpiry != null) Json.Member(json, "date_of_expiry", dateOfExpiry);
        }

        /// <summary>Never shows the key (it opens the chip).</summary>
        public override string ToString() { return "AccessKey(" + field + ", ***)"; }
    }

    /// <summary>What to read and what to trust.</summary>
    public sealed class ReadOptions
    {
        /// <summary>CSCA sources (certificates, directories, master lists, LDIF). Without any,
        /// the read gives no verdict.</summary>
        public IList<string> Trust = new List<string>();
        /// <summary>A PC/SC reader (part of its name), when no transport is given.</summary>
        public string Reader;
        /// <summary>Do not read the face image (DG2): a faster read.</summary>
        public bool SkipFace;
        /// <summary>The host transport carries extended-length APDUs (a contact reader, a phone
        /// whose NFC stack does): large files come in fewer exchanges. Off by default: short
        /// APDUs work everywhere.</summary>
        public bool ExtendedLength;
    }

    /// <summary>The progress of a read, for a progress bar.</summary>
    public struct ReadProgress
    {
        /// <summary>The file being read ("DG2").</summary>
        public string File;
        /// <summary>Its bytes read so far.</summary>
        public long FileRead;
        /// <summary>Its size, -1 until known.</summary>
        public long FileTotal;
    }

    /// <summary>The card's channel: the host sends a command APDU and returns the response
    /// (data and SW1 SW2), over PC/SC, NFC or a network.</summary>
    public interface ICardTransport
    {
        /// <summary>Sends one command APDU; throws when the card is gone.</summary>
        byte[] Transmit(byte[] apdu);
        /// <summary>Power-cycles the card after a tag loss; false when the channel cannot.</summary>
        bool Reconnect();
    }

    /// <summary>One reason for the verdict.</summary>
    public sealed class Finding
    {
        /// <summary>A stable code ("data_group_hash_mismatch", "chip_authentication_failed").</summary>
        public string Code { get; internal set; }
        /// <summary>data, chip or info.</summary>
        public string Kind { get; internal set; }
        /// <summary>For people.</summary>
        public string Message { get; internal set; }
        /// <summary>Shows the code and the message.</summary>
        public override string ToString() { return Code + ": " + Message; }
    }

    /// <summary>The verdict on a card: genuine only when the data is signed by a trusted
    /// issuer and the chip proved it is not a copy.</summary>
    public sealed class Verdict
    {
        /// <summary>Authentic data on the original chip.</summary>
        public bool Genuine { get; internal set; }
        /// <summary>The data is signed by a trusted issuer and unchanged.</summary>
        public bool DataAuthentic { get; internal set; }
        /// <summary>Why, when not genuine (and notes when it is).</summary>
        public IList<Finding> Findings { get; internal set; }
    }

    /// <summary>What a teller shows: the holder's data as the chip holds it, and the verdict.</summary>
    public sealed class Document
    {
        /// <summary>The 12-digit ID number (DG13), or the document number of a passport.</summary>
        public string IdNumber { get; internal set; }
        /// <summary>The full name with its diacritics (DG13), or the MRZ name.</summary>
        public string FullName { get; internal set; }
        /// <summary>dd/MM/yyyy as the chip holds it (DG13), or YYMMDD (MRZ).</summary>
        public string DateOfBirth { get; internal set; }
        /// <summary>Nam / Nữ (DG13), or M/F (MRZ).</summary>
        public string Sex { get; internal set; }
        /// <summary>Nationality.</summary>
        public string Nationality { get; internal set; }
        /// <summary>Ethnicity (DG13).</summary>
        public string Ethnicity { get; internal set; }
        /// <summary>Religion (DG13).</summary>
        public string Religion { get; internal set; }
        /// <summary>Place of origin (DG13).</summary>
        public string PlaceOfOrigin { get; internal set; }
        /// <summary>Place of residence (DG13).</summary>
        public string PlaceOfResidence { get; internal set; }
        /// <summary>Identifying marks (DG13).</summary>
        public string IdentifyingMarks { get; internal set; }
        /// <summary>Date of issue (DG13).</summary>
        public string DateOfIssue { get; internal set; }
        /// <summary>Date of expiry, possibly text ("Không thời hạn").</summary>
        public string DateOfExpiry { get; internal set; }
        /// <summary>The old 9-digit ID (CMND), when the chip has one.</summary>
        public string OldIdNumber { get; internal set; }
        /// <summary>Father's name (DG13).</summary>
        public string FatherName { get; internal set; }
        /// <summary>Mother's name (DG13).</summary>
        public string MotherName { get; internal set; }
        /// <summary>The MRZ (DG1), as one string.</summary>
        public string Mrz { get; internal set; }
        /// <summary>The face image as the chip stores it (JPEG or JPEG 2000), or null.</summary>
        public byte[] FaceImage { get; internal set; }
        /// <summary>The raw files read, by name ("SOD", "DG1", "DG13"...): the dump a back
        /// office archives and verifies again with CccdReader.Verify.</summary>
        public IDictionary<string, byte[]> Files { get; internal set; }
        /// <summary>The verdict, or null when no trust source was given.</summary>
        public Verdict Verdict { get; internal set; }
        /// <summary>The whole answer (schema/cccd-document.schema.json), for the archive.</summary>
        public string Json { get; internal set; }
    }

    /// <summary>A read or a verification failed; Code is the library's error code.</summary>
    public class CccdException : Exception
    {
        /// <summary>The library's error code ("transport", "bad_request", "cancelled").</summary>
        public string Code { get; private set; }
        /// <summary>The CLI's exit code (1, 2, 3).</summary>
        public int ExitCode { get; private set; }
        /// <summary>The error JSON the library returned (<c>{"schema", "error": {"code",
        /// "message"}, "exit_code"}</c>, as <c>cccd read --json</c> prints it), to log or forward
        /// as is; null when the failure happened on this side of the native call.</summary>
        public string ErrorJson { get; private set; }
        /// <summary>Makes one from an error JSON's fields.</summary>
        public CccdException(string code, string message, int exitCode, Exception inner = null,
                             string errorJson = null)
            : base(message, inner)
        {
            Code = code;
            ExitCode = exitCode;
            ErrorJson = errorJson;
        }
    }

    /// <summary>The card refused the key: a wrong CAN or MRZ data, or another card (code 3).</summary>
    public sealed class WrongKeyException : CccdException
    {
        /// <summary>Makes one from an error JSON's fields.</summary>
        public WrongKeyException(string code, string message, string errorJson = null)
            : base(code, message, Native.CCCD_WRONG_KEY, null, errorJson) { }
    }

    /// <summary>Reads a card through the host's transport or PC/SC, and verifies saved files.</summary>
    public static class CccdReader
    {
        /// <summary>The native library's version.</summary>
        public static string Version { get { return Native.Utf8(Native.cccd_version()); } }

        /// <summary>Reads and judges the card behind transport (null: PC/SC). Returns the
        /// document, also when it is not genuine (see Verdict); throws WrongKeyException for a
        /// wrong key, CccdException for any other failure (the card was pulled, cancelled).</summary>
        public static Document Read(AccessKey key, ReadOptions options, ICardTransport transport,
                                    Action<ReadProgress> progress = null,
                                    CancellationToken cancel = default(CancellationToken))
        {
            if (key == null) throw new ArgumentNullException("key");
            options = options ?? new ReadOptions();
            var request = new StringBuilder("{");
            key.WriteJson(request);
            if (options.Trust.Count > 0) Json.Member(request, "trust", options.Trust);
            if (options.Reader != null) Json.Member(request, "reader", options.Reader);
            if (options.SkipFace) request.Append("\"skip_face\":true,");
            request.Length--; // the last comma
            request.Append('}');
            return ReadJson(request.ToString(), transport, progress, cancel, options.ExtendedLength);
        }

        /// <summary>Read with a request in the JSON of schema/cccd-request.schema.json.</summary>
        public static Document ReadJson(string requestJson, ICardTransport transport,
                                        Action<ReadProgress> progress = null,
                                        CancellationToken cancel = default(CancellationToken),
                                        bool extendedLength = false)
        {
            var bridge = transport == null ? null : new TransportBridge(transport);
            Native.ProgressFn onProgress = null;
            if (progress != null)
            {
                onProgress = (ctx, file, read, total, session) =>
                {
                    try { progress(new ReadProgress { File = Native.Utf8(file), FileRead = (long)read, FileTotal = total }); }
                    catch (Exception) { /* a progress bar's failure never stops a read */ }
                };
            }
            IntPtr token = Native.cccd_cancel_token_new();
            if (token == IntPtr.Zero) throw new OutOfMemoryException();
            IntPtr result = IntPtr.Zero;
            int rc;
            try
            {
                using (cancel.Register(() => Native.cccd_cancel(token)))
                {
                    byte[] request = Native.ToUtf8z(requestJson);
                    rc = Native.cccd_read_ex(request, bridge == null ? null : bridge.Callback, IntPtr.Zero,
                                             extendedLength ? Native.CCCD_TRANSPORT_EXTENDED_LENGTH : 0u, onProgress,
                                             IntPtr.Zero, token, out result);
                }
            }
            finally
            {
                // The delegates must outlive the native call: the native side holds only their
                // function pointers.
                GC.KeepAlive(bridge);
                GC.KeepAlive(onProgress);
                Native.cccd_cancel_token_free(token);
            }
            string json = Native.TakeString(result);
            return Answer(rc, json, bridge == null ? null : bridge.Failure);
        }

        /// <summary>Verifies files read elsewhere (a phone's upload), by name ("SOD", "DG1"...).
        /// Returns the document with its verdict on the data (Verdict.Genuine: authentic).</summary>
        public static Document Verify(IDictionary<string, byte[]> files, IList<string> trust)
        {
            if (files == null) throw new ArgumentNullException("files");
            var request = new StringBuilder("{\"files\":{");
            foreach (var f in files) Json.Member(request, f.Key, Convert.ToBase64String(f.Value));
            if (files.Count > 0) request.Length--;
            request.Append("},");
            Json.Member(request, "trust", trust ?? new List<string>());
            request.Length--;
            request.Append('}');
            IntPtr result;
            int rc = Native.cccd_verify(Native.ToUtf8z(request.ToString()), out result);
            return Answer(rc, Native.TakeString(result), null);
        }

        static Document Answer(int rc, string json, Exception transportFailure)
        {
            var answer = new Answer(json);
            if (rc != Native.CCCD_GENUINE && rc != Native.CCCD_NOT_GENUINE || answer.ErrorCode != null)
            {
                string code = answer.ErrorCode ?? "internal";
                string message = answer.ErrorMessage ?? json;
                string errorJson = answer.ErrorCode != null ? json : null;
                if (rc == Native.CCCD_WRONG_KEY) throw new WrongKeyException(code, message, errorJson);
                throw new CccdException(code, message, rc, transportFailure, errorJson);
            }
            return answer.ToDocument(json);
        }

        /// <summary>Bridges the host's ICardTransport to cccd_transmit_fn; a host exception is
        /// kept (never unwinds through native frames) and given as the InnerException.</summary>
        sealed class TransportBridge
        {
            readonly ICardTransport transport;
            internal readonly Native.TransmitFn Callback;
            internal Exception Failure;

            internal TransportBridge(ICardTransport transport)
            {
                this.transport = transport;
                Callback = Transmit;
            }

            int Transmit(IntPtr ctx, IntPtr apdu, UIntPtr apduLen, IntPtr resp, UIntPtr respCap, IntPtr respLen)
            {
                try
                {
                    Marshal.WriteIntPtr(respLen, IntPtr.Zero);
                    if (apduLen == UIntPtr.Zero)
                        return transport.Reconnect() ? Native.CCCD_TRANSMIT_OK : Native.CCCD_TRANSMIT_FAILED;
                    var command = new byte[(int)apduLen];
                    Marshal.Copy(apdu, command, 0, command.Length);
                    byte[] response = transport.Transmit(command);
                    if (response == null || (ulong)response.Length > (ulong)respCap)
                        return Native.CCCD_TRANSMIT_FAILED;
                    Marshal.Copy(response, 0, resp, response.Length);
                    Marshal.WriteIntPtr(respLen, new IntPtr(response.Length));
                    return Native.CCCD_TRANSMIT_OK;
                }
                catch (Exception e)
                {
                    Failure = e;
                    return Native.CCCD_TRANSMIT_FAILED;
                }
            }
        }
    }

    /// <summary>The simulated CCCD chip of the native library, for a host's own tests.</summary>
    public sealed class Simulator : ICardTransport, IDisposable
    {
        IntPtr sim;
        readonly byte[] buffer = new byte[Native.CCCD_RESPONSE_CAPACITY];

        /// <summary>A simulated CCCD whose holder derives from seed; profile "cccd",
        /// "cccd-clone" (a copy on another chip: not genuine), "bsi", "passport".</summary>
        public Simulator(ulong seed, string profile = "cccd")
        {
            sim = Native.cccd_sim_new_profile(seed, Native.ToUtf8z(profile));
            if (sim == IntPtr.Zero) throw new ArgumentException("unknown simulator profile: " + profile);
        }

        /// <summary>The holder (expected values of a test), as JSON.</summary>
        public string PersonaJson
        {
            get
            {
                IntPtr json;
                if (Native.cccd_sim_persona(Live(), out json) != Native.CCCD_GENUINE)
                    throw new InvalidOperationException("cccd_sim_persona failed");
                return Native.TakeString(json);
            }
        }

        /// <summary>Writes the simulator's test CSCA (DER) to path: a trust source for tests
        /// only, never for real cards.</summary>
        public static void WriteTestCsca(string path)
        {
            if (Native.cccd_sim_write_csca(Native.ToUtf8z(path)) != Native.CCCD_GENUINE)
                throw new IOException("cannot write the test CSCA to " + path);
        }

        /// <summary>Answers one APDU, as a card does.</summary>
        public byte[] Transmit(byte[] apdu)
        {
            UIntPtr len;
            int rc = Native.cccd_sim_transmit(Live(), apdu, new UIntPtr((uint)apdu.Length), buffer,
                                              new UIntPtr((uint)buffer.Length), out len);
            if (rc != Native.CCCD_TRANSMIT_OK) throw new IOException("the simulator failed (" + rc + ")");
            var response = new byte[(int)len];
            Array.Copy(buffer, response, response.Length);
            return response;
        }

        /// <summary>Power-cycles the simulated card.</summary>
        public bool Reconnect()
        {
            UIntPtr len;
            return Native.cccd_sim_transmit(Live(), new byte[0], UIntPtr.Zero, buffer,
                                            new UIntPtr((uint)buffer.Length), out len) == Native.CCCD_TRANSMIT_OK;
        }

        IntPtr Live()
        {
            if (sim == IntPtr.Zero) throw new ObjectDisposedException("Simulator");
            return sim;
        }

        /// <summary>Frees the native simulator.</summary>
        public void Dispose()
        {
            Native.cccd_sim_free(sim);
            sim = IntPtr.Zero;
            GC.SuppressFinalize(this);
        }

        /// <summary>Frees the native simulator if Dispose was not called.</summary>
        ~Simulator() { Native.cccd_sim_free(sim); }
    }

    /// <summary>The C ABI (bindings/c/cccd.h), one to one.</summary>
    static class Native
    {
        const string Lib = "cccd_ffi";
        internal const int CCCD_GENUINE = 0;
        internal const int CCCD_NOT_GENUINE = 4;
        internal const int CCCD_WRONG_KEY = 3;
        internal const int CCCD_TRANSMIT_OK = 0;
        internal const int CCCD_TRANSMIT_FAILED = 4;
        internal const uint CCCD_TRANSPORT_EXTENDED_LENGTH = 1;
        internal const int CCCD_RESPONSE_CAPACITY = 65538;

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate int TransmitFn(IntPtr ctx, IntPtr apdu, UIntPtr apduLen, IntPtr resp,
                                         UIntPtr respCap, IntPtr respLen);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void ProgressFn(IntPtr ctx, IntPtr file, ulong fileRead, long fileTotal,
                                          ulong sessionRead);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr cccd_version();

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int cccd_read_ex(byte[] request, TransmitFn transmit, IntPtr ctx,
                                                uint flags, ProgressFn progress, IntPtr progressCtx,
                                                IntPtr cancel, out IntPtr result);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int cccd_verify(byte[] request, out IntPtr result);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void cccd_string_free(IntPtr s);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr cccd_cancel_token_new();

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void cccd_cancel(IntPtr token);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void cccd_cancel_token_free(IntPtr token);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr cccd_sim_new_profile(ulong seed, byte[] profile);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int cccd_sim_persona(IntPtr sim, out IntPtr json);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int cccd_sim_write_csca(byte[] path);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int cccd_sim_transmit(IntPtr sim, byte[] apdu, UIntPtr apduLen,
                                                     byte[] resp, UIntPtr respCap, out UIntPtr respLen);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void cccd_sim_free(IntPtr sim);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int cccd_face_image(byte[] dg2, UIntPtr len, out IntPtr image,
                                                   out UIntPtr imageLen);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void cccd_bytes_free(IntPtr bytes, UIntPtr len);

        /// <summary>A NUL-terminated UTF-8 copy (the ABI's strings are UTF-8 on every OS).</summary>
        internal static byte[] ToUtf8z(string s)
        {
            if (s == null) return null;
            var bytes = Encoding.UTF8.GetBytes(s);
            Array.Resize(ref bytes, bytes.Length + 1);
            return bytes;
        }

        /// <summary>A NUL-terminated UTF-8 string of the library.</summary>
        internal static string Utf8(IntPtr s)
        {
            if (s == IntPtr.Zero) return null;
            int len = 0;
            while (Marshal.ReadByte(s, len) != 0) len++;
            var bytes = new byte[len];
            Marshal.Copy(s, bytes, 0, len);
            return Encoding.UTF8.GetString(bytes);
        }

        /// <summary>Copies a returned string and frees it.</summary>
        internal static string TakeString(IntPtr s)
        {
            try { return Utf8(s); }
            finally { cccd_string_free(s); }
        }

        internal static byte[] FaceImage(byte[] dg2)
        {
            IntPtr image;
            UIntPtr len;
            if (cccd_face_image(dg2, new UIntPtr((uint)dg2.Length), out image, out len) != CCCD_GENUINE)
                return null;
            try
            {
                var bytes = new byte[(int)len];
                Marshal.Copy(image, bytes, 0, bytes.Length);
                return bytes;
            }
            finally { cccd_bytes_free(image, len); }
        }
    }

    /// <summary>JSON with the base class library only (Mono's default install has no
    /// System.Runtime.Serialization): a small strict parser to Dictionary / List / string /
    /// double / bool / null, and the writer of requests.</summary>
    static class Json
    {
        internal static object Parse(string json)
        {
            int i = 0;
            object value = Value(json, ref i);
            Space(json, ref i);
            if (i != json.Length) throw new FormatException("trailing characters in JSON at " + i);
            return value;
        }

        static void Space(string s, ref int i)
        {
            while (i < s.Length && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
        }

        static object Value(string s, ref int i)
        {
            Space(s, ref i);
            if (i >= s.Length) throw new FormatException("unexpected end of JSON");
            char c = s[i];
            if (c == '{')
            {
                var obj = new Dictionary<string, object>();
                i++;
                Space(s, ref i);
                if (i < s.Length && s[i] == '}') { i++; return obj; }
                while (true)
                {
                    Space(s, ref i);
                    string key = String(s, ref i);
                    Space(s, ref i);
                    Expect(s, ref i, ':');
                    obj[key] = Value(s, ref i);
                    Space(s, ref i);
                    if (i < s.Length && s[i] == ',') { i++; continue; }
                    Expect(s, ref i, '}');
                    return obj;
                }
            }
            if (c == '[')
            {
                var list = new List<object>();
                i++;
                Space(s, ref i);
                if (i < s.Length && s[i] == ']') { i++; return list; }
                while (true)
                {
                    list.Add(Value(s, ref i));
                    Space(s, ref i);
                    if (i < s.Length && s[i] == ',') { i++; continue; }
                    Expect(s, ref i, ']');
                    return list;
                }
            }
            if (c == '"') return String(s, ref i);
            if (Literal(s, ref i, "true")) return true;
            if (Literal(s, ref i, "false")) return false;
            if (Literal(s, ref i, "null")) return null;
            int start = i;
            while (i < s.Length && "+-0123456789.eE".IndexOf(s[i]) >= 0) i++;
            double d;
            if (i == start || !double.TryParse(s.Substring(start, i - start), System.Globalization.NumberStyles.Float,
                                               System.Globalization.CultureInfo.InvariantCulture, out d))
                throw new FormatException("bad JSON value at " + start);
            return d;
        }

        static bool Literal(string s, ref int i, string word)
        {
            if (string.CompareOrdinal(s, i, word, 0, word.Length) != 0) return false;
            i += word.Length;
            return true;
        }

        static void Expect(string s, ref int i, char c)
        {
            if (i >= s.Length || s[i] != c) throw new FormatException("expected '" + c + "' in JSON at " + i);
            i++;
        }

        static string String(string s, ref int i)
        {
            Expect(s, ref i, '"');
            var sb = new StringBuilder();
            while (true)
            {
                if (i >= s.Length) throw new FormatException("unterminated JSON string");
                char c = s[i++];
                if (c == '"') return sb.ToString();
                if (c != '\\') { sb.Append(c); continue; }
                if (i >= s.Length) throw new FormatException("unterminated JSON escape");
                char e = s[i++];
                switch (e)
                {
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case 'r': sb.Append('\r'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'u':
                        if (i + 4 > s.Length) throw new FormatException("short \\u escape");
                        sb.Append((char)Convert.ToInt32(s.Substring(i, 4), 16));
                        i += 4;
                        break;
                    default: sb.Append(e); break; // " \\ /
                }
            }
        }

        internal static void Member(StringBuilder json, string name, string value)
        {
            Quote(json, name);
            json.Append(':');
            Quote(json, value);
            json.Append(',');
        }

        internal static void Member(StringBuilder json, string name, IEnumerable<string> values)
        {
            Quote(json, name);
            json.Append(":[");
            bool first = true;
            foreach (var v in values)
            {
                if (!first) json.Append(',');
                Quote(json, v);
                first = false;
            }
            json.Append("],");
        }

        static void Quote(StringBuilder json, string s)
        {
            json.Append('"');
            foreach (char c in s)
            {
                if (c == '"' || c == '\\') json.Append('\\').Append(c);
                else if (c < 0x20) json.AppendFormat("\\u{0:x4}", (int)c);
                else json.Append(c);
            }
            json.Append('"');
        }
    }

    /// <summary>The answer's JSON (schema/cccd-document.schema.json): the members a teller
    /// needs; the whole answer stays in Document.Json.</summary>
    sealed class Answer
    {
        readonly Dictionary<string, object> root;

        internal Answer(string json)
        {
            root = Json.Parse(json) as Dictionary<string, object>;
            if (root == null) throw new FormatException("the answer is not a JSON object");
        }

        static Dictionary<string, object> Obj(Dictionary<string, object> o, string name)
        {
            object v;
            return o != null && o.TryGetValue(name, out v) ? v as Dictionary<string, object> : null;
        }

        static string Str(Dictionary<string, object> o, string name)
        {
            object v;
            return o != null && o.TryGetValue(name, out v) ? v as string : null;
        }

        static bool Bool(Dictionary<string, object> o, string name)
        {
            object v;
            return o != null && o.TryGetValue(name, out v) && v is bool && (bool)v;
        }

        static List<object> List(Dictionary<string, object> o, string name)
        {
            object v;
            return o != null && o.TryGetValue(name, out v) && v is List<object> ? (List<object>)v : new List<object>();
        }

        internal string ErrorCode { get { return Str(Obj(root, "error"), "code"); } }
        internal string ErrorMessage { get { return Str(Obj(root, "error"), "message"); } }

        internal Document ToDocument(string json)
        {
            var d = new Document { Json = json };
            var mrz = Obj(Obj(root, "dg1"), "mrz");
            if (mrz != null)
            {
                d.IdNumber = Str(mrz, "vn_id_number") ?? Str(mrz, "document_number");
                d.FullName = (Str(mrz, "secondary_identifier") + " " + Str(mrz, "primary_identifier")).Trim();
                d.DateOfBirth = Str(mrz, "date_of_birth");
                d.DateOfExpiry = Str(mrz, "date_of_expiry");
                d.Sex = Str(mrz, "sex");
                d.Nationality = Str(mrz, "nationality");
                d.Mrz = Str(mrz, "raw");
            }
            var dg13 = Obj(root, "dg13");
            if (dg13 != null)
            {
                d.IdNumber = Str(dg13, "id_number") ?? d.IdNumber;
                d.FullName = Str(dg13, "full_name") ?? d.FullName;
                d.DateOfBirth = Str(dg13, "date_of_birth") ?? d.DateOfBirth;
                d.Sex = Str(dg13, "sex") ?? d.Sex;
                d.Nationality = Str(dg13, "nationality") ?? d.Nationality;
                d.Ethnicity = Str(dg13, "ethnicity");
                d.Religion = Str(dg13, "religion");
                d.PlaceOfOrigin = Str(dg13, "place_of_origin");
                d.PlaceOfResidence = Str(dg13, "place_of_residence");
                d.IdentifyingMarks = Str(dg13, "identifying_marks");
                d.DateOfIssue = Str(dg13, "date_of_issue");
                d.DateOfExpiry = Str(dg13, "date_of_expiry") ?? d.DateOfExpiry;
                d.OldIdNumber = Str(dg13, "old_id_number");
                d.FatherName = Str(dg13, "father_name");
                d.MotherName = Str(dg13, "mother_name");
            }
            var files = new Dictionary<string, byte[]>();
            foreach (var f in List(root, "files"))
            {
                var file = f as Dictionary<string, object>;
                string name = Str(file, "file"), raw = Str(file, "raw");
                if (name == null || raw == null) continue;
                files[name] = Hex(raw);
                if (name == "DG2") d.FaceImage = Native.FaceImage(files[name]);
            }
            d.Files = files;
            var v = Obj(root, "verification");
            if (v != null)
            {
                var findings = new List<Finding>();
                foreach (var f in List(v, "findings"))
                {
                    var o = f as Dictionary<string, object>;
                    findings.Add(new Finding { Code = Str(o, "code"), Kind = Str(o, "kind"), Message = Str(o, "message") });
                }
                d.Verdict = new Verdict
                {
                    Genuine = Bool(v, "genuine"),
                    DataAuthentic = Bool(v, "data_authentic"),
                    Findings = findings.AsReadOnly(),
                };
            }
            return d;
        }

        static byte[] Hex(string hex)
        {
            var bytes = new byte[hex.Length / 2];
            for (int i = 0; i < bytes.Length; i++) bytes[i] = Convert.ToByte(hex.Substring(2 * i, 2), 16);
            return bytes;
        }
    }
}
