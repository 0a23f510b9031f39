using WorkshopKit.Geometry;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Tests.Geometry;

/// <summary>Seeded random configurations: the computed sizes must equal the shapes TorchSharp's operators produce.</summary>
public class TorchShapeAgreementTests
{
    private const int Configurations = 250;

    [Fact]
    public void Conv2d_AllPaddingModes_MatchTorch()
    {
        var rng = new Random(1603);
        int checkedCount = 0;
        while (checkedCount < Configurations)
        {
            int h = rng.Next(1, 14), w = rng.Next(1, 14), kh = rng.Next(1, 6), kw = rng.Next(1, 6);
            int sh = rng.Next(1, 4), sw = rng.Next(1, 4), dh = rng.Next(1, 4), dw = rng.Next(1, 4);
            var mode = (PaddingMode)rng.Next(0, 5);
            if (mode == PaddingMode.SamePyTorch) { sh = 1; sw = 1; }
            var padding = mode switch
            {
                PaddingMode.Valid => ConvPadding.Valid,
                PaddingMode.SameTensorFlow => ConvPadding.SameTensorFlow,
                PaddingMode.SamePyTorch => ConvPadding.SamePyTorch,
                PaddingMode.Full => ConvPadding.Full,
                _ => ConvPadding.Explicit(rng.Next(0, 4), rng.Next(0, 4)),
            };
            Geometry2d g;
            try { g = ConvGeometry.Conv2d((h, w), (kh, kw), (sh, sw), padding, (dh, dw)); }
            catch (ArgumentException) { continue; } // kernel larger than the padded input: checked in ConvArithmeticTests
            using var scope = torch.NewDisposeScope();
            var x = torch.ones(1, 2, h, w);
            var weight = torch.ones(3, 2, kh, kw);
            Tensor y;
            if (mode == PaddingMode.SamePyTorch)
            {
                using var conv = torch.nn.Conv2d(2, 3, (kh, kw), TorchSharp.Padding.Same, dilation: (dh, dw));
                y = conv.call(x);
            }
            else
            {
                // Any padding, symmetric or not: pad explicitly, then a VALID convolution.
                var padded = F.pad(x, g.PadArgument);
                y = F.conv2d(padded, weight, strides: [sh, sw], dilation: [dh, dw]);
            }
            Assert.Equal(new long[] { 1, 3, g.Height.Output, g.Width.Output }, y.shape);
            if (g.IsSymmetric && mode != PaddingMode.SamePyTorch)
            {
                var direct = F.conv2d(x, weight, strides: [sh, sw], padding: [g.Height.PadBefore, g.Width.PadBefore], dilation: [dh, dw]);
                Assert.Equal(y.shape, direct.shape);
            }
            checkedCount++;
        }
    }

    [Fact]
    public void ConvTranspose2d_MatchesTorch_AndInvertsTheConvolutionShape()
    {
        var rng = new Random(7285);
        for (int n = 0; n < Configurations; n++)
        {
            int k = rng.Next(1, 6), s = rng.Next(1, 4), d = rng.Next(1, 3), p = rng.Next(0, 3);
            int ke = d * (k - 1) + 1;
            int i = rng.Next(Math.Max(1, ke - 2 * p), 15);
            var conv = ConvGeometry.Conv(i, k, s, ConvPadding.Symmetric(p), d);
            int op = ConvGeometry.OutputPaddingToInvert(conv);
            var t = ConvGeometry.ConvTranspose2d((conv.Output, conv.Output), (k, k), (s, s), (p, p), (d, d), (op, op));
            using var scope = torch.NewDisposeScope();
            var y = torch.ones(1, 2, conv.Output, conv.Output);
            var z = F.conv_transpose2d(y, torch.ones(2, 3, k, k), strides: [s, s], padding: [p, p], output_padding: [op, op], dilation: [d, d]);
            Assert.Equal(new long[] { 1, 3, t.Height.Output, t.Width.Output }, z.shape);
            Assert.Equal(i, t.Height.Output);
        }
    }

    [Fact]
    public void Pool2d_FloorAndCeilMode_MatchTorchMaxPool()
    {
        var rng = new Random(2016);
        int checkedCount = 0;
        while (checkedCount < Configurations)
        {
            int h = rng.Next(1, 14), w = rng.Next(1, 14), k = rng.Next(1, 5), s = rng.Next(1, 4), d = rng.Next(1, 3);
            int p = rng.Next(0, k / 2 + 1);
            bool ceil = rng.Next(2) == 1;
            Geometry2d g;
            try { g = ConvGeometry.Pool2d((h, w), (k, k), (s, s), (p, p), (d, d), ceil); }
            catch (ArgumentException) { continue; }
            using var scope = torch.NewDisposeScope();
            var y = F.max_pool2d(torch.ones(1, 1, h, w), [k, k], [s, s], [p, p], [d, d], ceil);
            Assert.Equal(new long[] { 1, 1, g.Height.Output, g.Width.Output }, y.shape);
            checkedCount++;
        }
    }
}
