using Plotly.NET;
using WorkshopKit.Visuals;

namespace WorkshopKit.Tests.Visuals;

public class TransposedConvStampingTests
{
    [Theory]
    [InlineData(3, 3, 2)]
    [InlineData(4, 2, 2)]
    [InlineData(3, 4, 3)]
    [InlineData(5, 1, 2)]
    public void StampingAndZeroInsertionBothEqualConvTranspose2d(int size, int k, int stride)
    {
        manual_seed(11);
        using var x = randint(-3, 4, [size, size]).to_type(ScalarType.Float32);
        using var w = randint(-2, 3, [k, k]).to_type(ScalarType.Float32);
        using var reference = nn.functional.conv_transpose2d(x.reshape(1, 1, size, size), w.reshape(1, 1, k, k), null, [stride, stride])[0, 0];
        using var stamped = TransposedConvStamping.Stamp(x, w, stride);
        using var stretched = TransposedConvStamping.ZeroInserted(x, w, stride);
        using var viaConv = nn.functional.conv2d(stretched.reshape(1, 1, stretched.shape[0], stretched.shape[1]), w.flip(0, 1).reshape(1, 1, k, k))[0, 0];
        Assert.Equal(0f, (stamped - reference).abs().max().item<float>());
        Assert.Equal(0f, (viaConv - reference).abs().max().item<float>());
    }

    [Fact]
    public void TheAnimationHasOneStepPerInputPixelAndFourPanels()
    {
        using var x = arange(9, dtype: ScalarType.Float32).reshape(3, 3) - 4;
        using var w = ones(3, 3);
        using var doc = System.Text.Json.JsonDocument.Parse(GenericChart.toJson(TransposedConvStamping.ToChart(x, w, 2)));
        Assert.Equal(4, doc.RootElement.GetProperty("data").GetArrayLength());
        Assert.Equal(9, doc.RootElement.GetProperty("layout").GetProperty("sliders")[0].GetProperty("steps").GetArrayLength());
        Assert.Throws<ArgumentException>(() => TransposedConvStamping.Stamp(x, w, 0));
    }
}
