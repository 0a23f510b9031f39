using WorkshopKit.Geometry;

namespace WorkshopKit.ReceptiveFields;

/// <summary>One layer of a receptive-field description, with per-dimension kernel, stride, padding (before) and dilation.</summary>
/// <param name="Name">Layer name for tables.</param>
/// <param name="Kind">How it maps positions.</param>
/// <param name="Kernel">Kernel (height, width).</param>
/// <param name="Stride">Stride (height, width); the upsampling factor for <see cref="RfKind.NearestUpsample"/>.</param>
/// <param name="Padding">Zeros before the input (height, width); for transposed convolutions PyTorch's padding.</param>
/// <param name="Dilation">Dilation (height, width).</param>
/// <remarks>First used in notebook 01 (Convolutional layers), section "8. Receptive fields".</remarks>
public sealed record RfLayer(string Name, RfKind Kind, (int Height, int Width) Kernel, (int Height, int Width) Stride, (int Height, int Width) Padding, (int Height, int Width) Dilation) : RfNode
{
    // Checked in the properties, so that the record constructor and `with { Stride = (0, 0) }` cannot bypass the rules.
    /// <summary>How it maps positions (a defined <see cref="RfKind"/>).</summary>
    public RfKind Kind { get; init => field = Runtime.Guard.Defined(value, nameof(Kind)); } = Runtime.Guard.Defined(Kind, nameof(Kind));

    /// <summary>Kernel (height, width), each at least 1.</summary>
    public (int Height, int Width) Kernel { get; init => field = AtLeast(value, 1, nameof(Kernel), Name); } = AtLeast(Kernel, 1, nameof(Kernel), Name);

    /// <summary>Stride (height, width), each at least 1; the upsampling factor for <see cref="RfKind.NearestUpsample"/>.</summary>
    public (int Height, int Width) Stride { get; init => field = AtLeast(value, 1, nameof(Stride), Name); } = AtLeast(Stride, 1, nameof(Stride), Name);

    /// <summary>Zeros before the input (height, width), each non-negative.</summary>
    public (int Height, int Width) Padding { get; init => field = AtLeast(value, 0, nameof(Padding), Name); } = AtLeast(Padding, 0, nameof(Padding), Name);

    /// <summary>Dilation (height, width), each at least 1.</summary>
    public (int Height, int Width) Dilation { get; init => field = AtLeast(value, 1, nameof(Dilation), Name); } = AtLeast(Dilation, 1, nameof(Dilation), Name);

    private static (int Height, int Width) AtLeast((int Height, int Width) value, int minimum, string what, string layer) =>
        value.Height >= minimum && value.Width >= minimum ? value
            : throw new ArgumentException($"Layer {layer}: {what.ToLowerInvariant()} must be at least {minimum} per axis, got {what.ToLowerInvariant()} {value}. " +
                (minimum == 0 ? "Use 0 or a positive number of zeros." : "Use 1 for an ordinary layer."), what);

    /// <summary>A square convolution (or pooling window) with the given stride, padding before and dilation.</summary>
    public static RfLayer Conv(int kernel, int stride = 1, int padding = 0, int dilation = 1, string? name = null) =>
        Check(new(name ?? $"conv{kernel}x{kernel}/s{stride}", RfKind.Convolution, (kernel, kernel), (stride, stride), (padding, padding), (dilation, dilation)));

    /// <summary>A convolution from its 2D geometry (uses the padding before, which fixes alignment; SAME(TF) included).</summary>
    public static RfLayer FromGeometry(Geometry2d geometry, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var (h, w) = (geometry.Height, geometry.Width);
        var kind = h.Kind == OperationKind.TransposedConvolution ? RfKind.TransposedConvolution : RfKind.Convolution;
        return Check(new(name ?? h.Kind.ToString(), kind, (h.Kernel, w.Kernel), (h.Stride, w.Stride), (h.PadBefore, w.PadBefore), (h.Dilation, w.Dilation)));
    }

    /// <summary>A square pooling window (same mapping as a convolution); the stride defaults to the window.</summary>
    public static RfLayer Pool(int kernel, int? stride = null, int padding = 0, int dilation = 1, string? name = null) =>
        Check(new(name ?? $"pool{kernel}x{kernel}", RfKind.Convolution, (kernel, kernel), (stride ?? kernel, stride ?? kernel), (padding, padding), (dilation, dilation)));

    /// <summary>A square transposed convolution with PyTorch's stride, padding and dilation.</summary>
    public static RfLayer ConvTranspose(int kernel, int stride = 1, int padding = 0, int dilation = 1, string? name = null) =>
        Check(new(name ?? $"convT{kernel}x{kernel}/s{stride}", RfKind.TransposedConvolution, (kernel, kernel), (stride, stride), (padding, padding), (dilation, dilation)));

    /// <summary>An element-wise layer: it does not change the receptive field.</summary>
    public static RfLayer Pointwise(string name = "pointwise") => new(name, RfKind.Pointwise, (1, 1), (1, 1), (0, 0), (1, 1));

    /// <summary>Nearest-neighbour upsampling by an integer factor.</summary>
    public static RfLayer NearestUpsample(int factor, string? name = null) =>
        Check(new(name ?? $"upsample x{factor}", RfKind.NearestUpsample, (1, 1), (factor, factor), (0, 0), (1, 1)));

    /// <inheritdoc />
    public override string Label => Name;

    /// <inheritdoc />
    public override Region MapBack(Region output) =>
        new(MapAxis(output.Rows, Kernel.Height, Stride.Height, Padding.Height, Dilation.Height), MapAxis(output.Columns, Kernel.Width, Stride.Width, Padding.Width, Dilation.Width));

    private Span MapAxis(Span o, int k, int s, int p, int d)
    {
        switch (Kind)
        {
            case RfKind.Pointwise:
                return o;
            case RfKind.NearestUpsample:
                return new Span(FloorDiv(o.Start, s), FloorDiv(o.End, s));
            case RfKind.Convolution:
                return new Span(o.Start * s - p, o.End * s - p + (long)d * (k - 1));
            default:
                // Input i reaches outputs i s + j d - p; find the extreme i over taps j that land in [o.Start, o.End].
                long lo = long.MaxValue, hi = long.MinValue;
                for (int j = 0; j < k; j++)
                {
                    long a = CeilDiv(o.Start + p - (long)j * d, s), b = FloorDiv(o.End + p - (long)j * d, s);
                    if (a > b) continue;
                    lo = Math.Min(lo, a);
                    hi = Math.Max(hi, b);
                }
                if (lo > hi)
                    throw new ArgumentException($"Layer {Name}: output positions {o} receive no input (stride {s} and dilation {d} skip them); the receptive field is empty.");
                return new Span(lo, hi);
        }
    }

    private static long FloorDiv(long a, long b) => (long)Math.Floor(a / (double)b);

    private static long CeilDiv(long a, long b) => (long)Math.Ceiling(a / (double)b);

    private static RfLayer Check(RfLayer layer) => layer; // the properties check themselves
}
