using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Blocks;

/// <summary>Which summary a pooling window takes.</summary>
public enum PoolKind
{
    /// <summary>The largest value in the window: keeps the strongest response.</summary>
    Max,
    /// <summary>The mean of the window: smooths.</summary>
    Average,
}

/// <summary>
/// Max or average pooling with the same padding rules as <see cref="ConvLayer"/>. SAME max pooling pads with -∞ and
/// SAME average pooling averages only real values, as TensorFlow does, so the border is not darkened by padding zeros.
/// </summary>
public sealed class Pool2d : Block
{
    /// <summary>Builds the pooling layer; the stride defaults to the kernel size (non-overlapping windows).</summary>
    public Pool2d(PoolKind kind, long kernel, long? stride = null, ConvPadding? padding = null, string? name = null)
        : base(name ?? $"{(kind == PoolKind.Max ? "maxpool" : "avgpool")}{kernel}x{kernel}")
    {
        ConvLayer.Positive(kernel, nameof(kernel));
        Kind = kind;
        Kernel = kernel;
        Stride = stride ?? kernel;
        ConvLayer.Positive(Stride, nameof(stride));
        Padding = padding ?? ConvPadding.Valid;
        if (Padding.Kind == PaddingKind.Explicit && Padding.Amount > Kernel / 2)
            throw new ArgumentOutOfRangeException(nameof(padding), Padding.Amount, $"Pooling padding must be at most half the kernel ({Kernel / 2} for a {Kernel}x{Kernel} window).");
        RegisterComponents();
    }

    /// <summary>Max or average.</summary>
    public PoolKind Kind { get; }
    /// <summary>Window side.</summary>
    public long Kernel { get; }
    /// <summary>Window step.</summary>
    public long Stride { get; }
    /// <summary>Padding rule.</summary>
    public ConvPadding Padding { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Check(input);
        long[] k = [Kernel, Kernel], s = [Stride, Stride];
        if (Padding.Kind == PaddingKind.Same)
        {
            var (top, bottom) = ConvPadding.SamePads(input.shape[2], Kernel, Stride);
            var (left, right) = ConvPadding.SamePads(input.shape[3], Kernel, Stride);
            long[] pads = [left, right, top, bottom];
            if (Kind == PoolKind.Max)
                return F.max_pool2d(F.pad(input, pads, value: double.NegativeInfinity), k, s);
            // Average of real values only: sum of values / number of real (non-padding) cells in each window.
            using var ones = torch.ones(1, 1, input.shape[2], input.shape[3], dtype: input.dtype, device: input.device);
            using var counts = F.avg_pool2d(F.pad(ones, pads), k, s);
            using var sums = F.avg_pool2d(F.pad(input, pads), k, s);
            return sums / counts;
        }
        long p = Padding.Kind == PaddingKind.Explicit ? Padding.Amount : 0;
        return Kind == PoolKind.Max ? F.max_pool2d(input, k, s, [p, p]) : F.avg_pool2d(input, k, s, [p, p]);
    }

    internal override Flow Walk(Flow input, TraceContext ctx)
    {
        var s = input.Shape;
        long min = Padding.MinimumSize(Kernel);
        if (s.Height < min || s.Width < min)
            throw new BlockShapeException(GetName(), $"maps of at least {min}x{min} for a {Kernel}x{Kernel} window with {Padding} padding", s.ToString(),
                "use SAME padding, fewer downsampling layers before this one, or a larger input");
        var output = new FeatureShape(s.Channels, Padding.OutputSize(s.Height, Kernel, Stride), Padding.OutputSize(s.Width, Kernel, Stride));
        ctx.Record(GetName(), s, output, 0, 0);
        string node = ctx.Node($"{(Kind == PoolKind.Max ? "max" : "avg")} pool {Kernel}x{Kernel}" + (Stride > 1 ? $" s{Stride}" : "") + $" {Padding}");
        ctx.Edge(input.Node, node);
        return new Flow(output, input.Field.Then(Kernel, Stride), node);
    }
}

/// <summary>Global average pooling: one mean per channel, turning C×H×W maps into C×1×1 whatever the input size.</summary>
public sealed class GlobalAvgPool : Block
{
    /// <summary>Creates the layer (it has no parameters).</summary>
    public GlobalAvgPool(string name = "global avg pool") : base(name) => RegisterComponents();

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Check(input);
        return input.mean([2, 3], keepdim: true);
    }

    internal override Flow Walk(Flow input, TraceContext ctx)
    {
        var s = input.Shape;
        var output = new FeatureShape(s.Channels, 1, 1);
        ctx.Record(GetName(), s, output, 0, 0);
        string node = ctx.Node($"global avg pool {s.Height}x{s.Width}→1x1");
        ctx.Edge(input.Node, node);
        var field = new ReceptiveField(input.Field.Size + (Math.Max(s.Height, s.Width) - 1) * input.Field.Jump, input.Field.Jump * Math.Max(s.Height, s.Width));
        return new Flow(output, field, node);
    }
}
