using System.Diagnostics;
using WorkshopKit.Runtime;

namespace WorkshopKit.Tests.Runtime;

public class KilledWriterTests
{
    [Fact]
    public async Task AKilledWriterLeavesTheOldFileWholeAndATemporaryFileThatDeleteLeftoversRemoves()
    {
        string dir = Path.Combine(Path.GetTempPath(), "workshopkit-killed-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string target = Path.Combine(dir, "results.json");
            string other = Path.Combine(dir, ".keep.tmp"); // a dot-file of another pattern: not ours to delete
            File.WriteAllText(target, "old content");
            File.WriteAllText(other, "someone else's");

            // The child is this test assembly run as a program (Program.Main): it writes ~200 MiB slowly through AtomicFile.
            string self = typeof(Program).Assembly.Location;
            var start = new ProcessStartInfo("dotnet", ["exec", self, Program.SlowAtomicWrite, target])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var watch = Stopwatch.StartNew();
            using var child = Process.Start(start)!;
            var stderr = child.StandardError.ReadToEndAsync();
            _ = child.StandardOutput.ReadToEndAsync(); // drained, not needed
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(25));

            // Wait until the child's temporary file holds data: it is then mid-write (the whole write takes ~10 s).
            string? temp = null;
            while (temp is null && !child.HasExited && watch.Elapsed < TimeSpan.FromSeconds(20))
            {
                temp = Directory.GetFiles(dir, ".results.json.*.tmp").FirstOrDefault(f => new FileInfo(f).Length > 0);
                if (temp is null) await Task.Delay(20);
            }
            if (temp is null)
                Assert.Fail($"the writer never started writing within {watch.Elapsed.TotalSeconds:F1} s (exited: {child.HasExited}): {await stderr}");
            Assert.True(new FileInfo(temp).Length > 0, "the temporary file holds the first chunk");
            Assert.Equal("old content", File.ReadAllText(target)); // mid-write, readers see the old file

            Assert.False(child.HasExited, "the writer finished before it could be killed");
            child.Kill(entireProcessTree: true); // SIGKILL: no finally block runs in the child
            await child.WaitForExitAsync(timeout.Token);

            Assert.Equal("old content", File.ReadAllText(target)); // never partial
            Assert.True(File.Exists(temp), "a killed writer leaves its temporary file");
            Assert.Equal([temp], AtomicFile.DeleteLeftovers(dir));
            Assert.False(File.Exists(temp));
            Assert.True(File.Exists(other));
            Assert.Equal("old content", File.ReadAllText(target));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
