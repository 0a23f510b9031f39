using WorkshopKit.Blocks;
using WorkshopKit.Training;

namespace WorkshopKit.Tests.Training;

public class GradientProbeTests
{
    private static BlockSequence Small() => new("small",
        new ConvLayer(1, 4, 3, name: "c1"),
        new ConvLayer(4, 4, 3, stride: 2, name: "c2"),
        new ClassifierHead(new FeatureShape(4, 4, 4), 3));

    [Fact]
    public void WeightGradientsMatchBackward()
    {
        manual_seed(11);
        using var model = Small();
        using var x = randn(5, 1, 8, 8);
        using var y = tensor(new long[] { 0, 1, 2, 1, 0 });
        var probe = GradientProbe.WeightGradients(model, x, y);

        // Reference: an ordinary backward pass fills .grad; the probe must not have touched those fields.
        Assert.All(model.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
        using var loss = nn.functional.cross_entropy(model.call(x), y);
        loss.backward();
        var expected = model.parameters().Where(p => p.dim() == 4).Select(p => (double)p.grad!.norm().item<float>()).ToList();
        Assert.Equal(2, probe.Norms.Count);
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i], probe.Norms[i].Norm, 5);
        Assert.Equal(loss.item<float>(), probe.Loss, 5);
    }

    [Fact]
    public void InputGradientsMatchAutogradOnTheImage()
    {
        manual_seed(12);
        using var model = Small();
        using var x = randn(5, 1, 8, 8);
        using var y = tensor(new long[] { 2, 1, 0, 1, 2 });
        var probe = GradientProbe.InputGradients(model, x, y);

        // Reference for the first entry: gradient of the whole model's loss with respect to the image.
        using var xr = x.clone().requires_grad_(true);
        using var loss = nn.functional.cross_entropy(model.call(xr), y);
        var g = torch.autograd.grad([loss], [xr])[0];
        Assert.Equal(3, probe.Norms.Count);
        Assert.Equal(g.norm().item<float>(), probe.First, 5);
        Assert.StartsWith("input of c1", probe.Norms[0].Where, StringComparison.Ordinal);
        Assert.StartsWith("input of classifier", probe.Norms[2].Where, StringComparison.Ordinal);
        // Depth in convolutions passed: the image (0), after c1 (1), after c2 (2).
        Assert.Equal([0, 1, 2], probe.Norms.Select(n => n.Index));
    }

    [Fact]
    public void StepInputsOfAResidualStackCountTwoConvolutionsPerBlock()
    {
        manual_seed(13);
        using var stack = ModelZoo.ResidualStack(8);
        using var x = randn(4, 1, 28, 28);
        using var y = tensor(new long[] { 0, 1, 2, 3 });
        var probe = GradientProbe.InputGradients(stack, x, y);
        // stem (1 conv), three residual blocks (2 convs each), a last conv, the head: inputs after 0, 1, 3, 5, 7, 8 convs.
        Assert.Equal([0, 1, 3, 5, 7, 8], probe.Norms.Select(n => n.Index));
    }

    [Fact]
    public void ChartUsesALogAxisAndOneTracePerProfile()
    {
        var a = new GradientProfile("a", "w", [new GradientNorm(0, "x", 1e-6), new GradientNorm(1, "y", 1e-2)], 2.3);
        var json = Plotly.NET.GenericChart.toJson(GradientProbe.Chart("t", "layer", a, a with { Model = "b" }));
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(2, doc.RootElement.GetProperty("data").GetArrayLength());
        Assert.Equal("log", doc.RootElement.GetProperty("layout").GetProperty("yaxis").GetProperty("type").GetString());
    }

    [Fact]
    public void AModelWithoutConvolutionsIsRefused()
    {
        using var model = nn.Linear(3, 2);
        var e = Assert.Throws<ArgumentException>(() => GradientProbe.WeightGradients(model, ones(1, 3), tensor(new long[] { 0 })));
        Assert.Contains("no convolution weights", e.Message, StringComparison.Ordinal);
    }
}
