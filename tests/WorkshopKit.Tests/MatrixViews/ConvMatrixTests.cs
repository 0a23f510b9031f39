using WorkshopKit.Costs;
using WorkshopKit.Geometry;
using WorkshopKit.MatrixViews;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Tests.MatrixViews;

public class ConvMatrixTests
{
    [Fact]
    public void W_ReproducesConv2d_ItsTransposeIsConvTransposeAndTheGradient_OverRandomConfigurations()
    {
        torch.manual_seed(11);
        var rng = new Random(1410);
        int done = 0;
        while (done < 200)
        {
            int groups = rng.Next(1, 3), cin = groups * rng.Next(1, 3), cout = groups * rng.Next(1, 3);
            int h = rng.Next(1, 8), w = rng.Next(1, 8), kh = rng.Next(1, 4), kw = rng.Next(1, 4), s = rng.Next(1, 3), d = rng.Next(1, 3);
            var padding = rng.Next(4) switch { 0 => ConvPadding.Valid, 1 => ConvPadding.SameTensorFlow, 2 => ConvPadding.Symmetric(rng.Next(3)), _ => ConvPadding.Explicit(rng.Next(3), rng.Next(3)) };
            Geometry2d g;
            try { g = ConvGeometry.Conv2d((h, w), (kh, kw), (s, s), padding, (d, d)); } catch (ArgumentException) { continue; }
            using var scope = torch.NewDisposeScope();
            var weight = torch.randn(cout, cin / groups, kh, kw, float64);
            var bias = torch.randn(cout, float64);
            var x = torch.randn(1, cin, h, w, float64);
            using var m = ConvMatrix.Build(weight, (cin, h, w), (s, s), padding, (d, d), groups, bias);

            var reference = F.conv2d(F.pad(x, g.PadArgument), weight, bias, strides: [s, s], dilation: [d, d], groups: groups);
            Assert.Equal("compressed rows (WorkshopKit kernel)", m.ProductKernel);
            Assert.True(torch.allclose(m.Apply(x), reference[0], 1e-10, 1e-12));             // the compressed-row kernel
            Assert.True(torch.allclose(m.ApplyWithGather(x), reference[0], 1e-10, 1e-12));   // the COO entries, gather + index_add
            Assert.True(torch.allclose(m.ApplyWithSparseMm(x), reference[0], 1e-10, 1e-12)); // the COO tensor itself, through torch.mm
            Assert.Equal(LayerCosts.Conv(1, cin, cout, [g.Height, g.Width], groups).Macs, m.NonZeros); // non-zeros = exact MACs

            // W^T y equals the gradient of <conv(x), y> with respect to x ...
            var y = torch.randn(1, cout, g.Height.Output, g.Width.Output, float64);
            var xg = x.clone().requires_grad_(true);
            var inner = (F.conv2d(F.pad(xg, g.PadArgument), weight, strides: [s, s], dilation: [d, d], groups: groups) * y).sum();
            var grad = torch.autograd.grad([inner], [xg])[0];
            var wty = m.ApplyTranspose(y);
            Assert.True(torch.allclose(wty, grad[0], 1e-10, 1e-12));
            // ... and conv_transpose2d with the output padding from the geometry, whenever PyTorch's symmetric padding can express it.
            if (g.IsSymmetric)
            {
                int opH, opW;
                try { opH = ConvGeometry.OutputPaddingToInvert(g.Height); opW = ConvGeometry.OutputPaddingToInvert(g.Width); }
                catch (ArgumentException) { done++; continue; }
                var t = F.conv_transpose2d(y, weight, strides: [s, s], padding: [g.Height.PadBefore, g.Width.PadBefore],
                    output_padding: [opH, opW], dilation: [d, d], groups: groups);
                Assert.True(torch.allclose(wty, t[0], 1e-10, 1e-12));
            }
            done++;
        }
    }

    [Fact]
    public void Dense_SmallMatrix_StatisticsAndRefusalAboveTheLimit()
    {
        using var weight = torch.arange(1, 10, float32).view(1, 1, 3, 3);
        using var m = ConvMatrix.Build(weight, (1, 5, 5));
        var stats = m.Statistics();
        Assert.Equal((9L, 25L, 81L, 9L), (stats.Rows, stats.Columns, stats.NonZeros, stats.DistinctValues));
        Assert.Equal(81.0 / 225.0, stats.Density, 12);
        using var dense = m.ToDense();
        // Row 0 is the first window: weights at columns 0-2, 5-7, 10-12.
        Assert.Equal(new float[] { 1, 2, 3, 0, 0, 4, 5, 6, 0, 0, 7, 8, 9 }, dense[0, ..13].data<float>().ToArray());
        using var x = torch.randn(1, 1, 5, 5);
        Assert.True(torch.allclose(dense.matmul(x.reshape(25)).view(1, 3, 3), F.conv2d(x, weight)[0], 1e-5, 1e-6));
        var e = Assert.Throws<ArgumentException>(() => m.ToDense(maxElements: 100));
        Assert.Contains("sparse", e.Message);
        Assert.Contains("225", e.Message);
    }

    [Fact]
    public void Im2Col_IsOneMatrixProduct_WithItsBlowUpFactor()
    {
        torch.manual_seed(3);
        using var x = torch.randn(2, 3, 10, 10, float64);
        using var w = torch.randn(4, 3, 3, 3, float64);
        var view = Im2Col.Convolve(x, w, (2, 2), ConvPadding.SameTensorFlow);
        using var reference = F.conv2d(F.pad(x, [0, 1, 0, 1]), w, strides: [2, 2]);
        Assert.True(torch.allclose(view.Output, reference, 1e-10, 1e-12));
        Assert.Equal(new long[] { 2, 27, 25 }, view.Columns.shape);
        Assert.Equal(2 * 27 * 25 / (2.0 * 3 * 100), view.BlowUpFactor, 12);
    }

    [Fact]
    public void LargeSameConvolution_HasTheStatedSize_AndMatchesConv2d()
    {
        torch.manual_seed(5);
        using var weight = torch.randn(16, 16, 3, 3);
        using var x = torch.randn(1, 16, 64, 64);
        using var m = ConvMatrix.Build(weight, (16, 64, 64), padding: ConvPadding.SameTensorFlow);
        Assert.Equal((65_536L, 65_536L, 9_241_600L), (m.Rows, m.Columns, m.NonZeros));
        using var reference = F.conv2d(x, weight, padding: [1, 1])[0];
        using var y = m.Apply(x);
        Assert.Equal("compressed rows (WorkshopKit kernel)", m.ProductKernel);
        // 1e-5 relative (float32 sums of 144 products in a different order).
        double rel = (y - reference).norm().item<float>() / reference.norm().item<float>();
        Assert.True(rel < 1e-5, $"relative error {rel}");
    }

    [Fact]
    public void AFloat16MatrixUsesTheGatherProduct_AndStillMatchesTheDenseProduct()
    {
        // No compressed-row kernel for float16: Apply falls back to gather + index_add on the COO entries.
        using var weight = torch.arange(1, 10, float32).view(1, 1, 3, 3).to(float16);
        using var m = ConvMatrix.Build(weight, (1, 5, 5));
        Assert.Equal("gather + index_add", m.ProductKernel);
        using var x = torch.arange(25, float32).view(1, 1, 5, 5).to(float16);
        using var dense = m.ToDense().to(float32);
        using var expected = dense.matmul(x.to(float32).reshape(25)).view(1, 3, 3);
        using var y = m.Apply(x);
        Assert.True(torch.allclose(y.to(float32), expected, 1e-3, 1e-3));
    }

    [Fact]
    public void ApplyGivesTheSameAnswerOnEveryCall_AndFromManyThreadsAtOnce()
    {
        // The compressed rows are laid out on the first Apply; concurrent first calls must agree with a later one.
        torch.manual_seed(8);
        using var weight = torch.randn(6, 3, 3, 3, float64);
        using var x = torch.randn(1, 6, 20, 20, float64);
        using var m = ConvMatrix.Build(weight, (6, 20, 20), padding: ConvPadding.SameTensorFlow, groups: 2);
        var results = new Tensor[8];
        Parallel.For(0, results.Length, i => results[i] = m.Apply(x));
        using var reference = F.conv2d(x, weight, padding: [1, 1], groups: 2)[0];
        foreach (var r in results)
        {
            Assert.True(torch.allclose(r, reference, 1e-10, 1e-12));
            r.Dispose();
        }
    }
}
