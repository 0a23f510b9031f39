using WorkshopKit.Blocks;
using WorkshopKit.Costs;
using WorkshopKit.Geometry;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Tests.Blocks;

/// <summary>
/// Runs alone: the hundreds of module initializations draw from libtorch's global generator, which seeded tests
/// elsewhere (e.g. the trainer's same-seed test) rely on.
/// </summary>
[CollectionDefinition(nameof(TorchModuleAgreementTests), DisableParallelization = true)]
public sealed class TorchModuleAgreementCollection;

/// <summary>
/// Seeded random configurations of ConvLayer, TransposedConvLayer and Pool2d checked against TorchSharp's own modules
/// (outputs and shapes), and the library's sizes and costs checked against independent references: the published
/// padding formulas, the all-taps MAC formula, parameter counts of the TorchSharp module, and brute-force tap counts
/// obtained by convolving ones.
/// </summary>
/// <remarks>Runs alone (<see cref="TorchModuleAgreementCollection"/>).</remarks>
[Collection(nameof(TorchModuleAgreementTests))]
public class TorchModuleAgreementTests
{
    private const int Configurations = 300;

    private static long Effective(long k, long d) => d * (k - 1) + 1;

    /// <summary>Zeros before and after one axis by the published rule of each padding mode (not the library's code).</summary>
    private static (long Before, long After) Pads(ConvPadding p, long n, long k, long s, long d)
    {
        long ke = Effective(k, d);
        long total = p.Mode switch
        {
            PaddingMode.Valid => 0,
            PaddingMode.Full => 2 * (ke - 1),
            PaddingMode.SamePyTorch => ke - 1,
            PaddingMode.SameTensorFlow => Math.Max(((n + s - 1) / s - 1) * s + ke - n, 0),
            _ => p.Before + p.After,
        };
        return p.Mode == PaddingMode.Explicit ? (p.Before, p.After) : p.Mode == PaddingMode.Full ? (ke - 1, ke - 1) : (total / 2, total - total / 2);
    }

    private static ConvPadding RandomPadding(Random r, long stride)
    {
        int choice = r.Next(stride == 1 ? 6 : 5);
        return choice switch
        {
            0 => ConvPadding.Valid,
            1 => ConvPadding.Symmetric(r.Next(0, 3)),
            2 => ConvPadding.Explicit(r.Next(0, 3), r.Next(0, 3)),
            3 => ConvPadding.Full,
            4 => ConvPadding.SameTensorFlow,
            _ => ConvPadding.SamePyTorch,
        };
    }

    [Fact]
    public void ConvLayerMatchesConv2dOnRandomConfigurations()
    {
        var r = new Random(12);
        int checkedCount = 0;
        for (int c = 0; c < Configurations; c++)
        {
            using var scope = NewDisposeScope();
            long groups = r.Next(1, 3), inC = groups * r.Next(1, 3), outC = groups * r.Next(1, 3);
            (long Height, long Width) k = (r.Next(1, 5), r.Next(1, 5)), s = (r.Next(1, 4), r.Next(1, 4)), d = (r.Next(1, 3), r.Next(1, 3));
            (ConvPadding H, ConvPadding W) p = (RandomPadding(r, s.Height), RandomPadding(r, s.Width));
            bool bias = r.Next(2) == 0;
            long n = r.Next(1, 13), m = r.Next(1, 13);
            var (top, bottom) = Pads(p.H, n, k.Height, s.Height, d.Height);
            var (left, right) = Pads(p.W, m, k.Width, s.Width, d.Width);
            string what = $"config {c}: k={k} s={s} d={d} p={p} groups={groups} in={inC} out={outC} bias={bias} input {n}x{m}";
            var layer = new ConvLayer(inC, outC, k, s, p, d, groups, bias, activation: Activation.None);
            var shape = new FeatureShape(inC, n, m);
            if (n + top + bottom < Effective(k.Height, d.Height) || m + left + right < Effective(k.Width, d.Width))
            {
                Assert.Throws<BlockShapeException>(() => layer.OutputShape(shape));
                continue;
            }
            checkedCount++;
            var x = randn(2, inC, n, m, dtype: ScalarType.Float64);
            layer.to(ScalarType.Float64);
            var weight = layer.parameters().First(t => t.dim() == 4);
            // TorchSharp's module with the same weights: built-in symmetric padding where PyTorch can express it, else F.pad first.
            bool symmetric = top == bottom && left == right;
            var reference = symmetric
                ? nn.Conv2d(inC, outC, k, stride: s, padding: (top, left), dilation: d, groups: groups, bias: bias)
                : nn.Conv2d(inC, outC, k, stride: s, dilation: d, groups: groups, bias: bias);
            reference.to(ScalarType.Float64);
            using (no_grad())
            {
                reference.weight!.copy_(weight);
                if (bias) reference.bias!.copy_(layer.parameters().First(t => t.dim() == 1));
            }
            var expected = reference.call(symmetric ? x : F.pad(x, [left, right, top, bottom]));
            var y = layer.call(x);
            Assert.True(expected.shape.SequenceEqual(y.shape), $"{what}: shape [{string.Join(",", y.shape)}] vs [{string.Join(",", expected.shape)}]");
            Assert.True(y.allclose(expected, 1e-9, 1e-9), what);

            // The library's numbers against independent references.
            var report = layer.Describe(shape);
            long oh = expected.shape[2], ow = expected.shape[3];
            Assert.Equal(new FeatureShape(outC, oh, ow), report.Output);
            Assert.Equal(reference.parameters().Sum(t => t.numel()), report.Parameters);
            Assert.Equal(oh * ow * outC * (inC / groups) * k.Height * k.Width, report.Macs);       // all taps: R_h R_w M (N/g) k_h k_w
            // Real taps by brute force: a ones kernel over a zero-padded ones map counts the non-padding taps of every output.
            var ones1 = F.pad(ones(1, 1, n, m, dtype: ScalarType.Float64), [left, right, top, bottom]);
            var taps = F.conv2d(ones1, ones(1, 1, k.Height, k.Width, dtype: ScalarType.Float64), strides: [s.Height, s.Width], dilation: [d.Height, d.Width]).sum().item<double>();
            Assert.Equal((long)taps * outC * (inC / groups), report.Layers[0].Cost.Macs);
            Assert.Equal((double)Effective(k.Height, d.Height), report.Field.Size);
            Assert.Equal((double)s.Width, report.FieldWidth.Jump);
        }
        Assert.True(checkedCount > 200, $"only {checkedCount} configurations ran");
    }

    [Fact]
    public void TransposedConvLayerMatchesConvTranspose2dOnRandomConfigurations()
    {
        var r = new Random(16);
        int checkedCount = 0;
        for (int c = 0; c < Configurations; c++)
        {
            using var scope = NewDisposeScope();
            long groups = r.Next(1, 3), inC = groups * r.Next(1, 3), outC = groups * r.Next(1, 3);
            (long Height, long Width) k = (r.Next(1, 5), r.Next(1, 5)), s = (r.Next(1, 4), r.Next(1, 4)), d = (r.Next(1, 3), r.Next(1, 3));
            (long Height, long Width) p = (r.Next(0, 3), r.Next(0, 3));
            (long Height, long Width) op = (r.Next(0, (int)Math.Max(s.Height, d.Height)), r.Next(0, (int)Math.Max(s.Width, d.Width)));
            bool bias = r.Next(2) == 0;
            long n = r.Next(1, 9), m = r.Next(1, 9);
            string what = $"config {c}: k={k} s={s} d={d} p={p} op={op} groups={groups} bias={bias} input {n}x{m}";
            long oh = (n - 1) * s.Height - 2 * p.Height + Effective(k.Height, d.Height) + op.Height, ow = (m - 1) * s.Width - 2 * p.Width + Effective(k.Width, d.Width) + op.Width;
            var layer = new TransposedConvLayer(inC, outC, k, s, p, op, d, groups, bias, activation: Activation.None);
            var shape = new FeatureShape(inC, n, m);
            if (oh < 1 || ow < 1)
            {
                Assert.Throws<BlockShapeException>(() => layer.OutputShape(shape));
                continue;
            }
            checkedCount++;
            layer.to(ScalarType.Float64);
            var weight = layer.parameters().First(t => t.dim() == 4);
            Tensor? b = bias ? layer.parameters().First(t => t.dim() == 1) : null;
            var x = randn(2, inC, n, m, dtype: ScalarType.Float64);
            // TorchSharp's functional form: its ConvTranspose2d module (0.107) applies output_padding.Height to both axes.
            var expected = F.conv_transpose2d(x, weight, b, [s.Height, s.Width], [p.Height, p.Width], [op.Height, op.Width], [d.Height, d.Width], groups);
            var y = layer.call(x);
            Assert.True(expected.shape.SequenceEqual(new long[] { 2, outC, oh, ow }), $"{what}: TorchSharp gave [{string.Join(",", expected.shape)}]");
            Assert.True(y.allclose(expected, 1e-9, 1e-9, equal_nan: true), what);
            var report = layer.Describe(shape);
            Assert.Equal(new FeatureShape(outC, oh, ow), report.Output);
            Assert.Equal(inC * (outC / groups) * k.Height * k.Width + (bias ? outC : 0), report.Parameters);
            Assert.Equal(n * m * inC * (outC / groups) * k.Height * k.Width, report.Macs);          // counted by input size (fvcore, FlopCounterMode)
            // Products that land inside the output, by brute force: scatter a ones kernel from every input pixel and count.
            var landing = F.conv_transpose2d(ones(1, 1, n, m, dtype: ScalarType.Float64), ones(1, 1, k.Height, k.Width, dtype: ScalarType.Float64), null,
                [s.Height, s.Width], [p.Height, p.Width], [op.Height, op.Width], [d.Height, d.Width]).sum().item<double>();
            Assert.Equal((long)landing * inC * (outC / groups), report.Layers[0].Cost.Macs);
            // The profiler counts the layer from its forward pass, including strides that leave outputs without input.
            if (op.Height == op.Width) Assert.Equal(report.Layers[0].Cost.Macs * 2, ModelProfiler.Profile(layer, x).Macs);
        }
        Assert.True(checkedCount > 200, $"only {checkedCount} configurations ran");
    }

    [Fact]
    public void Pool2dMatchesMaxPool2dAndAvgPool2dOnRandomConfigurations()
    {
        var r = new Random(4);
        int checkedCount = 0;
        for (int c = 0; c < Configurations; c++)
        {
            using var scope = NewDisposeScope();
            var kind = r.Next(2) == 0 ? PoolKind.Max : PoolKind.Average;
            long k = r.Next(1, 5), s = r.Next(1, 4), p = r.Next(0, (int)(k / 2) + 1);
            bool ceil = r.Next(2) == 0;
            long n = r.Next(1, 13), m = r.Next(1, 13);
            string what = $"config {c}: {kind} k={k} s={s} p={p} ceil={ceil} input {n}x{m}";
            Pool2d layer = kind == PoolKind.Max ? new MaxPool2d(k, s, ConvPadding.Symmetric((int)p), ceil) : new AvgPool2d(k, s, ConvPadding.Symmetric((int)p), ceil);
            var shape = new FeatureShape(3, n, m);
            if (n + 2 * p < k || m + 2 * p < k)
            {
                Assert.Throws<BlockShapeException>(() => layer.OutputShape(shape));
                continue;
            }
            checkedCount++;
            var x = randn(2, 3, n, m, dtype: ScalarType.Float64);
            nn.Module<Tensor, Tensor> reference = kind == PoolKind.Max
                ? nn.MaxPool2d([k, k], [s, s], [p, p], ceil_mode: ceil)
                : nn.AvgPool2d([k, k], [s, s], [p, p], ceil_mode: ceil);
            var expected = reference.call(x);
            var y = layer.call(x);
            Assert.True(expected.shape.SequenceEqual(y.shape), $"{what}: shape [{string.Join(",", y.shape)}] vs [{string.Join(",", expected.shape)}]");
            Assert.True(y.allclose(expected, 1e-12, 1e-12), what);
            Assert.Equal(new FeatureShape(3, expected.shape[2], expected.shape[3]), layer.OutputShape(shape));
        }
        Assert.True(checkedCount > 200, $"only {checkedCount} configurations ran");
    }
}
