using WorkshopKit.Precision;

namespace WorkshopKit.Tests.Precision;

public class FormatTests
{
    [Fact]
    public void FixedPointRangeAndSpacingFollowThePaper()
    {
        var f = NumberFormat.Fixed(16, 12); // <4,12>
        Assert.Equal(4, f.IntegerBits);
        Assert.Equal(12, f.FractionBits);
        Assert.Equal(16, f.WordLength);
        Assert.Equal(1.0 / 4096, f.Epsilon);
        Assert.Equal(-8f, f.Min);
        Assert.Equal(8f - 1f / 4096, f.Max);
        Assert.Equal("<4,12>", f.Name);
        Assert.Equal(f, FixedPoint.FromBits(4, 12));
    }

    [Fact]
    public void WideWordsClampToTheLargestFloat32BelowTheTopGridValue()
    {
        var f = NumberFormat.Fixed(32, 0); // top grid value 2^31 - 1 has no float32 twin
        Assert.True(f.Max <= 2147483647.0);
        Assert.Equal(2147483647.0, (double)f.Max, 128.0); // within one float32 step (128) of it
        Assert.Equal(-2147483648f, f.Min);
    }

    [Theory]
    [InlineData(8, 8, "WL > FL")]
    [InlineData(4, 8, "WL > FL")]
    [InlineData(33, 8, "WL <= 32")]
    [InlineData(16, -1, "FL >= 0")]
    public void BadFixedPointFormatsNameTheRuleAndValues(int wl, int fl, string rule)
    {
        var e = Assert.Throws<ArgumentException>(() => NumberFormat.Fixed(wl, fl));
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
        Assert.Contains(fl.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FloatTargetsKnowTheirLargestFiniteValue()
    {
        Assert.Equal(65504f, FloatFormat.Float16.Max);          // IEEE binary16 max
        Assert.Equal((float)Half.MaxValue, FloatFormat.Float16.Max);
        Assert.Equal(BitConverter.UInt32BitsToSingle(0x7F7F0000), FloatFormat.BFloat16.Max);
        Assert.Equal(-65504f, FloatFormat.Float16.Min);
    }

    [Fact]
    public void UnknownModesIntegerTensorsAndUnsupportedFloatModesAreRejected()
    {
        var e1 = Assert.Throws<ArgumentException>(() => new Quantizer(NumberFormat.Fixed(16, 8), (Rounding)42));
        Assert.Contains("42", e1.Message, StringComparison.Ordinal);
        Assert.Contains("Stochastic", e1.Message, StringComparison.Ordinal);
        var e2 = Assert.Throws<ArgumentException>(() => new Quantizer(FloatFormat.Float16, Rounding.Down));
        Assert.Contains("Nearest and Stochastic", e2.Message, StringComparison.Ordinal);
        using var ints = arange(10);
        var q = new Quantizer(NumberFormat.Fixed(16, 8), Rounding.Nearest);
        var e3 = Assert.Throws<ArgumentException>(() => q.Quantize(ints));
        Assert.Contains("Int64", e3.Message, StringComparison.Ordinal);
        Assert.Contains("floating-point", e3.Message, StringComparison.Ordinal);
    }
}
