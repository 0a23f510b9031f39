using WorkshopKit.Runtime;

namespace WorkshopKit.Tests.Runtime;

public class TorchRuntimeTests
{
    [Fact]
    public void Conv2dRunsOnThisHostAndMatchesAHandComputedSum()
    {
        // 1x1x3x3 input 1..9 and an all-ones 2x2 kernel: each output is the sum of a 2x2 window.
        using var x = arange(1, 10, dtype: ScalarType.Float32).reshape(1, 1, 3, 3);
        using var w = ones(1, 1, 2, 2);
        using var y = nn.functional.conv2d(x, w);
        float[] expected = [1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9];
        Assert.Equal(expected, y.data<float>().ToArray());
    }

    [Fact]
    public void InitializeIsIdempotentAndReportsTheEnvironment()
    {
        var first = TorchRuntime.Initialize();
        var second = TorchRuntime.Initialize();
        Assert.Same(first, second);
        Assert.Equal("0.107.0", first.TorchSharpVersion);
        Assert.True(first.Threads >= 1);
        Assert.Contains("TorchSharp: 0.107.0", first.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void OnOldLibStdCxxTheUnusedRequirementIsWeakAndNothingElseChanged()
    {
        if (!OperatingSystem.IsLinux() || TorchRuntime.HostLibStdCxxDefines(TorchRuntime.UnusedGlibcxxVersion) != false)
            return; // the edit is only made, and only needed, on hosts that lack GLIBCXX_3.4.32
        var candidates = TorchRuntime.LibTorchSharpCandidates().ToList();
        Assert.NotEmpty(candidates);
        foreach (var path in candidates)
        {
            var needs = ElfVersionNeeds.Read(path);
            var weak = needs.Where(n => n.IsWeak).Select(n => n.Version).ToList();
            Assert.Equal([TorchRuntime.UnusedGlibcxxVersion], weak);
        }
    }
}
