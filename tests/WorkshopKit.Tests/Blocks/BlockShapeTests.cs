using WorkshopKit.Blocks;
using WorkshopKit.ReceptiveFields;
using WorkshopKit.Geometry;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Tests.Blocks;

public class BlockShapeTests
{
    private static long Ceil(long a, long b) => (a + b - 1) / b;

    [Fact]
    public void SamePaddingMatchesTensorFlowForEveryStrideIncludingTheExtraZeroAtTheEnd()
    {
        torch.manual_seed(1);
        foreach (long n in new long[] { 5, 6, 7, 8 })
            foreach (long k in new long[] { 1, 2, 3, 4, 5 })
                foreach (long s in new long[] { 1, 2, 3 })
                {
                    using var scope = NewDisposeScope();
                    var layer = new ConvLayer(2, 3, k, s, ConvPadding.SameTensorFlow, activation: Activation.None);
                    var x = randn(1, 2, n, n);
                    var y = layer.call(x);
                    // TensorFlow's rule, written out: out = ceil(n/s); total = max((out-1)s + k - n, 0); before = total/2, after = rest.
                    long outSize = Ceil(n, s);
                    long total = Math.Max((outSize - 1) * s + k - n, 0);
                    long before = total / 2;
                    var padded = zeros(1, 2, n + total, n + total);
                    padded[.., .., TensorIndex.Slice(before, before + n), TensorIndex.Slice(before, before + n)] = x;
                    var weight = layer.parameters().First(p => p.dim() == 4);
                    var bias = layer.parameters().First(p => p.dim() == 1);
                    var expected = F.conv2d(padded, weight, bias, strides: [s, s]);
                    Assert.Equal([1, 3, outSize, outSize], y.shape);
                    Assert.True(y.allclose(expected, 1e-5, 1e-5), $"n={n} k={k} s={s}");
                    Assert.Equal(new FeatureShape(3, outSize, outSize), layer.OutputShape(new FeatureShape(2, n, n)));
                }
    }

    [Theory]
    [InlineData(10, 3, 1, 0, 8)]
    [InlineData(10, 3, 2, 0, 4)]
    [InlineData(10, 3, 2, 1, 5)]
    [InlineData(9, 5, 1, 2, 9)]
    public void ValidAndExplicitPaddingFollowThePyTorchFormula(long n, long k, long s, long p, long expected)
    {
        var padding = p == 0 ? ConvPadding.Valid : ConvPadding.Symmetric((int)p);
        var layer = new ConvLayer(1, 1, k, s, padding);
        using var y = layer.call(ones(1, 1, n, n));
        Assert.Equal(expected, y.shape[2]);
        Assert.Equal(expected, layer.OutputShape(new FeatureShape(1, n, n)).Height);
    }

    [Fact]
    public void ConvLayerParametersAreWeightsPlusBiasOrNormalizationScaleAndShift()
    {
        // k²·Cin·Cout weights + Cout biases; with batch norm the bias is dropped and BN adds 2·Cout (γ, β).
        Assert.Equal(9 * 3 * 8 + 8, new ConvLayer(3, 8, 3).ParameterCount);
        Assert.Equal(9 * 3 * 8 + 2 * 8, new ConvLayer(3, 8, 3, normalization: Normalization.Batch).ParameterCount);
        Assert.Equal(25 * 4 * 6 + 6, new ConvLayer(4, 6, 5, dilation: 2).ParameterCount);
    }

    [Fact]
    public void ConvLayerMacsAreOutputPixelsTimesKernelTimesChannels()
    {
        var report = new ConvLayer(3, 8, 3, 2).Describe(new FeatureShape(3, 28, 28));
        Assert.Equal(14L * 14 * 9 * 3 * 8, report.Macs);
        Assert.Equal(2 * report.Macs, report.Flops);
    }

    [Fact]
    public void SameMaxPoolingMatchesABruteForceMaximumOverRealCells()
    {
        torch.manual_seed(2);
        using var x = randn(1, 1, 5, 5);
        var pool = new MaxPool2d(3, 2, ConvPadding.SameTensorFlow);
        using var y = pool.call(x);
        Assert.Equal([1, 1, 3, 3], y.shape);
        var v = x[0, 0].data<float>().ToArray();
        // total pad = (3-1)*2 + 3 - 5 = 2 -> one before, one after.
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                float best = float.NegativeInfinity;
                for (int a = 2 * i - 1; a <= 2 * i + 1; a++)
                    for (int b = 2 * j - 1; b <= 2 * j + 1; b++)
                        if (a >= 0 && a < 5 && b >= 0 && b < 5) best = Math.Max(best, v[a * 5 + b]);
                Assert.Equal(best, y[0, 0, i, j].item<float>());
            }
    }

    [Fact]
    public void SameAveragePoolingAveragesOnlyRealCells()
    {
        using var x = ones(1, 1, 5, 5);
        using var y = new AvgPool2d(2, 2, ConvPadding.SameTensorFlow).call(x);
        // Mean of real ones is 1 everywhere, also in the last window that overlaps the padding.
        Assert.Equal([1, 1, 3, 3], y.shape);
        Assert.True(y.eq(1).all().item<bool>());
    }

    [Fact]
    public void GlobalAveragePoolingGivesTheChannelMeans()
    {
        torch.manual_seed(3);
        using var x = randn(2, 4, 6, 5);
        using var y = new AdaptiveAvgPool2d(1).call(x);
        Assert.Equal([2, 4, 1, 1], y.shape);
        Assert.True(y.flatten(1).allclose(x.flatten(2).mean([2]), 1e-6, 1e-6));
        // Reference: TorchSharp's own module with the same output size.
        using var reference = torch.nn.AdaptiveAvgPool2d(1).call(x);
        Assert.True(y.allclose(reference, 1e-6, 1e-6));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveAvgPool2d(2));
        Assert.Contains("nn.AdaptiveAvgPool2d(2)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ResizeMode.Nearest)]
    [InlineData(ResizeMode.Bilinear)]
    public void ParameterFreeUpsamplingScalesTheSize(ResizeMode mode)
    {
        using var x = arange(4f).reshape(1, 1, 2, 2);
        using var y = new Upsample2d(mode, 3).call(x);
        Assert.Equal([1, 1, 6, 6], y.shape);
        if (mode == ResizeMode.Nearest) Assert.Equal(3f, y[0, 0, 5, 5].item<float>());
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(2, 2)]
    [InlineData(4, 2)]
    [InlineData(5, 2)]
    [InlineData(1, 2)]
    [InlineData(3, 3)]
    [InlineData(3, 1)]
    public void TransposedConvLayerMultipliesTheSizeByItsStride(long k, long s)
    {
        var layer = new TransposedConvLayer(4, 2, k, s);
        using var y = layer.call(ones(1, 4, 7, 6));
        Assert.Equal([1, 2, 7 * s, 6 * s], y.shape);
        // k²·Cin·Cout weights + Cout biases.
        Assert.Equal(k * k * 4 * 2 + 2, layer.ParameterCount);
    }

    [Fact]
    public void ResizeConvUpsamplesThenConvolves()
    {
        var layer = new ResizeConv(4, 2);
        using var y = layer.call(ones(1, 4, 5, 5));
        Assert.Equal([1, 2, 10, 10], y.shape);
        Assert.Equal(9 * 4 * 2 + 2, layer.ParameterCount);
    }

    [Fact]
    public void CheckerboardCountsTheOverlapOfTransposedConvolutionTaps()
    {
        using var grid = Checkerboard.TransposedConvOverlap(5, 3, 2);
        // Brute force: scatter every input pixel's 3x3 kernel of ones into the output at stride 2.
        int outSize = (5 - 1) * 2 + 3;
        var counts = new float[outSize, outSize];
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
                for (int a = 0; a < 3; a++)
                    for (int b = 0; b < 3; b++) counts[2 * i + a, 2 * j + b] += 1;
        Assert.Equal([outSize, outSize], grid.shape);
        for (int r = 0; r < outSize; r++)
            for (int c = 0; c < outSize; c++) Assert.Equal(counts[r, c], grid[r, c].item<float>());
        // The interior alternates 4/2/1: uneven, a checkerboard; resize-convolve is uniform inside.
        Assert.Equal(4f, grid[2, 2].item<float>());
        Assert.Equal(1f, grid[3, 3].item<float>());
        using var resize = Checkerboard.ResizeConvOverlap(5, 3, 2);
        Assert.True(resize[TensorIndex.Slice(1, -1), TensorIndex.Slice(1, -1)].eq(9).all().item<bool>());
        Assert.Contains("  4  2  4", Checkerboard.ToText(grid), StringComparison.Ordinal);
    }

    [Fact]
    public void ReceptiveFieldGrowsByKernelMinusOneTimesTheJump()
    {
        var two3x3 = new BlockSequence("two", new ConvLayer(1, 1, 3), new ConvLayer(1, 1, 3));
        Assert.Equal(new ReceptiveField(5, 1), two3x3.Describe(new FeatureShape(1, 16, 16)).Field);
        // 3x3 s2 -> field 3, jump 2; then 3x3: 3 + 2·2 = 7.
        var strided = new BlockSequence("strided", new ConvLayer(1, 1, 3, 2), new ConvLayer(1, 1, 3));
        Assert.Equal(new ReceptiveField(7, 2), strided.Describe(new FeatureShape(1, 16, 16)).Field);
        // Dilation 2 makes a 3x3 kernel span 5 pixels.
        Assert.Equal(5, new ConvLayer(1, 1, 3, dilation: 2).Describe(new FeatureShape(1, 9, 9)).Field.Size);
    }
}
