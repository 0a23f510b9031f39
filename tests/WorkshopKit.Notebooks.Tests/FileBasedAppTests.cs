using System.Diagnostics;
using System.Globalization;

namespace WorkshopKit.Notebooks.Tests;

public class FileBasedAppTests
{
    [Fact]
    public async Task Hello_torch_sample_runs_as_a_file_based_app_and_prints_the_conv2d_result()
    {
        var start = new ProcessStartInfo("dotnet", ["run", "samples/hello-torch.cs"])
        {
            WorkingDirectory = RepoRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(limit.Token);
        string output = await stdout;

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{output}\n{await stderr}");
        Assert.Contains("TorchSharp 0.107.0", output, StringComparison.Ordinal);
        Assert.Contains("conv2d shape: [1, 1, 2, 2]", output, StringComparison.Ordinal);
        Assert.Contains("conv2d values: " + string.Join(" ", BoxSums()), output, StringComparison.Ordinal);
    }

    /// <summary>The expected output, by brute force: sums of every 3x3 window of the 4x4 image holding 1..16.</summary>
    private static IEnumerable<string> BoxSums()
    {
        for (int row = 0; row < 2; row++)
        {
            for (int col = 0; col < 2; col++)
            {
                int sum = 0;
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 3; j++)
                        sum += (row + i) * 4 + (col + j) + 1;
                yield return sum.ToString(CultureInfo.InvariantCulture);
            }
        }
    }
}
