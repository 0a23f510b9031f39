using System.Diagnostics;
using System.Globalization;

namespace WorkshopKit.Notebooks.Tests;

public class FileBasedAppTests
{
    [Fact]
    public async Task Hello_torch_sample_runs_as_a_file_based_app_and_prints_the_conv2d_result()
    {
        string output = await DotnetRunAsync(RepoRoot.Path, "samples/hello-torch.cs");
        Assert.Contains("TorchSharp 0.107.0", output, StringComparison.Ordinal);
        Assert.Contains("conv2d shape: [1, 1, 2, 2]", output, StringComparison.Ordinal);
        Assert.Contains("conv2d values: " + string.Join(" ", BoxSums()), output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_based_app_outside_the_repository_without_a_runtime_identifier_loads_one_libtorch()
    {
        // An attendee's own script: outside the repository, so Directory.Build.props (which sets a runtime identifier)
        // does not apply, and the native files stay under bin/.../runtimes/<rid>/native. Preloading another copy of
        // libtorch from the NuGet cache made libtorch abort the process ("multiple backend fallbacks").
        string folder = Path.Combine(Path.GetTempPath(), "workshopkit-own-script-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string project = Path.Combine(RepoRoot.Path, "lib", "WorkshopKit", "WorkshopKit.csproj");
            File.WriteAllText(Path.Combine(folder, "own.cs"), $$"""
                #:project {{project}}
                #:property PublishAot=false
                WorkshopKit.Runtime.TorchRuntime.Initialize();
                using var x = TorchSharp.torch.ones(1, 1, 4, 4);
                using var w = TorchSharp.torch.ones(1, 1, 3, 3);
                using var y = TorchSharp.torch.nn.functional.conv2d(x, w);
                System.Console.WriteLine($"sum {y.sum().item<float>()}");
                """);
            string output = await DotnetRunAsync(folder, "own.cs");
            // Four 3x3 windows of ones, each summing to 9.
            Assert.Contains("sum 36", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs <c>dotnet run FILE</c> in <paramref name="folder"/> (8 minutes at most), asserts exit code 0 and returns its standard output.</summary>
    private static async Task<string> DotnetRunAsync(string folder, string file)
    {
        var start = new ProcessStartInfo("dotnet", ["run", file])
        {
            WorkingDirectory = folder,
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
        return output;
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
