using WorkshopKit.Runtime;
using Xunit;
using static TorchSharp.torch;

namespace WorkshopKit.Tests.Runtime;

[Collection(ConvolutionSwitchCollection.Name)]
public class ConvSelfCheckTests
{
    // Two small configurations for the tests of the counting itself (the host's own errors must not enter them).
    private static readonly IReadOnlyList<ConvConfiguration> Small =
    [
        new("test", 4, 2, [3, 3], [1, 1], [1, 1], [1, 1], 1, false, [0, 0], 6, 6),
        new("test", 2, 3, [3, 3], [2, 2], [1, 1], [1, 1], 1, true, [1, 1], 4, 4),
    ];

    [Fact]
    public void ThisHostsFloat32ConvolutionsAgreeWithFloat64()
    {
        // No skip and no fallback: on a host whose CPUID cache leaf misleads oneDNN the kit's cure must make this pass.
        var result = ConvSelfCheck.Run(trials: 2);
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(TorchRuntime.Report!.ConvolutionBackend, result.Backend);
        // float32 and float64 never agree to the last bit on sums of many products: a worst error of 0 would mean the
        // check compared a result with itself.
        Assert.All(result.InUse, c => Assert.InRange(c.WorstError, 1e-9, ConvSelfCheck.Tolerance));
        // What the issue asks the check to cover: these output-channel counts, batches 8 to 64, one and all threads.
        var outChannels = result.InUse.Select(c => long.Parse(c.Name.Split(' ')[1].Split("->")[1], System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.Superset(new HashSet<long> { 1, 2, 4, 8, 20 }, outChannels);
        Assert.Equal([8L, 64L], result.InUse.Select(c => c.Batch).Distinct().Order());
        Assert.Contains(result.InUse, c => c.Threads == 1);
        if (get_num_threads() > 1) Assert.Contains(result.InUse, c => c.Threads == get_num_threads());
        // Where the kit cured this host, the table also holds the uncured side (the evidence), for every case.
        if (result.Backend == ConvSelfCheck.AtenBackend) Assert.Equal(result.InUse.Count, result.WithoutCure.Count);
        else Assert.Empty(result.WithoutCure);
    }

    [Fact]
    public void TheConfigurationsAreEveryConvolutionTheCourseTrains()
    {
        var keys = ConvSelfCheck.CourseConfigurations().Select(c => c.Key).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        // Independent of the hooks: the layers as notebook 04 and notebook 08 write them (their cells) and ModelZoo's
        // plain CNN's first layer, checked by hand from the constructors' arguments and the MNIST input.
        Assert.Contains("conv2d 1->8 k3x3 s2x2 p0x0 on 29x29", keys);       // 04: encode 28->14 (TensorFlow SAME pads 28 to 29)
        Assert.Contains("conv2d 8->1 k3x3 s1x1 p1x1 on 28x28", keys);       // 04: decode 14->28 after nearest x2
        Assert.Contains("conv2d 4->8 k3x3 s1x1 p1x1 on 14x14", keys);       // 04: decode 7->14
        Assert.Contains("conv2d 40->20 k1x1 s1x1 p0x0 on 14x14", keys);     // 08: transition 40 -> 20
        Assert.Contains("conv2d 4->2 k3x3 s1x1 p1x1 on 14x14", keys);       // the first defect probe
        Assert.Contains(keys, k => k.StartsWith("conv_transpose2d", StringComparison.Ordinal));
        Assert.True(keys.Count >= 20, $"only {keys.Count} configurations");
    }

    [Fact]
    public void CorruptedResultsAreCountedAsWrongOrNonFinite()
    {
        var wrong = ConvSelfCheck.Run(3, 1, corrupt: t => t * 1.01, Small);
        Assert.False(wrong.Passed);
        Assert.All(wrong.InUse, c => Assert.Equal((3, 0), (c.Wrong, c.NonFinite)));
        Assert.All(wrong.InUse, c => Assert.Equal(0.01, c.WorstError, 3));
        var nan = ConvSelfCheck.Run(3, 1, corrupt: t => { var u = t.clone(); u.view(-1)[0] = float.NaN; return u; }, Small);
        Assert.All(nan.InUse, c => Assert.Equal((0, 3), (c.Wrong, c.NonFinite)));
        int cases = 2 * ConvSelfCheck.BatchSizes.Count * (get_num_threads() > 1 ? 2 : 1);
        Assert.Equal(cases, nan.InUse.Count);
        Assert.Equal(2 * cases * 3, wrong.Failures + nan.Failures);
        Assert.Contains($"WRONG in {cases * 3} of {cases * 3} trials", nan.Summary, StringComparison.Ordinal);
        Assert.Contains("seed 1", nan.Summary, StringComparison.Ordinal);
        Assert.Contains("FAIL conv_transpose2d 2->3 k3x3 s2x2 p1x1 op1x1 on 4x4, batch 8, 1 thread(s)", nan.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheInputsAreSeeded()
    {
        var a = ConvSelfCheck.Run(2, 3, null, Small);
        var b = ConvSelfCheck.Run(2, 3, null, Small);
        var c = ConvSelfCheck.Run(2, 4, null, Small);
        Assert.Equal(a.InUse.Select(x => x.WorstError), b.InUse.Select(x => x.WorstError));
        Assert.NotEqual(a.InUse.Select(x => x.WorstError), c.InUse.Select(x => x.WorstError));
    }

    [Fact]
    public void RelativeErrorIsTheLargestDifferenceOverTheLargestReferenceMagnitude()
    {
        using var reference = tensor(new double[] { 1, -4, 2 });
        using var same = reference.to(ScalarType.Float32);
        using var off = tensor(new float[] { 1, -4, 2.2f });
        using var nan = tensor(new float[] { 1, float.NaN, 2 });
        Assert.Equal(0, ConvSelfCheck.RelativeError(same, reference));
        Assert.Equal(0.2 / 4, ConvSelfCheck.RelativeError(off, reference), 6); // brute force: |2.2 - 2| / max(|1|, |-4|, |2|)
        Assert.Equal(double.PositiveInfinity, ConvSelfCheck.RelativeError(nan, reference));
        var e = Assert.Throws<ArgumentException>(() => ConvSelfCheck.RelativeError(zeros(2), reference));
        Assert.Contains("[2]", e.Message, StringComparison.Ordinal);
        Assert.Contains("[3]", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_001)]
    public void TrialsOutsideTheRangeAreRefused(int trials) =>
        Assert.Contains(trials.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Throws<ArgumentOutOfRangeException>(() => ConvSelfCheck.Run(trials)).Message, StringComparison.Ordinal);
}
