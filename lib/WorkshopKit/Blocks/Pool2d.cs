using TorchSharp;
using WorkshopKit.Costs;
using WorkshopKit.Geometry;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Blocks;

/// <summary>
/// Max or average pooling with PyTorch's arguments (kernel, stride, symmetric padding, <c>ceil_mode</c>) or TensorFlow's
/// SAME. SAME max pooling pads with -∞ and SAME average pooling averages only real values, as TensorFlow does, so the
/// border is not darkened by padding zeros.
/// </summary>
/// <remarks>
/// The shared machinery of <see cref="MaxPool2d"/> and <see cref="AvgPool2d"/>, PyTorch's names, which are what a
/// notebook builds. Taught in notebook 04 (pooling and upsampling), section 1 "Pooling".
/// </remarks>
public abstract class Pool2d : Block
{
    /// <summary>Builds the pooling layer; the stride defaults to the kernel size (non-overlapping windows), the padding to VALID.</summary>
    /// <param name="kind">Max or average.</param>
    /// <param name="kernel">Window side.</param>
    /// <param name="stride">Window step; the kernel when null (PyTorch's default).</param>
    /// <param name="padding">VALID, symmetric explicit zeros (at most half the window, PyTorch's rule) or SAME(TF).</param>
    /// <param name="ceilMode">PyTorch's <c>ceil_mode</c>: round the output size up, so a last partial window is kept.</param>
    /// <param name="name">Name in diagrams and error messages.</param>
    /// <exception cref="ArgumentOutOfRangeException">A kernel or stride below 1, or padding above half the window.</exception>
    /// <exception cref="ArgumentException">Asymmetric, FULL or PyTorch-SAME padding, or ceil mode with SAME.</exception>
    private protected Pool2d(PoolKind kind, long kernel, long? stride = null, ConvPadding? padding = null, bool ceilMode = false, string? name = null)
        : base(name ?? $"{(kind == PoolKind.Max ? "maxpool" : "avgpool")}{kernel}x{kernel}")
    {
        Require.Positive(kernel, nameof(kernel));
        Kind = kind;
        Kernel = kernel;
        Stride = stride ?? kernel;
        Require.Positive(Stride, nameof(stride));
        Padding = padding ?? ConvPadding.Valid;
        CeilMode = ceilMode;
        if (Padding.Mode is PaddingMode.Full or PaddingMode.SamePyTorch || Padding.Before != Padding.After)
            throw new ArgumentException($"{GetName()}: pooling takes VALID, SAME(TF) or the same explicit zeros on both sides (PyTorch's padding=p), but got {Padding}. Use ConvPadding.Symmetric(p).", nameof(padding));
        if (Padding.Before > Kernel / 2)
            throw new ArgumentOutOfRangeException(nameof(padding), Padding.Before, $"Pooling padding must be at most half the kernel ({Kernel / 2} for a {Kernel}x{Kernel} window).");
        if (ceilMode && Padding.Mode == PaddingMode.SameTensorFlow)
            throw new ArgumentException($"{GetName()}: ceil mode is PyTorch's rounding for VALID or explicit padding; SAME(TF) already keeps every partial window. Drop ceilMode or use explicit padding.", nameof(ceilMode));
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
    /// <summary>True when the output size is rounded up (PyTorch's <c>ceil_mode</c>).</summary>
    public bool CeilMode { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        long[] k = [Kernel, Kernel], s = [Stride, Stride];
        if (Padding.Mode == PaddingMode.SameTensorFlow)
        {
            long[] pads = Geometry(input.shape[2], input.shape[3]).PadArgument;
            if (Kind == PoolKind.Max)
                return F.max_pool2d(F.pad(input, pads, value: double.NegativeInfinity), k, s);
            // Average of real values only: sum of values / number of real (non-padding) cells in each window.
            using var ones = torch.ones(1, 1, input.shape[2], input.shape[3], dtype: input.dtype, device: input.device);
            using var counts = F.avg_pool2d(F.pad(ones, pads), k, s);
            using var sums = F.avg_pool2d(F.pad(input, pads), k, s);
            return sums / counts;
        }
        long[] p = [Padding.Before, Padding.Before];
        return Kind == PoolKind.Max ? F.max_pool2d(input, k, s, p, ceil_mode: CeilMode) : F.avg_pool2d(input, k, s, p, ceil_mode: CeilMode);
    }

    private Geometry2d Geometry(long height, long width) => Padding.Mode == PaddingMode.SameTensorFlow
        ? new(ConvGeometry.Conv((int)height, (int)Kernel, (int)Stride, Padding) with { Kind = OperationKind.Pooling },
            ConvGeometry.Conv((int)width, (int)Kernel, (int)Stride, Padding) with { Kind = OperationKind.Pooling })
        : ConvGeometry.Pool2d(((int)height, (int)width), ((int)Kernel, (int)Kernel), ((int)Stride, (int)Stride), (Padding.Before, Padding.Before), ceilMode: CeilMode);

    internal override Flow Trace(Flow input, TraceContext ctx)
    {
        var s = input.Shape;
        int min = ConvGeometry.MinimumInput((int)Kernel, Padding);
        if (s.Height < min || s.Width < min)
            throw new BlockShapeException(GetName(), $"maps of at least {min}x{min} for a {Kernel}x{Kernel} window with {Padding} padding", s.ToString(),
                "use SAME padding, fewer downsampling layers before this one, or a larger input");
        var g = Geometry(s.Height, s.Width);
        var output = new FeatureShape(s.Channels, g.Height.Output, g.Width.Output);
        string label = $"{(Kind == PoolKind.Max ? "max" : "avg")} pool {Kernel}x{Kernel}" + (Stride > 1 ? $" s{Stride}" : "") + $" {Padding}" + (CeilMode ? " ceil" : "");
        return ctx.Layer(input, GetName(), label, output, LayerCosts.Pool(1, (int)s.Channels, [g.Height, g.Width], Kind),
            input.Rows.Then(Kernel, Stride), input.Columns.Then(Kernel, Stride));
    }
}
