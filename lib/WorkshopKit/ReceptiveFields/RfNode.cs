using WorkshopKit.Geometry;

namespace WorkshopKit.ReceptiveFields;

/// <summary>How a layer maps output positions back to input positions.</summary>
public enum RfKind
{
    /// <summary>Convolution or pooling: output o reads inputs o s - p + j d for taps j.</summary>
    Convolution,
    /// <summary>Transposed convolution: input i writes outputs i s + j d - p.</summary>
    TransposedConvolution,
    /// <summary>Element-wise layers (activations, batch norm, dropout): each output reads its own position.</summary>
    Pointwise,
    /// <summary>Nearest-neighbour upsampling by an integer factor (the stride field holds the factor): output o reads floor(o / factor).</summary>
    NearestUpsample,
}

/// <summary>An inclusive interval of positions along one dimension; may extend into the padding (negative or past the end).</summary>
/// <param name="Start">First position.</param>
/// <param name="End">Last position (inclusive).</param>
public readonly record struct Span(long Start, long End)
{
    /// <summary>Number of positions, End - Start + 1.</summary>
    public long Size => End - Start + 1;

    /// <summary>The part inside [0, length), or null when nothing is left.</summary>
    public Span? Clip(long length) => Math.Max(0, Start) <= Math.Min(length - 1, End) ? new Span(Math.Max(0, Start), Math.Min(length - 1, End)) : null;

    /// <inheritdoc />
    public override string ToString() => $"[{Start}, {End}]";
}

/// <summary>A rectangle of input positions (rows and columns), the input region an output unit can see.</summary>
/// <param name="Rows">Row interval.</param>
/// <param name="Columns">Column interval.</param>
public readonly record struct Region(Span Rows, Span Columns)
{
    /// <summary>The part inside an input of the given size, or null when it lies entirely in the padding.</summary>
    public Region? Clip(long height, long width) =>
        Rows.Clip(height) is { } r && Columns.Clip(width) is { } c ? new Region(r, c) : null;

    /// <inheritdoc />
    public override string ToString() => $"rows {Rows}, cols {Columns}";
}

/// <summary>
/// A description of a network for receptive-field analysis: a layer, a chain of nodes, or parallel branches
/// whose outputs are combined (added or concatenated) position by position.
/// </summary>
public abstract record RfNode
{
    /// <summary>The input region that the output rectangle <paramref name="output"/> depends on.</summary>
    public abstract Region MapBack(Region output);

    /// <summary>Short label for tables.</summary>
    public abstract string Label { get; }

    /// <summary>A chain: the nodes run one after the other.</summary>
    public static RfChain Chain(params RfNode[] nodes) => new(nodes);

    /// <summary>Parallel branches applied to the same input and merged; they must be aligned.</summary>
    public static RfBranches Branches(params RfNode[] branches) => new(branches);
}

/// <summary>One layer of a receptive-field description, with per-dimension kernel, stride, padding (before) and dilation.</summary>
/// <param name="Name">Layer name for tables.</param>
/// <param name="Kind">How it maps positions.</param>
/// <param name="Kernel">Kernel (height, width).</param>
/// <param name="Stride">Stride (height, width); the upsampling factor for <see cref="RfKind.NearestUpsample"/>.</param>
/// <param name="Padding">Zeros before the input (height, width); for transposed convolutions PyTorch's padding.</param>
/// <param name="Dilation">Dilation (height, width).</param>
public sealed record RfLayer(string Name, RfKind Kind, (int H, int W) Kernel, (int H, int W) Stride, (int H, int W) Padding, (int H, int W) Dilation) : RfNode
{
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
        new(MapAxis(output.Rows, Kernel.H, Stride.H, Padding.H, Dilation.H), MapAxis(output.Columns, Kernel.W, Stride.W, Padding.W, Dilation.W));

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

    private static RfLayer Check(RfLayer layer)
    {
        if (layer.Kernel.H < 1 || layer.Kernel.W < 1 || layer.Stride.H < 1 || layer.Stride.W < 1 || layer.Dilation.H < 1 || layer.Dilation.W < 1)
            throw new ArgumentException($"Layer {layer.Name}: kernel, stride and dilation must be at least 1, got kernel {layer.Kernel}, stride {layer.Stride}, dilation {layer.Dilation}.");
        if (layer.Padding.H < 0 || layer.Padding.W < 0)
            throw new ArgumentException($"Layer {layer.Name}: padding must be non-negative, got {layer.Padding}.");
        return layer;
    }
}

/// <summary>Nodes applied one after the other (a Sequential).</summary>
/// <param name="Nodes">The nodes, input side first.</param>
public sealed record RfChain(IReadOnlyList<RfNode> Nodes) : RfNode
{
    /// <inheritdoc />
    public override string Label => string.Join(" -> ", Nodes.Select(n => n.Label));

    /// <inheritdoc />
    public override Region MapBack(Region output)
    {
        for (int i = Nodes.Count - 1; i >= 0; i--) output = Nodes[i].MapBack(output);
        return output;
    }
}

/// <summary>
/// Parallel branches merged position by position (sum as in residual blocks, or channel concatenation as in
/// inception-style blocks). Their receptive fields must be aligned (same centres for every output unit,
/// which implies the same effective stride); the block's field is then the largest one.
/// </summary>
/// <param name="Paths">The branches; use <see cref="RfLayer.Pointwise"/> for an identity shortcut.</param>
public sealed record RfBranches(IReadOnlyList<RfNode> Paths) : RfNode
{
    /// <inheritdoc />
    public override string Label => "{" + string.Join(" | ", Paths.Select(n => n.Label)) + "}";

    /// <inheritdoc />
    public override Region MapBack(Region output)
    {
        Region? merged = null;
        foreach (var path in Paths)
        {
            var r = path.MapBack(output);
            if (merged is { } m)
            {
                if (m.Rows.Start + m.Rows.End != r.Rows.Start + r.Rows.End || m.Columns.Start + m.Columns.End != r.Columns.Start + r.Columns.End)
                    throw new ArgumentException(
                        $"Branches are not aligned: for output {output} path '{Paths[0].Label}' sees {m} (centre rows {(m.Rows.Start + m.Rows.End) / 2.0}) " +
                        $"but path '{path.Label}' sees {r} (centre rows {(r.Rows.Start + r.Rows.End) / 2.0}). Use SAME padding on every branch so their centres coincide.");
                merged = new Region(new Span(Math.Min(m.Rows.Start, r.Rows.Start), Math.Max(m.Rows.End, r.Rows.End)),
                    new Span(Math.Min(m.Columns.Start, r.Columns.Start), Math.Max(m.Columns.End, r.Columns.End)));
            }
            else merged = r;
        }
        return merged ?? output;
    }
}
