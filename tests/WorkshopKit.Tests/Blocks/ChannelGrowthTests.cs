using Plotly.NET;
using WorkshopKit.Blocks;

namespace WorkshopKit.Tests.Blocks;

/// <summary>
/// The channel trace against independent references: shapes from actually running the network block by block,
/// DenseNet's published rule (in + i·k after layer i), parameters grouped from the module's own parameter list,
/// and concatenation bytes summed by a loop written here.
/// </summary>
public class ChannelGrowthTests
{
    [Fact]
    public void DenseNetStepsMatchTheShapesOfARealForwardPassAndTheGrowthRule()
    {
        torch.manual_seed(3);
        using var model = ModelZoo.SmallDenseNet();
        model.eval();
        var trace = ChannelGrowth.Trace(model, FeatureShape.Mnist);

        // Run block by block and record each block's output shape.
        var shapes = new List<long[]>();
        using (no_grad())
        using (NewDisposeScope())
        {
            var x = zeros(1, 1, 28, 28);
            foreach (var block in model.Blocks) { x = block.call(x); shapes.Add(x.shape); }
        }
        // Steps: stem, 4 dense layers, transition, 4, transition, 4, classifier = 16.
        Assert.Equal(16, trace.Steps.Count);
        int[] blockEnds = [0, 4, 5, 9, 10, 14];
        for (int b = 0; b < blockEnds.Length; b++)
        {
            var s = trace.Steps[blockEnds[b]].Output;
            Assert.Equal(shapes[b], new[] { 1L, s.Channels, s.Height, s.Width });
        }
        // The classifier returns (N, 10); its description reports 10x1x1.
        Assert.Equal(new long[] { 1, 10 }, shapes[^1]);
        Assert.Equal(10, trace.Steps[15].Output.Channels);
        // Inside dense1 (24 in, k = 12): 36, 48, 60, 72.
        Assert.Equal(new long[] { 36, 48, 60, 72 }, trace.Steps.Skip(1).Take(4).Select(s => s.Output.Channels));
        Assert.Equal("dense1 layer 3", trace.Steps[3].Label);
        // dense3 ends widest: 42 + 4 x 12 = 90 maps.
        Assert.Equal(90, trace.Widest.Output.Channels);
    }

    [Fact]
    public void ParametersPerDenseLayerAgreeWithTheModulesParameterList()
    {
        var block = new DenseBlock(10, 3, 4, bottleneck: true, name: "d");
        var trace = ChannelGrowth.Trace(block, new FeatureShape(10, 6, 6));
        var perLayer = new long[3];
        foreach (var (name, p) in block.named_parameters())
        {
            // Parameter names look like "layers.<i>....": group by the layer index.
            int i = int.Parse(name.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture);
            perLayer[i] += p.numel();
        }
        Assert.Equal(perLayer, trace.Steps.Select(s => s.Parameters));
        Assert.Equal(block.parameters().Sum(p => p.numel()), trace.Steps.Sum(s => s.Parameters));
        Assert.All(trace.Steps, s => Assert.True(s.Macs > 0));
    }

    [Fact]
    public void ConcatenatedBytesAreTheCopiesANaiveDenseBlockMakes()
    {
        long c0 = 24, k = 12, h = 28, w = 28;
        int layers = 4;
        var trace = ChannelGrowth.Trace(new DenseBlock(c0, layers, k), new FeatureShape(c0, h, w));
        // Layer i >= 2 receives cat(input, y1..y(i-1)); the block returns cat(input, y1..yL): float32, one image.
        long bytes = 0;
        for (int i = 2; i <= layers; i++) bytes += (c0 + (i - 1) * k) * h * w * 4;
        bytes += (c0 + layers * k) * h * w * 4;
        Assert.Equal(bytes, trace.MergedBytes);
    }

    [Fact]
    public void ResidualBlocksCountTheirSumAndPlainLayersNothing()
    {
        using var model = ModelZoo.SmallResNet();
        var trace = ChannelGrowth.Trace(model, FeatureShape.Mnist);
        // res1 16x28x28, res2 32x14x14, res3 64x7x7, each one float32 sum x + F(x).
        long expected = (16 * 28 * 28 + 32 * 14 * 14 + 64 * 7 * 7) * 4;
        Assert.Equal(expected, trace.MergedBytes);
        Assert.Equal(0, trace.Steps[0].MergedBytes);
    }

    [Fact]
    public void AWrongInputIsRefusedWithTheBlocksMessage()
    {
        using var model = ModelZoo.SmallDenseNet();
        var e = Assert.Throws<BlockShapeException>(() => ChannelGrowth.Trace(model, new FeatureShape(3, 28, 28)));
        Assert.Contains("expected 1 input channels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheChartHasOneBarPerStepPlusTheInputAndAxisTitles()
    {
        var trace = ChannelGrowth.Trace(new DenseBlock(8, 3, 4, name: "d"), new FeatureShape(8, 5, 5));
        using var doc = System.Text.Json.JsonDocument.Parse(GenericChart.toJson(trace.ToChart()));
        var bar = doc.RootElement.GetProperty("data")[0];
        Assert.Equal("bar", bar.GetProperty("type").GetString());
        Assert.Equal(new long[] { 8, 12, 16, 20 }, bar.GetProperty("y").EnumerateArray().Select(v => v.GetInt64()));
        var layout = doc.RootElement.GetProperty("layout");
        Assert.Equal("channels (feature maps)", layout.GetProperty("yaxis").GetProperty("title").GetProperty("text").GetString());
    }
}
