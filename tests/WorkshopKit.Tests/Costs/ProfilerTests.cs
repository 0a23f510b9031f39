using WorkshopKit.Costs;
using static TorchSharp.torch.nn;

namespace WorkshopKit.Tests.Costs;

public class ProfilerTests
{
    [Fact]
    public void Profile_ReportsEveryLeaf_KnownCounts_AndNotCountedLayers()
    {
        torch.manual_seed(1);
        using var model = Sequential(
            ("conv", Conv2d(1, 10, 5)), ("relu", ReLU()), ("pool", MaxPool2d(2)),
            ("flat", Flatten()), ("fc", Linear(1440, 10)), ("soft", Softmax(1)));
        var p = ModelProfiler.Profile(model, [7, 1, 28, 28]);
        Assert.Equal(["conv", "relu", "pool", "flat", "fc", "soft"], p.Layers.Select(l => l.Name));
        var conv = p.Layers[0];
        Assert.Equal(new long[] { 7, 10, 24, 24 }, conv.OutputShape);
        Assert.Equal(260, conv.Parameters);
        Assert.Equal(1_008_000, conv.Cost!.Macs);
        Assert.Equal(1_048_320, conv.Cost.TorchinfoMultAdds);
        Assert.Equal(7 * 10 * 24 * 24 * 4, conv.ActivationBytes);
        Assert.Equal(7 * 10 * 12 * 12 * 3, p.Layers[2].Cost!.OtherFlops); // 2x2 max: 3 comparisons per output
        Assert.Equal(7 * 1440 * 10, p.Layers[4].Cost!.Macs);
        Assert.Equal(("5x5", "5x5", "6x6", "global"), (conv.ReceptiveField, p.Layers[1].ReceptiveField, p.Layers[2].ReceptiveField, p.Layers[4].ReceptiveField));
        Assert.Null(p.Layers[5].Cost);
        Assert.Equal(["soft (Softmax)"], p.NotCounted);
        Assert.Equal(260 + 14410, p.TotalParameters);
        Assert.Equal(1_008_000 + 7 * 14400, p.Macs);
        string text = p.ToString();
        Assert.Contains("not counted", text);
        Assert.Contains("1,008,000", text);
        Assert.Contains("<table", p.ToHtml());
    }

    [Fact]
    public void Profile_CountsTransposedAndSamePaddedConvolutions()
    {
        using var model = Sequential(("c", Conv2d(3, 4, 3, TorchSharp.Padding.Same)), ("t", ConvTranspose2d(4, 1, 2, stride: 2)));
        var p = ModelProfiler.Profile(model, [1, 3, 8, 8]);
        Assert.Equal(3 * 4 * 484, p.Layers[0].Cost!.Macs);
        Assert.Equal(3 * 4 * 576, p.Layers[0].Cost!.MacsAllTaps);
        Assert.Equal(4 * 64 * 4, p.Layers[1].Cost!.MacsAllTaps);
        Assert.Equal(new long[] { 1, 1, 16, 16 }, p.Layers[1].OutputShape);
    }

    [Fact]
    public void Throughput_ReportsPositiveRateFromCountedFlops()
    {
        using var conv = Conv2d(8, 8, 3);
        using var x = torch.randn(2, 8, 16, 16);
        var r = Throughput.Measure(conv, x, warmup: 1, iterations: 3);
        Assert.Equal(ModelProfiler.Profile(conv, x).Flops, r.Flops);
        Assert.True(r.SecondsPerCall > 0 && r.GflopsPerSecond > 0);
    }

    [Theory]
    [InlineData(1, 2, 1)]   // kernel 1, stride 2: every other output receives no input (it is the bias)
    [InlineData(2, 2, 2)]   // kernel 2, dilation 2, stride 2: the taps skip the odd outputs
    public void Profile_CountsTransposedConvolutionsWhoseStrideLeavesOutputsWithoutInput(int kernel, int stride, int dilation)
    {
        var model = Sequential(("up", ConvTranspose2d(3, 2, kernel, stride: stride, dilation: dilation)), ("act", ReLU()));
        using var x = ones(1, 3, 5, 5);
        var p = ModelProfiler.Profile(model, x);
        using var y = model.call(x);
        Assert.Equal(y.shape, p.Layers[0].OutputShape);
        // Brute force: scatter a ones kernel from every input pixel and count the products that land in the output.
        using var landing = functional.conv_transpose2d(ones(1, 1, 5, 5), ones(1, 1, kernel, kernel), null, [stride, stride], [0, 0], [0, 0], [dilation, dilation]);
        Assert.Equal((long)landing.sum().item<float>() * 3 * 2, p.Layers[0].Cost!.Macs);
        Assert.Equal("-", p.Layers[0].ReceptiveField);
        Assert.Contains("receive no input", p.Layers[0].Remark, StringComparison.Ordinal);
        Assert.Contains("receive no input", p.ToString(), StringComparison.Ordinal);
    }
}
