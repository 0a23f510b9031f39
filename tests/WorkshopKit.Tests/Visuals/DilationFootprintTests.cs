using Plotly.NET;
using WorkshopKit.Visuals;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Tests.Visuals;

public class DilationFootprintTests
{
    [Theory]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    [InlineData(3, 3)]
    [InlineData(2, 4)]
    public void TheFootprintIsWhatConv2dWithDilationReads(int k, int d)
    {
        // Reference: the gradient of the first output of a dilated conv2d with weights 1..k*k is the weight
        // of the tap that read each input cell, and 0 for cells no tap reads.
        int span = d * (k - 1) + 1;
        using var scope = NewDisposeScope();
        var x = zeros(1, 1, span + 2, span + 2, requires_grad: true);
        var w = arange(1, k * k + 1, dtype: ScalarType.Float32).reshape(1, 1, k, k);
        F.conv2d(x, w, dilation: [d, d])[0, 0, 0, 0].backward();
        var grad = x.grad![0, 0].narrow(0, 0, span).narrow(1, 0, span);

        var taps = DilationFootprint.Taps(k, d);
        Assert.Equal(span, taps.GetLength(0));
        Assert.Equal(span, taps.GetLength(1));
        Assert.Equal(grad.contiguous().data<float>().ToArray(), taps.Cast<float>().ToArray());
        Assert.Equal(k * k, taps.Cast<float>().Count(v => v > 0));
    }

    [Fact]
    public void TheChartHasOneHeatmapPerDilationLabelledWithItsEffectiveSize()
    {
        var json = GenericChart.toJson(DilationFootprint.ToChart(3, [1, 2, 3]));
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(3, doc.RootElement.GetProperty("data").GetArrayLength());
        var labels = doc.RootElement.GetProperty("layout").GetProperty("annotations").EnumerateArray()
            .Select(a => a.GetProperty("text").GetString()).ToList();
        Assert.Equal(new[] { "dilation 1: effective 3x3", "dilation 2: effective 5x5", "dilation 3: effective 7x7" }, labels);
        Assert.Equal("input column (from window start)", doc.RootElement.GetProperty("layout").GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void BadArgumentsNameTheRule()
    {
        Assert.Contains("dilation must be at least 1", Assert.Throws<ArgumentException>(() => DilationFootprint.Taps(3, 0)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => DilationFootprint.Taps(0, 1));
        Assert.Throws<ArgumentException>(() => DilationFootprint.ToChart(3, []));
    }
}
