using WorkshopKit.Geometry;

namespace WorkshopKit.Tests.Geometry;

/// <summary>
/// The relationships of Dumoulin and Visin, "A guide to convolution arithmetic for deep learning" (arXiv:1603.07285),
/// written here from the paper's formulas, checked over ranges of sizes; plus the animation cases of its companion repository.
/// </summary>
public class ConvArithmeticTests
{
    private static IEnumerable<(int i, int k)> InputsAndKernels()
    {
        for (int i = 1; i <= 12; i++)
            for (int k = 1; k <= i; k++)
                yield return (i, k);
    }

    [Fact]
    public void Relationship1_NoPaddingUnitStride()
    {
        foreach (var (i, k) in InputsAndKernels())
            Assert.Equal(i - k + 1, ConvGeometry.Conv(i, k).Output);
    }

    [Fact]
    public void Relationship2_ArbitraryPaddingUnitStride()
    {
        foreach (var (i, k) in InputsAndKernels())
            for (int p = 0; p <= 4; p++)
                Assert.Equal(i - k + 2 * p + 1, ConvGeometry.Conv(i, k, 1, ConvPadding.Symmetric(p)).Output);
    }

    [Fact]
    public void Relationship3_HalfPaddingKeepsTheSize()
    {
        for (int i = 1; i <= 12; i++)
            for (int k = 1; k <= 9; k += 2)
            {
                Assert.Equal(i, ConvGeometry.Conv(i, k, 1, ConvPadding.Symmetric(k / 2)).Output);
                var same = ConvGeometry.Conv(i, k, 1, ConvPadding.SamePyTorch);
                Assert.Equal((i, k / 2, k / 2), (same.Output, same.PadBefore, same.PadAfter));
            }
    }

    [Fact]
    public void Relationship4_FullPadding()
    {
        for (int i = 1; i <= 12; i++)
            for (int k = 1; k <= 7; k++)
            {
                var g = ConvGeometry.Conv(i, k, 1, ConvPadding.Full);
                Assert.Equal(i + k - 1, g.Output);
                Assert.Equal((k - 1, k - 1), (g.PadBefore, g.PadAfter));
            }
    }

    [Fact]
    public void Relationships5And6_Strides()
    {
        foreach (var (i, k) in InputsAndKernels())
            for (int s = 1; s <= 4; s++)
            {
                Assert.Equal((i - k) / s + 1, ConvGeometry.Conv(i, k, s).Output);
                for (int p = 0; p <= 3; p++)
                    Assert.Equal((int)Math.Floor((i + 2.0 * p - k) / s) + 1, ConvGeometry.Conv(i, k, s, ConvPadding.Symmetric(p)).Output);
            }
    }

    [Fact]
    public void Relationship7_Pooling()
    {
        foreach (var (i, k) in InputsAndKernels())
            for (int s = 1; s <= 4; s++)
                Assert.Equal((i - k) / s + 1, ConvGeometry.Pool(i, k, s).Output);
    }

    /// <summary>Relationships 8 to 14: the transposed convolution of a convolution (k, s, p) maps o back to i, and is a stride-1 convolution over a stretched input.</summary>
    [Fact]
    public void Relationships8To14_TransposedConvolution()
    {
        foreach (var (i, k) in InputsAndKernels())
            for (int s = 1; s <= 4; s++)
                for (int p = 0; p <= Math.Min(3, k - 1); p++)
                {
                    int o = ConvGeometry.Conv(i, k, s, ConvPadding.Symmetric(p)).Output;
                    int a = (i + 2 * p - k) % s; // relationship 14's a
                    var t = ConvGeometry.ConvTranspose(o, k, s, p, 1, a);
                    Assert.Equal(s * (o - 1) + a + k - 2 * p, t.Output); // relationship 14 (8-13 are its special cases)
                    Assert.Equal(i, t.Output);
                    if (s == 1 && p == 0) Assert.Equal(o + k - 1, t.Output); // relationship 8
                    if (s == 1) Assert.Equal(o + (k - 1) - 2 * p, t.Output); // relationship 9
                    // The equivalent direct convolution: stride 1, zeros between inputs, k - p - 1 zeros before, k - p - 1 + a after.
                    Assert.Equal(s - 1, t.ZerosBetweenInputs);
                    Assert.Equal((k - p - 1, k - p - 1 + a), (t.ImplicitPadBefore, t.ImplicitPadAfter));
                    int stretched = o + (o - 1) * (s - 1);
                    Assert.Equal(t.Output, stretched + t.ImplicitPadBefore + t.ImplicitPadAfter - k + 1);
                    Assert.Equal(a, ConvGeometry.OutputPaddingToInvert(ConvGeometry.Conv(i, k, s, ConvPadding.Symmetric(p))));
                }
    }

    [Fact]
    public void Relationships10And11_HalfAndFullPaddingTransposed()
    {
        for (int i = 1; i <= 12; i++)
            for (int k = 1; k <= 7; k += 2)
            {
                Assert.Equal(i, ConvGeometry.ConvTranspose(i, k, 1, k / 2).Output); // relationship 10
                if (i >= k) Assert.Equal(i - (k - 1), ConvGeometry.ConvTranspose(i, k, 1, k - 1).Output); // relationship 11
            }
    }

    [Fact]
    public void Relationship15_Dilation()
    {
        foreach (var (i, k) in InputsAndKernels())
            for (int d = 1; d <= 3; d++)
                for (int s = 1; s <= 3; s++)
                    for (int p = 0; p <= 2; p++)
                    {
                        int num = i + 2 * p - k - (k - 1) * (d - 1);
                        if (num < 0) continue;
                        Assert.Equal(num / s + 1, ConvGeometry.Conv(i, k, s, ConvPadding.Symmetric(p), d).Output);
                    }
    }

    /// <summary>The animations of the conv_arithmetic repository (vdumoulin/conv_arithmetic): input, kernel, stride, padding, dilation and output size.</summary>
    [Theory]
    [InlineData(4, 3, 1, 0, 1, 2)] // no_padding_no_strides
    [InlineData(5, 4, 1, 2, 1, 6)] // arbitrary_padding_no_strides
    [InlineData(5, 3, 1, 1, 1, 5)] // same_padding_no_strides
    [InlineData(5, 3, 1, 2, 1, 7)] // full_padding_no_strides
    [InlineData(5, 3, 2, 0, 1, 2)] // no_padding_strides
    [InlineData(5, 3, 2, 1, 1, 3)] // padding_strides
    [InlineData(6, 3, 2, 1, 1, 3)] // padding_strides_odd
    [InlineData(7, 3, 1, 0, 2, 3)] // dilation
    public void AnimationCases_Convolution(int i, int k, int s, int p, int d, int o)
    {
        Assert.Equal(o, ConvGeometry.Conv(i, k, s, ConvPadding.Symmetric(p), d).Output);
        Assert.Equal(o, ConvGeometry.Conv2d((i, i), (k, k), (s, s), ConvPadding.Symmetric(p), (d, d)).Output.Height);
    }

    [Theory]
    [InlineData(2, 3, 1, 0, 0, 4)] // no_padding_no_strides_transposed
    [InlineData(6, 4, 1, 2, 0, 5)] // arbitrary_padding_no_strides_transposed
    [InlineData(5, 3, 1, 1, 0, 5)] // same_padding_no_strides_transposed
    [InlineData(7, 3, 1, 2, 0, 5)] // full_padding_no_strides_transposed
    [InlineData(2, 3, 2, 0, 0, 5)] // no_padding_strides_transposed
    [InlineData(3, 3, 2, 1, 0, 5)] // padding_strides_transposed
    [InlineData(3, 3, 2, 1, 1, 6)] // padding_strides_odd_transposed
    public void AnimationCases_Transposed(int i, int k, int s, int p, int op, int o)
    {
        Assert.Equal(o, ConvGeometry.ConvTranspose(i, k, s, p, 1, op).Output);
    }

    [Theory]
    [InlineData(5, 3, 1, 5, 1, 1)]
    [InlineData(5, 3, 2, 3, 1, 1)] // odd total 2 -> 1 + 1
    [InlineData(6, 3, 2, 3, 0, 1)] // total 1: the extra zero goes at the end
    [InlineData(7, 4, 3, 3, 1, 2)] // total 3: 1 before, 2 after
    [InlineData(8, 2, 2, 4, 0, 0)]
    [InlineData(10, 5, 3, 4, 2, 2)]
    public void SameTensorFlow_OutputIsCeilAndExtraZeroAtTheEnd(int i, int k, int s, int o, int before, int after)
    {
        var g = ConvGeometry.Conv(i, k, s, ConvPadding.SameTensorFlow);
        Assert.Equal((int)Math.Ceiling(i / (double)s), g.Output);
        Assert.Equal((o, before, after), (g.Output, g.PadBefore, g.PadAfter));
    }

    [Fact]
    public void Pool_CeilModeDropsWindowsStartingInThePadding()
    {
        // 5 with k2 s2: floor 2, ceil 3 (last window half outside, starts inside).
        Assert.Equal(2, ConvGeometry.Pool(5, 2).Output);
        var ceil = ConvGeometry.Pool(5, 2, ceilMode: true);
        Assert.Equal((3, 1), (ceil.Output, ceil.PadAfter));
        // 4 with k2 s2 p1, ceil: (4+2-2)/2 -> ceil 2 + 1 = 3; the 4th would start at 6 >= 4+1, so 3.
        Assert.Equal(3, ConvGeometry.Pool(4, 2, 2, 1, ceilMode: true).Output);
    }

    [Fact]
    public void BadInput_ThrowsWithTheRuleAndNumbers()
    {
        var e = Assert.Throws<ArgumentException>(() => ConvGeometry.Conv(4, 5));
        Assert.Contains("5", e.Message); Assert.Contains("larger than the padded input", e.Message);
        e = Assert.Throws<ArgumentException>(() => ConvGeometry.Conv(4, 3, 0));
        Assert.Contains("stride=0", e.Message);
        e = Assert.Throws<ArgumentException>(() => ConvGeometry.Conv(4, 3, 1, null, 0));
        Assert.Contains("dilation=0", e.Message);
        e = Assert.Throws<ArgumentException>(() => ConvPadding.Explicit(-1, 0));
        Assert.Contains("before=-1", e.Message);
        e = Assert.Throws<ArgumentException>(() => ConvGeometry.Conv(8, 3, 2, ConvPadding.SamePyTorch));
        Assert.Contains("stride 1 only", e.Message); Assert.Contains("stride=2", e.Message);
        e = Assert.Throws<ArgumentException>(() => ConvGeometry.ConvTranspose(3, 3, 2, 0, 1, 2));
        Assert.Contains("output_padding=2", e.Message); Assert.Contains("stride=2", e.Message);
        e = Assert.Throws<ArgumentException>(() => ConvGeometry.Conv(5, 3, 1, ConvPadding.Valid, 3));
        Assert.Contains("larger than the padded input", e.Message);
        e = Assert.Throws<ArgumentException>(() => ConvGeometry.Pool(8, 2, 2, 2));
        Assert.Contains("kernel/2", e.Message);
        e = Assert.Throws<ArgumentException>(() => ConvGeometry.OutputPaddingToInvert(ConvGeometry.Conv(4, 3, 1, ConvPadding.Explicit(0, 2))));
        Assert.Contains("asymmetric", e.Message);
    }
}
