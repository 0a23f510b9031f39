using WorkshopKit.Costs;
using WorkshopKit.Geometry;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Tests.Costs;

/// <summary>Exact counts against brute-force loops that perform the convolution and count every multiplication they do.</summary>
public class ExactCountTests
{
    /// <summary>A direct convolution written as loops; returns the output and the operations it performed.</summary>
    private static (double[,,] Y, long Mults, long Adds, long AllTaps) BruteConv(double[,,] x, double[,,,] w, double[]? bias, int s, int d, int pb, int pl, int ho, int wo, int groups)
    {
        int cin = x.GetLength(0), h = x.GetLength(1), wd = x.GetLength(2), cout = w.GetLength(0), cpg = w.GetLength(1), kh = w.GetLength(2), kw = w.GetLength(3);
        var y = new double[cout, ho, wo];
        long mults = 0, adds = 0, all = 0;
        for (int co = 0; co < cout; co++)
            for (int oh = 0; oh < ho; oh++)
                for (int ow = 0; ow < wo; ow++)
                {
                    int g = co / (cout / groups), terms = 0;
                    double acc = 0;
                    for (int ci = 0; ci < cpg; ci++)
                        for (int i = 0; i < kh; i++)
                            for (int j = 0; j < kw; j++)
                            {
                                all++;
                                int ih = oh * s - pb + i * d, iw = ow * s - pl + j * d;
                                if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue; // a padding zero: no work needed
                                acc += x[g * cpg + ci, ih, iw] * w[co, ci, i, j];
                                mults++;
                                if (terms++ > 0) adds++;
                            }
                    if (bias is not null) { acc += bias[co]; adds++; }
                    y[co, oh, ow] = acc;
                }
        return (y, mults, adds, all);
    }

    [Fact]
    public void Conv_MatchesBruteForce_OverRandomConfigurations()
    {
        var rng = new Random(42);
        int done = 0;
        while (done < 200)
        {
            int groups = rng.Next(1, 3), cin = groups * rng.Next(1, 3), cout = groups * rng.Next(1, 3);
            int h = rng.Next(1, 8), wd = rng.Next(1, 8), k = rng.Next(1, 4), s = rng.Next(1, 3), d = rng.Next(1, 3);
            var padding = rng.Next(4) switch { 0 => ConvPadding.Valid, 1 => ConvPadding.SameTensorFlow, 2 => ConvPadding.Full, _ => ConvPadding.Explicit(rng.Next(3), rng.Next(3)) };
            bool bias = rng.Next(2) == 0;
            Geometry2d g;
            try { g = ConvGeometry.Conv2d((h, wd), (k, k), (s, s), padding, (d, d)); } catch (ArgumentException) { continue; }
            var x = new double[cin, h, wd];
            var w = new double[cout, cin / groups, k, k];
            var b = bias ? new double[cout] : null;
            foreach (var idx in Enumerable.Range(0, x.Length)) x[idx / (h * wd), idx / wd % h, idx % wd] = rng.NextDouble() - 0.5;
            foreach (var idx in Enumerable.Range(0, w.Length)) w[idx / (cin / groups * k * k), idx / (k * k) % (cin / groups), idx / k % k, idx % k] = rng.NextDouble() - 0.5;
            if (b is not null) for (int i = 0; i < cout; i++) b[i] = rng.NextDouble();
            var (y, mults, adds, all) = BruteConv(x, w, b, s, d, g.Height.PadBefore, g.Width.PadBefore, g.Height.Output, g.Width.Output, groups);

            var cost = LayerCosts.Conv(1, cin, cout, [g.Height, g.Width], groups, bias);
            Assert.Equal(mults, cost.Macs);
            Assert.Equal(mults, cost.Multiplications);
            Assert.Equal(adds, cost.Additions);
            Assert.Equal(all, cost.MacsAllTaps);
            Assert.Equal(mults + adds, cost.Flops);

            // The loop is a real convolution: it agrees with TorchSharp's conv2d on the explicitly padded input.
            using var scope = torch.NewDisposeScope();
            var xt = F.pad(torch.tensor(x.Cast<double>().ToArray(), [1, cin, h, wd]), g.PadArgument);
            var yt = F.conv2d(xt, torch.tensor(w.Cast<double>().ToArray(), [cout, cin / groups, k, k]),
                b is null ? null : torch.tensor(b), strides: [s, s], dilation: [d, d], groups: groups);
            Assert.True(torch.allclose(yt, torch.tensor(y.Cast<double>().ToArray(), [1, cout, g.Height.Output, g.Width.Output]), 1e-9, 1e-12));
            done++;
        }
    }

    [Fact]
    public void ConvTranspose_MatchesBruteForceScatter_OverRandomConfigurations()
    {
        var rng = new Random(43);
        for (int n = 0; n < 200; n++)
        {
            int cin = rng.Next(1, 4), cout = rng.Next(1, 4), h = rng.Next(1, 6), k = rng.Next(1, 4), s = rng.Next(1, 3), d = rng.Next(1, 3);
            int p = rng.Next(0, d * (k - 1) / 2 + 1);
            int op = rng.Next(0, Math.Max(s, d));
            AxisGeometry a;
            try { a = ConvGeometry.ConvTranspose(h, k, s, p, d, op); } catch (ArgumentException) { continue; }
            int o = a.Output;
            var x = new double[cin, h, h];
            var w = new double[cin, cout, k, k];
            foreach (var i in Enumerable.Range(0, x.Length)) x[i / (h * h), i / h % h, i % h] = rng.NextDouble() - 0.5;
            foreach (var i in Enumerable.Range(0, w.Length)) w[i / (cout * k * k), i / (k * k) % cout, i / k % k, i % k] = rng.NextDouble() - 0.5;
            var y = new double[cout, o, o];
            long landed = 0, all = 0;
            for (int ci = 0; ci < cin; ci++)
                for (int co = 0; co < cout; co++)
                    for (int ih = 0; ih < h; ih++)
                        for (int iw = 0; iw < h; iw++)
                            for (int i = 0; i < k; i++)
                                for (int j = 0; j < k; j++)
                                {
                                    all++;
                                    int oh = ih * s + i * d - p, ow = iw * s + j * d - p;
                                    if (oh < 0 || oh >= o || ow < 0 || ow >= o) continue; // cropped away by padding
                                    y[co, oh, ow] += x[ci, ih, iw] * w[ci, co, i, j];
                                    landed++;
                                }
            var cost = LayerCosts.ConvTranspose(1, cin, cout, [a, a], 1, bias: false);
            Assert.Equal(landed, cost.Macs);
            Assert.Equal(all, cost.MacsAllTaps);
            using var scope = torch.NewDisposeScope();
            var yt = F.conv_transpose2d(torch.tensor(x.Cast<double>().ToArray(), [1, cin, h, h]), torch.tensor(w.Cast<double>().ToArray(), [cin, cout, k, k]),
                strides: [s, s], padding: [p, p], output_padding: [op, op], dilation: [d, d]);
            Assert.True(torch.allclose(yt, torch.tensor(y.Cast<double>().ToArray(), [1, cout, o, o]), 1e-9, 1e-12));
        }
    }

    [Fact]
    public void KnownVector_Conv2d_1_10_5_OnMnistBatch()
    {
        var g = ConvGeometry.Conv2d((28, 28), (5, 5));
        var cost = LayerCosts.Conv(7, 1, 10, [g.Height, g.Width]);
        Assert.Equal(260, cost.Parameters);
        Assert.Equal(1_008_000, cost.Macs);
        Assert.Equal(1_008_000, cost.MacsAllTaps);
        Assert.Equal(1_048_320, cost.TorchinfoMultAdds); // torchinfo: 260 parameters x 24 x 24 positions x 7 images
        Assert.Equal(2_016_000, cost.FlopsAs2xMacs); // FlopCounterMode: 2 x MACs, bias ignored
    }

    [Fact]
    public void KnownVectors_TransposedConvolutions_CountedByInputSize()
    {
        var a = ConvGeometry.ConvTranspose2d((2, 2), (2, 2), (2, 2));
        Assert.Equal(48, LayerCosts.ConvTranspose(1, 3, 1, [a.Height, a.Width]).MacsAllTaps);
        var b = ConvGeometry.ConvTranspose2d((1, 1), (3, 3));
        Assert.Equal(288, LayerCosts.ConvTranspose(1, 32, 1, [b.Height, b.Width]).MacsAllTaps);
    }

    [Fact]
    public void RuleOfThumb_SlideFormula_And3x3SameOn8x8()
    {
        // Slide: k^2 R^2 multiplications + (k^2 - 1) R^2 additions + R^2 bias additions per channel pair.
        for (int k = 1; k <= 7; k += 2)
            for (int r = 4; r <= 32; r *= 2)
                Assert.Equal(((long)k * k * r * r + (k * k - 1L) * r * r + (long)r * r) * 3 * 5, LayerCosts.RuleOfThumbFlops(k, r, 3, 5));
        var c = LayerCosts.CompareWithRuleOfThumb(3, 8, 1, 1, ConvPadding.SameTensorFlow);
        Assert.Equal(484, c.RealTapsPerChannelPair);
        Assert.Equal(576, c.RuleOfThumbTapsPerChannelPair);
        Assert.Equal(2 * 484, c.ExactFlops); // 484 mults + (484 - 64) adds + 64 bias adds
        Assert.Equal(968.0 / 1152.0, c.Ratio, 12);
        // VALID stride 1: the exact count equals the formula on the output size.
        var v = LayerCosts.CompareWithRuleOfThumb(3, 10, 2, 2, ConvPadding.Valid);
        Assert.Equal(LayerCosts.RuleOfThumbFlops(3, 8, 2, 2), v.ExactFlops);
    }

    [Fact]
    public void OtherLayers_CountedByTheirStatedConventions()
    {
        var lin = LayerCosts.Linear(4, 100, 10);
        Assert.Equal((4000, 1010, 8000), (lin.Macs, lin.Parameters, lin.Flops));
        var pool = ConvGeometry.Pool2d((4, 4), (2, 2));
        Assert.Equal(2 * 3 * 4 * 3, LayerCosts.Pool(2, 3, [pool.Height, pool.Width], PoolKind.Max).OtherFlops); // 4 windows x 3 comparisons
        Assert.Equal(2 * 3 * 4 * 4, LayerCosts.Pool(2, 3, [pool.Height, pool.Width], PoolKind.Average).OtherFlops);
        Assert.Equal(20, LayerCosts.BatchNorm(10, 3).Flops);
        Assert.Equal(6, LayerCosts.BatchNorm(10, 3).Parameters);
        Assert.Throws<ArgumentException>(() => LayerCosts.Conv(1, 3, 4, [ConvGeometry.Conv(5, 3)], groups: 2));
    }
}
