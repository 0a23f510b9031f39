using WorkshopKit.ReceptiveFields;
using static TorchSharp.torch.nn;

namespace WorkshopKit.Tests.ReceptiveFields;

public class ReceptiveFieldTests
{
    /// <summary>Araujo et al.'s closed forms for a chain of convolutions/poolings (eqs. for r0, S0 and P0 of the Distill article).</summary>
    [Fact]
    public void Chain_MatchesClosedFormsOfAraujoNorrisSim()
    {
        var rng = new Random(2019);
        for (int n = 0; n < 250; n++)
        {
            int layers = rng.Next(1, 6);
            var chain = new List<RfNode>();
            long r = 1, stride = 1, pad = 0;
            for (int l = 0; l < layers; l++)
            {
                int k = rng.Next(1, 6), s = rng.Next(1, 4), p = rng.Next(0, 3), d = rng.Next(1, 3);
                chain.Add(rng.Next(2) == 0 ? RfLayer.Conv(k, s, p, d) : RfLayer.Pool(k, s, p, d));
                r += (long)(d * (k - 1)) * stride; // r0 = 1 + sum (k'_l - 1) prod_{i<l} s_i
                pad += p * stride;                 // P0 = sum p_l prod_{i<l} s_i
                stride *= s;                       // S0 = prod s_i
                if (rng.Next(3) == 0) chain.Add(RfLayer.Pointwise("relu"));
            }
            var report = ReceptiveField.Analyze(chain.ToArray());
            Assert.Equal((r, r), report.Final.Size);
            Assert.Equal(((double)stride, (double)stride), report.Final.EffectiveStride);
            Assert.Equal((pad, pad), report.Final.EffectivePadding);
            long u = rng.Next(0, 20);
            var region = report.RegionOf(u, u);
            Assert.Equal(new Span(u * stride - pad, u * stride - pad + r - 1), region.Rows);
        }
    }

    [Fact]
    public void KnownChains()
    {
        Assert.Equal((5L, 5L), ReceptiveField.Analyze(RfLayer.Conv(3), RfLayer.Conv(3)).Final.Size);
        var strided = ReceptiveField.Analyze(RfLayer.Conv(3, 2), RfLayer.Conv(3));
        Assert.Equal((7L, 7L), strided.Final.Size);
        Assert.Equal(2, strided.Rows.Count);
        // 7->3 with k3 d2 (conv_arithmetic's dilation animation): each output sees 5 inputs.
        Assert.Equal((5L, 5L), ReceptiveField.Analyze(RfLayer.Conv(3, dilation: 2)).Final.Size);
        // A transposed conv k2 s2 after a conv k2 s2: each output sees 2 inputs; the stride comes back to 1.
        var down_up = ReceptiveField.Analyze(RfLayer.Conv(2, 2), RfLayer.ConvTranspose(2, 2));
        Assert.Equal((2L, 2L), down_up.Final.Size);
        Assert.Equal((1.0, 1.0), down_up.Final.EffectiveStride);
        Assert.Contains("effective stride", down_up.ToString());
    }

    [Fact]
    public void Branches_TakeTheLargestAlignedField_AndRejectMisalignedOnes()
    {
        var inception = RfNode.Chain(RfLayer.Conv(3, padding: 1),
            RfNode.Branches(RfLayer.Conv(1), RfNode.Chain(RfLayer.Conv(1), RfLayer.Conv(3, padding: 1)),
                RfNode.Chain(RfLayer.Conv(1), RfLayer.Conv(3, padding: 1), RfLayer.Conv(3, padding: 1)),
                RfNode.Chain(RfLayer.Pool(3, 1, 1), RfLayer.Conv(1))));
        Assert.Equal((7L, 7L), ReceptiveField.Analyze(inception).Final.Size);
        var residual = RfNode.Branches(RfLayer.Pointwise("identity"), RfNode.Chain(RfLayer.Conv(3, padding: 1), RfLayer.Conv(3, padding: 1)));
        Assert.Equal((5L, 5L), ReceptiveField.Analyze(residual).Final.Size);
        var e = Assert.Throws<ArgumentException>(() => ReceptiveField.Analyze(RfNode.Branches(RfLayer.Conv(3), RfLayer.Conv(3, padding: 1))));
        Assert.Contains("not aligned", e.Message);
        e = Assert.Throws<ArgumentException>(() => ReceptiveField.Analyze(RfNode.Branches(RfLayer.Conv(1, 2), RfLayer.Conv(1))));
        Assert.Contains("not aligned", e.Message);
    }

    private static (TorchSharp.Modules.Sequential Model, RfNode Rf) RandomChain(Random rng, bool onesAndLinear)
    {
        var modules = new List<(string, Module<Tensor, Tensor>)>();
        var rf = new List<RfNode>();
        int layers = rng.Next(1, 4), channels = 1;
        for (int l = 0; l < layers; l++)
        {
            int k = rng.Next(1, 4), s = rng.Next(1, 3), d = rng.Next(1, 3), p = rng.Next(0, d * (k - 1) / 2 + 1), next = rng.Next(1, 3);
            switch (rng.Next(3))
            {
                case 0:
                    modules.Add(($"l{l}", Conv2d(channels, next, k, s, p, d, bias: false)));
                    rf.Add(RfLayer.Conv(k, s, p, d));
                    break;
                case 1:
                    // Stride at most the kernel so no output of the transposed convolution is left without inputs.
                    s = Math.Min(s, k);
                    d = 1;
                    p = rng.Next(0, k / 2 + 1);
                    modules.Add(($"l{l}", ConvTranspose2d(channels, next, k, s, p, dilation: d, bias: false)));
                    rf.Add(RfLayer.ConvTranspose(k, s, p, d));
                    break;
                default:
                    next = channels;
                    modules.Add(($"l{l}", AvgPool2d(k, s)));
                    rf.Add(RfLayer.Pool(k, s));
                    break;
            }
            channels = next;
            if (!onesAndLinear) { modules.Add(($"a{l}", ReLU())); rf.Add(RfLayer.Pointwise()); }
        }
        var model = Sequential(modules.ToArray());
        using (torch.no_grad())
            foreach (var prm in model.parameters())
                if (onesAndLinear) prm.fill_(1.0); else prm.uniform_(-1, 1);
        return (model, RfNode.Chain(rf.ToArray()));
    }

    /// <summary>With all-ones weights and no nonlinearity nothing cancels, so the gradient reaches exactly the theoretical region (when it lies inside the input).</summary>
    [Fact]
    public void Empirical_AllOnesLinearChains_SupportEqualsTheoreticalRegion()
    {
        torch.manual_seed(7);
        var rng = new Random(1607);
        int compared = 0, attempts = 0;
        while (compared < 200 && attempts++ < 2000)
        {
            using var scope = torch.NewDisposeScope();
            var (model, rf) = RandomChain(rng, onesAndLinear: true);
            using var _ = model;
            const int size = 24;
            var x = torch.rand(1, 1, size, size) + 0.5;
            var y = model.call(x);
            long u = y.shape[2] / 2, v = y.shape[3] / 2;
            var region = rf.MapBack(new Region(new Span(u, u), new Span(v, v)));
            if (region.Clip(size, size) != region) continue; // only regions fully inside the input compare exactly
            var erf = ReceptiveField.Empirical(model, x, u, v);
            Assert.Equal(region, ReceptiveField.Support(erf));
            compared++;
        }
        Assert.Equal(200, compared);
    }

    /// <summary>With random weights and ReLU, gradients may vanish inside the field but never appear outside it.</summary>
    [Fact]
    public void Empirical_RandomNonlinearChains_SupportInsideTheoreticalRegion()
    {
        torch.manual_seed(8);
        var rng = new Random(2016);
        for (int n = 0; n < 200; n++)
        {
            using var scope = torch.NewDisposeScope();
            var (model, rf) = RandomChain(rng, onesAndLinear: false);
            using var _ = model;
            var x = torch.randn(1, 1, 16, 16);
            var y = model.call(x);
            long u = rng.Next(0, (int)y.shape[2]), v = rng.Next(0, (int)y.shape[3]);
            var theory = rf.MapBack(new Region(new Span(u, u), new Span(v, v))).Clip(16, 16);
            var support = ReceptiveField.Support(ReceptiveField.Empirical(model, x, u, v));
            if (support is not { } s) continue; // ReLU can silence the unit entirely
            Assert.NotNull(theory);
            Assert.True(s.Rows.Start >= theory!.Value.Rows.Start && s.Rows.End <= theory.Value.Rows.End
                && s.Columns.Start >= theory.Value.Columns.Start && s.Columns.End <= theory.Value.Columns.End, $"{s} not inside {theory}");
        }
    }
}
