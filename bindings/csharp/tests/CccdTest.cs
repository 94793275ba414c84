// The C# binding's test: reads the native simulator through the transmit callback (native ->
// C# ICardTransport -> native simulator, the path a PC/SC or NFC transport takes), checks the
// ID number, the name with its diacritics and the verdict, then a wrong key, a cloned chip, a
// cancel, a host transport that throws, and the verification of the read files.
// Build and run (bindings/test-all.sh does this):
//   mcs -target:library -out:Cccd.dll bindings/csharp/Cccd.cs
//   mcs -r:Cccd.dll -out:CccdTest.exe bindings/csharp/tests/CccdTest.cs
//   LD_LIBRARY_PATH=target/release mono CccdTest.exe

using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using Cccd;

static class CccdTest
{
    static int failures;

    static void Check(bool ok, string what)
    {
        Console.WriteLine((ok ? "ok    " : "FAIL  ") + what);
        if (!ok) failures++;
    }

    static string Field(string json, string name)
    {
        var m = Regex.Match(json, "\"" + name + "\":\\s*\"([^\"]*)\"");
        return m.Success ? m.Groups[1].Value : null;
    }

    static T Expect<T>(Func<Document> read) where T : Exception
    {
        try { read(); }
        catch (T e) { return e; }
        catch (Exception e) { Console.WriteLine("unexpected " + e.GetType().Name + ": " + e.Message); return null; }
        return null;
    }

    /// A transport that fails as a pulled card does, from its n-th APDU.
    sealed class PulledAway : ICardTransport
    {
        readonly ICardTransport inner;
        int left;
        public PulledAway(ICardTransport inner, int apdus) { this.inner = inner; left = apdus; }
        public byte[] Transmit(byte[] apdu)
        {
            if (left-- <= 0) throw new IOException("the card was pulled away");
            return inner.Transmit(apdu);
        }
        public bool Reconnect() { return false; }
    }

    static int Main()
    {
        Console.OutputEncoding = new System.Text.UTF8Encoding(false);
        Console.WriteLine("cccd " + CccdReader.Version);
        string csca = Path.Combine(Path.GetTempPath(), "cccd-csharp-test-csca.der");
        Simulator.WriteTestCsca(csca);
        var options = new ReadOptions();
        options.Trust.Add(csca);
        options.ExtendedLength = true;  // the simulator carries them; the concurrent reads below do not use them
        var shortApdus = new ReadOptions();
        shortApdus.Trust.Add(csca);

        using (var sim = new Simulator(1))
        {
            string persona = sim.PersonaJson;
            string id = Field(persona, "id_number"), name = Field(persona, "full_name"), can = Field(persona, "can");
            int events = 0;
            var doc = CccdReader.Read(AccessKey.IdNumber(id), options, sim, p => events++);
            Check(doc.IdNumber == id, "ID number " + doc.IdNumber);
            Check(doc.FullName == name, "name " + doc.FullName);
            Check(doc.FullName != null && Regex.IsMatch(doc.FullName, "[^\\x00-\\x7f]"), "the name keeps its diacritics");
            Check(doc.Verdict != null && doc.Verdict.Genuine && doc.Verdict.DataAuthentic, "verdict: genuine");
            Check(doc.FaceImage != null && doc.FaceImage.Length > 1000 && doc.FaceImage[0] == 0xFF && doc.FaceImage[1] == 0xD8,
                  "face image: JPEG, " + (doc.FaceImage == null ? 0 : doc.FaceImage.Length) + " bytes");
            Check(events > 3, "progress: " + events + " events");
            Console.WriteLine("      " + doc.DateOfBirth + ", " + doc.Sex + ", " + doc.PlaceOfResidence);

            // A wrong CAN: WrongKeyException, code 3, and the key is not in the message.
            char[] wrong = can.ToCharArray();
            for (int i = 0; i < wrong.Length; i++) wrong[i] = (char)('0' + (wrong[i] - '0' + 1) % 10);
            var wk = Expect<WrongKeyException>(() => CccdReader.Read(AccessKey.Can(new string(wrong)), options, sim));
            Check(wk != null && wk.ExitCode == 3 && wk.Code == "wrong_access_key" && !wk.Message.Contains(new string(wrong)),
                  "wrong CAN: " + (wk == null ? "no exception" : wk.Code + " (" + wk.ExitCode + "): " + wk.Message));
            Check(wk != null && wk.ErrorJson != null && wk.ErrorJson.Contains("\"code\": \"wrong_access_key\"")
                  && wk.ErrorJson.Contains("\"exit_code\": 3") && !wk.ErrorJson.Contains(new string(wrong)),
                  "wrong CAN: the error JSON, exit_code 3");

            // A malformed request: CccdException with code bad_request, exit code 2.
            var bad = Expect<CccdException>(() => CccdReader.ReadJson("{\"can\": \"12\"}", sim));
            Check(bad != null && bad.Code == "bad_request" && bad.ExitCode == 2, "malformed request: " + (bad == null ? "none" : bad.Message));

            // The card pulled away: the host's exception is the inner exception.
            var pulled = Expect<CccdException>(() => CccdReader.Read(AccessKey.IdNumber(id), options, new PulledAway(sim, 10)));
            Check(pulled != null && pulled.Code == "transport" && pulled.InnerException is IOException,
                  "card pulled away: " + (pulled == null ? "none" : pulled.Code + ": " + pulled.Message));

            // A teller presses Cancel.
            using (var cts = new CancellationTokenSource())
            {
                cts.Cancel();
                var cancelled = Expect<CccdException>(() => CccdReader.Read(AccessKey.IdNumber(id), options, sim, null, cts.Token));
                Check(cancelled != null && cancelled.Code == "cancelled", "cancelled: " + (cancelled == null ? "none" : cancelled.Message));
            }

            // The read files verified again, as a back office verifies a phone's upload.
            var files = new Dictionary<string, byte[]>(doc.Files);
            var verified = CccdReader.Verify(files, options.Trust);
            Check(verified.Verdict.DataAuthentic && verified.FullName == name, "verify " + files.Count + " files: data authentic");
            files["DG13"][files["DG13"].Length - 1] ^= 1;
            var changed = CccdReader.Verify(files, options.Trust);
            Check(!changed.Verdict.DataAuthentic && changed.Verdict.Findings.Count > 0,
                  "a changed DG13: " + (changed.Verdict.Findings.Count > 0 ? changed.Verdict.Findings[0].Code : "no finding"));
        }

        // A cloned chip: read, but not genuine (no exception: the teller sees why).
        using (var clone = new Simulator(4, "cccd-clone"))
        {
            string id = Field(clone.PersonaJson, "id_number");
            var doc = CccdReader.Read(AccessKey.IdNumber(id), options, clone);
            Check(doc.Verdict != null && !doc.Verdict.Genuine && doc.Verdict.DataAuthentic,
                  "cloned chip: not genuine (" + string.Join(", ", FindingCodes(doc)) + ")");
        }

        // Concurrent reads on different simulators.
        var threads = new List<Thread>();
        int good = 0;
        for (ulong seed = 100; seed < 104; seed++)
        {
            ulong s = seed;
            var t = new Thread(() =>
            {
                using (var sim = new Simulator(s))
                {
                    string id = Field(sim.PersonaJson, "id_number");
                    var doc = CccdReader.Read(AccessKey.IdNumber(id), shortApdus, sim);
                    if (doc.IdNumber == id && doc.Verdict.Genuine) Interlocked.Increment(ref good);
                }
            });
            threads.Add(t);
            t.Start();
        }
        foreach (var t in threads) t.Join();
        Check(good == 4, "4 concurrent reads (short APDUs): " + good + " genuine");

        File.Delete(csca);
        Console.WriteLine(failures == 0 ? "all checks passed" : failures + " check(s) FAILED");
        return failures == 0 ? 0 : 1;
    }

    static IEnumerable<string> FindingCodes(Document doc)
    {
        foreach (var f in doc.Verdict.Findings) yield return f.Code;
    }
}
