using WorkshopKit.Runtime;

namespace WorkshopKit.Tests;

/// <summary>
/// The test assembly's entry point (the test SDK's generated, empty one is switched off in the project file). Test runners
/// load the assembly and never call it; <see cref="Runtime.KilledWriterTests"/> starts it as a child process
/// (<c>dotnet exec WorkshopKit.Tests.dll slow-atomic-write PATH</c>) to have a real process to kill mid-write.
/// </summary>
internal static class Program
{
    public const string SlowAtomicWrite = "slow-atomic-write";

    public static int Main(string[] args)
    {
        if (args is [SlowAtomicWrite, string path])
        {
            // 1 MiB chunks, 50 ms apart: about 10 s in all, far longer than the test waits before killing it.
            var chunk = new byte[1 << 20];
            Array.Fill(chunk, (byte)'x');
            AtomicFile.Write(path, stream =>
            {
                for (int i = 0; i < 200; i++)
                {
                    stream.Write(chunk);
                    stream.Flush(); // on disk chunk by chunk, so the test sees the temporary file grow
                    Thread.Sleep(50);
                }
            });
            return 0;
        }
        Console.Error.WriteLine($"usage: dotnet exec WorkshopKit.Tests.dll {SlowAtomicWrite} PATH (a helper of the tests; run the tests with `dotnet test`)");
        return 2;
    }
}
