using Plotly.NET;
using WorkshopKit.Visuals;

namespace WorkshopKit.Tests.Visuals;

public class ConvolutionWalkthroughTests
{
    [Theory]
    [InlineData(5, 3, 2, 2, 0, 0)]   // the stride-2 example: 5x5 input, 3x3 kernel -> 2x2
    [InlineData(5, 3, 1, 1, 1, 1)]   // SAME-style padding, stride 1 -> 5x5
    [InlineData(6, 3, 2, 1, 0, 1)]   // different strides per direction, asymmetric padding
    public void OutputsMatchConv2dAndEachStepSumsItsProducts(int size, int k, int strideY, int strideX, int padBefore, int padAfter)
    {
        manual_seed(7);
        using var x = randint(0, 5, [size, size]).to_type(ScalarType.Float32);
        using var w = randint(-1, 2, [k, k]).to_type(ScalarType.Float32);
        var walk = ConvolutionWalkthrough.Create(x, w, (strideY, strideX), (padBefore, padAfter, padBefore, padAfter));

        using var padded = nn.functional.pad(x.reshape(1, 1, size, size), [padBefore, padAfter, padBefore, padAfter]);
        using var reference = nn.functional.conv2d(padded, w.reshape(1, 1, k, k), strides: [strideY, strideX])[0, 0];
        Assert.Equal(reference.shape[0], walk.Output.GetLength(0));
        Assert.Equal(reference.shape[1], walk.Output.GetLength(1));
        Assert.Equal(reference.data<float>().ToArray(), walk.Output.Cast<float>().ToArray());

        Assert.Equal(walk.Output.Length, walk.Steps.Count);
        foreach (var step in walk.Steps)
        {
            Assert.Equal(step.Row * strideY, step.Top);
            Assert.Equal(step.Column * strideX, step.Left);
            // products, recomputed by hand from the padded input and the kernel
            float sum = 0;
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++)
                {
                    float expected = walk.PaddedInput[step.Top + i, step.Left + j] * walk.Kernel[i, j];
                    Assert.Equal(expected, step.Products[i, j]);
                    sum += expected;
                }
            Assert.Equal(sum, step.Output);
        }
    }

    [Fact]
    public void TheChartHasOneSliderStepPerWindowAndFourHeatmaps()
    {
        using var x = arange(25, dtype: ScalarType.Float32).reshape(5, 5);
        using var w = ones(3, 3);
        var json = GenericChart.toJson(ConvolutionWalkthrough.Create(x, w, (2, 2)).ToChart());
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var data = doc.RootElement.GetProperty("data");
        Assert.Equal(4, data.GetArrayLength()); // input, filter, products, output
        Assert.All(data.EnumerateArray(), t => Assert.Equal("heatmap", t.GetProperty("type").GetString()));
        var steps = doc.RootElement.GetProperty("layout").GetProperty("sliders")[0].GetProperty("steps");
        Assert.Equal(4, steps.GetArrayLength());
        Assert.Equal("(1,1)", steps[3].GetProperty("label").GetString());
    }

    [Fact]
    public void EachSliderStepOutlinesItsWindowAndShowsItsProducts()
    {
        // 6x6 input, 3x3 kernel, stride 2 down and 1 across, one zero of padding on each side: 8x8 padded, 3x6 output.
        using var x = arange(36, dtype: ScalarType.Float32).reshape(6, 6);
        using var w = arange(9, dtype: ScalarType.Float32).reshape(3, 3) - 4;
        var walk = ConvolutionWalkthrough.Create(x, w, (2, 1), (1, 1, 1, 1));
        using var doc = System.Text.Json.JsonDocument.Parse(GenericChart.toJson(walk.ToChart()));
        var steps = doc.RootElement.GetProperty("layout").GetProperty("sliders")[0].GetProperty("steps");
        Assert.Equal(18, steps.GetArrayLength());
        var xs = x.data<float>().ToArray();
        var ws = w.data<float>().ToArray();
        foreach (int s in new[] { 0, 7, 17 })
        {
            int row = s / 6, column = s % 6, top = 2 * row, left = column; // window position in the padded input
            var args = steps[s].GetProperty("args");
            var shapes = args[1].GetProperty("shapes").EnumerateArray().ToList();
            Assert.Equal(5, shapes.Count); // four filled padding strips (top, bottom, left, right), then the window
            Assert.Equal((-0.5, 7.5, -0.5, 0.5), Box(shapes[0]));
            Assert.Equal((-0.5, 7.5, 6.5, 7.5), Box(shapes[1]));
            Assert.Equal((-0.5, 0.5, 0.5, 6.5), Box(shapes[2]));
            Assert.Equal((6.5, 7.5, 0.5, 6.5), Box(shapes[3]));
            Assert.All(shapes.Take(4), p => Assert.Equal(ConvolutionWalkthrough.PaddingTint, p.GetProperty("fillcolor").GetString()));
            Assert.False(shapes[4].TryGetProperty("fillcolor", out _));
            Assert.Equal((left - 0.5, left + 2.5, top - 0.5, top + 2.5), Box(shapes[4]));
            // products: input under the window (0 in the padding) times the kernel, from the tensors themselves
            Assert.Equal([0, 1, 2, 3], args[2].EnumerateArray().Select(e => e.GetInt32())); // input, filter, products, output
            var products = args[0].GetProperty("z")[2];
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                {
                    int r = top + i - 1, c = left + j - 1;
                    float input = r is >= 0 and < 6 && c is >= 0 and < 6 ? xs[r * 6 + c] : 0;
                    Assert.Equal(input * ws[i * 3 + j], products[i][j].GetDouble(), 4);
                }
            // the output so far: filled up to this window, empty after it
            var output = args[0].GetProperty("z")[3];
            Assert.NotEqual(System.Text.Json.JsonValueKind.Null, output[row][column].ValueKind);
            if (s + 1 < 18) Assert.Equal(System.Text.Json.JsonValueKind.Null, output[(s + 1) / 6][(s + 1) % 6].ValueKind);
        }
    }

    [Fact]
    public void ProductsUseOneRangeCentredOnZeroAndTheOutputKeepsTheFinalOutputsRange()
    {
        using var x = arange(36, dtype: ScalarType.Float32).reshape(6, 6);
        using var w = arange(9, dtype: ScalarType.Float32).reshape(3, 3) - 4;
        var walk = ConvolutionWalkthrough.Create(x, w, (2, 1), (1, 1, 1, 1));
        using var doc = System.Text.Json.JsonDocument.Parse(GenericChart.toJson(walk.ToChart()));
        var data = doc.RootElement.GetProperty("data");
        double largestProduct = walk.Steps.SelectMany(s => s.Products.Cast<float>()).Max(v => Math.Abs(v));
        Assert.Equal("RdBu", data[2].GetProperty("colorscale").GetString());
        Assert.Equal(-largestProduct, data[2].GetProperty("zmin").GetDouble(), 4);
        Assert.Equal(largestProduct, data[2].GetProperty("zmax").GetDouble(), 4);
        Assert.Equal(walk.Output.Cast<float>().Min(), data[3].GetProperty("zmin").GetDouble(), 4);
        Assert.Equal(walk.Output.Cast<float>().Max(), data[3].GetProperty("zmax").GetDouble(), 4);
        Assert.Equal(-4, data[1].GetProperty("zmin").GetDouble(), 4); // the filter: symmetric around 0
        Assert.Equal(4, data[1].GetProperty("zmax").GetDouble(), 4);
    }

    private static (double, double, double, double) Box(System.Text.Json.JsonElement shape) =>
        (shape.GetProperty("x0").GetDouble(), shape.GetProperty("x1").GetDouble(), shape.GetProperty("y0").GetDouble(), shape.GetProperty("y1").GetDouble());

    [Fact]
    public void AKernelLargerThanThePaddedInputIsRefusedWithSizes()
    {
        using var x = ones(2, 2);
        using var w = ones(3, 3);
        var e = Assert.Throws<ArgumentException>(() => ConvolutionWalkthrough.Create(x, w, (1, 1)));
        Assert.Contains("3x3 kernel does not fit in the 2x2 padded input", e.Message, StringComparison.Ordinal);
    }
}
