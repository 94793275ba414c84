// The example of docs/sdk/csharp.md (bindings/test-all.sh builds and runs it).
using System;
using Cccd;

static class Teller
{
    static int Main()
    {
        Simulator.WriteTestCsca("test-csca.der");      // tests only: the simulator's CSCA
        var options = new ReadOptions();
        options.Trust.Add("test-csca.der");            // real cards: the ICAO master list
        using (var card = new Simulator(1))            // real cards: your PC/SC ICardTransport
        {
            try
            {
                Document doc = CccdReader.Read(AccessKey.IdNumber("040081519573"), options, card);
                Console.WriteLine(doc.IdNumber + " " + doc.FullName + " " + doc.DateOfBirth);
                Console.WriteLine("genuine: " + doc.Verdict.Genuine);
                CccdReader.Read(AccessKey.Can("000000"), options, card);
            }
            catch (WrongKeyException e) { Console.WriteLine("wrong key (" + e.ExitCode + "): " + e.Message); }
        }
        return 0;
    }
}
