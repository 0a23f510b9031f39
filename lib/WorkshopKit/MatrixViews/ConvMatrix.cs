using System.Globalization;
using TorchSharp;
using WorkshopKit.Geometry;
using WorkshopKit.Runtime;
using WorkshopKit.Visuals;
using static TorchSharp.torch;

namespace WorkshopKit.MatrixViews;

/// <summary>
/// The explicit matrix W of a 2D convolution, so that vec(conv(x)) = W vec(x) + b for one image (vec is PyTorch's
/// row-major flattening of (channels, height, width)). It is stored sparse (COO), because each row holds only the
/// (in/groups) x k x k weights of one window; <see cref="ToDense"/> gives the full matrix for small examples.
/// The transposed convolution is exactly W^T (see <see cref="ApplyTranspose"/>). For CPU weights in float32 or float64,
/// W is also kept in compressed-row form, which <see cref="Apply"/> multiplies with a row-parallel kernel of its own
/// (TorchSharp has no CSR tensors and re-sorts a COO tensor on every <c>torch.mm</c>; see docs/benchmarks.md).
/// </summary>
/// <remarks>First used in notebook 01 (Convolutional layers), section "4. The same convolution as a matrix".</remarks>
public sealed class ConvMatrix : IDisposable, IHtmlDisplay
{
    /// <summary>Largest dense matrix <see cref="ToDense"/> builds by default: 16,777,216 entries (64 MiB in float32).</summary>
    public const long DefaultDenseLimit = 1L << 24;

    private readonly Tensor indices;
    private readonly Tensor values;
    // The compressed-row form is laid out on the first Apply, not in Build: Build keeps its cost (docs/benchmarks.md),
    // and matrices that are only inspected (ToDense, Statistics) never pay for it. Only the small weight is kept for it.
    private readonly Tensor? rowsWeight;
    private readonly int groups;
    private readonly object rowsGate = new();
    private CompressedRows<float>? rowsSingle;
    private CompressedRows<double>? rowsDouble;
    private readonly Tensor sparse;
    private readonly Tensor? biasVector;
    private bool disposed;

    private ConvMatrix(Tensor indices, Tensor values, long rows, long columns, Geometry2d geometry, (int Channels, int Height, int Width) input, int outChannels, Tensor? bias,
        Tensor? rowsWeight, int groups)
    {
        this.rowsWeight = rowsWeight;
        this.groups = groups;
        this.indices = indices;
        this.values = values;
        Rows = rows;
        Columns = columns;
        Geometry = geometry;
        Input = input;
        OutChannels = outChannels;
        sparse = sparse_coo_tensor(indices, values, [rows, columns]).DetachFromDisposeScope();
        biasVector = bias;
    }

    /// <summary>W as a sparse COO tensor of shape (rows, columns).</summary>
    /// <exception cref="ObjectDisposedException">The matrix was disposed.</exception>
    public Tensor Sparse
    {
        get
        {
            ThrowIfDisposed();
            return sparse;
        }
    }

    /// <summary>The bias as a vector of length <see cref="Rows"/> (each channel's bias repeated over its positions), or null.</summary>
    /// <exception cref="ObjectDisposedException">The matrix was disposed.</exception>
    public Tensor? Bias
    {
        get
        {
            ThrowIfDisposed();
            return biasVector;
        }
    }

    /// <summary>Geometry of the convolution (sizes and padding per dimension).</summary>
    public Geometry2d Geometry { get; }

    /// <summary>Input shape (channels, height, width).</summary>
    public (int Channels, int Height, int Width) Input { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Number of rows: output elements.</summary>
    public long Rows { get; }

    /// <summary>Number of columns: input elements.</summary>
    public long Columns { get; }

    /// <summary>Stored entries.</summary>
    /// <exception cref="ObjectDisposedException">The matrix was disposed.</exception>
    public long NonZeros
    {
        get
        {
            ThrowIfDisposed();
            return values.shape[0];
        }
    }

    /// <summary>
    /// Builds W with vectorized TorchSharp index arithmetic (no per-entry loop): all (output, tap) pairs are laid out
    /// on a broadcast grid, taps that fall in the padding are masked away, and what remains is already in row-major order.
    /// </summary>
    /// <param name="weight">Convolution weight (out, in/groups, kh, kw).</param>
    /// <param name="input">Input shape (channels, height, width) of one image.</param>
    /// <param name="stride">Stride (height, width); (1, 1) when null.</param>
    /// <param name="padding">Padding rule; VALID when null.</param>
    /// <param name="dilation">Dilation (height, width); (1, 1) when null.</param>
    /// <param name="groups">Groups.</param>
    /// <param name="bias">Optional bias (out).</param>
    /// <exception cref="ArgumentException">Shapes that do not match, or an invalid geometry.</exception>
    public static ConvMatrix Build(Tensor weight, (int Channels, int Height, int Width) input, (int Height, int Width)? stride = null, ConvPadding? padding = null,
        (int Height, int Width)? dilation = null, int groups = 1, Tensor? bias = null)
    {
        Guard.FloatingTensor(weight, nameof(weight)); // integer weights would truncate a float input to integers (Apply)
        if (bias is not null) Guard.SameDtypeAndDevice(bias, nameof(bias), weight, nameof(weight));
        if (input.Channels < 1 || input.Height < 1 || input.Width < 1)
            throw new ArgumentOutOfRangeException(nameof(input), $"The input shape (C, H, W) must be at least 1 in each entry, but input = {input}. Pass the shape of one image, e.g. (1, 28, 28).");
        if (weight.dim() != 4)
            throw new ArgumentException($"The weight must be 4D (out, in/groups, kh, kw), got shape [{string.Join(", ", weight.shape)}].", nameof(weight));
        int cout = (int)weight.shape[0], cpg = (int)weight.shape[1], kh = (int)weight.shape[2], kw = (int)weight.shape[3];
        if (groups < 1 || input.Channels % groups != 0 || cout % groups != 0 || input.Channels / groups != cpg)
            throw new ArgumentException(
                $"Channels do not match: input has {input.Channels} channels, weight has {cpg} per group with groups={groups} and {cout} outputs. " +
                "Input channels must equal groups x weight.shape[1], and groups must divide the output channels.", nameof(weight));
        var s = stride ?? (1, 1);
        var d = dilation ?? (1, 1);
        var g = ConvGeometry.Conv2d((input.Height, input.Width), (kh, kw), s, padding, d);
        int ho = g.Height.Output, wo = g.Width.Output;
        long rows = (long)cout * ho * wo, columns = (long)input.Channels * input.Height * input.Width;
        // Upper bound of the stored entries (every tap real) and what building them holds at once: int64 row and
        // column indices, the values, and about as much again in temporaries. Refused here rather than by libtorch.
        long entries = Guard.Product("stored entries (out x in/groups x oh x ow x kh x kw)", cout, cpg, ho, wo, kh, kw);
        if (weight.device.type == DeviceType.CPU)
            Guard.MemoryFits(Guard.Product("bytes to build W", entries, 2 * (16 + weight.element_size())), $"ConvMatrix.Build for weight [{string.Join(", ", weight.shape)}] on input {input} ({entries:N0} entries)",
                "Build the matrix for a smaller input or fewer channels (notebook 01 uses one small image), or use Im2Col / conv2d for large layers.");

        using var scope = NewDisposeScope();
        var dev = weight.device;
        // Per dimension, the (output, tap) pairs whose input position is real (not padding): small tensors.
        var (ohs, ihs, khs) = AxisPairs(g.Height, dev);
        var (ows, iws, kws) = AxisPairs(g.Width, dev);
        // Spatial combinations: every real tap of every output position, for one channel pair.
        var rowSpatial = (ohs.unsqueeze(1) * wo + ows.unsqueeze(0)).reshape(-1);
        var colSpatial = (ihs.unsqueeze(1) * input.Width + iws.unsqueeze(0)).reshape(-1);
        var tap = (khs.unsqueeze(1) * kw + kws.unsqueeze(0)).reshape(-1);
        // Channel pairs (co, ci within the group): the same spatial pattern repeats for each, offset by the channel.
        var co = arange(cout, int64, dev).repeat_interleave(cpg);
        var ci = arange(cpg, int64, dev).repeat(cout);
        var cin = co.div(cout / groups, rounding_mode: RoundingMode.floor) * cpg + ci;
        // Write row and column indices in place into one (2, pairs, spatial) tensor: no temporaries of the full size.
        long pairs = (long)cout * cpg, spatial = rowSpatial.shape[0];
        var idx = empty([2, pairs, spatial], int64, device: dev);
        using (var rowsView = idx[0]) rowsView.copy_((co * ((long)ho * wo)).unsqueeze(1).expand(pairs, spatial)).add_(rowSpatial.unsqueeze(0));
        using (var colsView = idx[1]) colsView.copy_((cin * ((long)input.Height * input.Width)).unsqueeze(1).expand(pairs, spatial)).add_(colSpatial.unsqueeze(0));
        idx = idx.view(2, pairs * spatial).MoveToOuterDisposeScope();
        var vals = weight.detach().reshape((long)cout * cpg, (long)kh * kw).index_select(1, tap).reshape(-1).MoveToOuterDisposeScope();
        Tensor? b = null;
        if (bias is not null)
        {
            if (bias.numel() != cout)
                throw new ArgumentException($"The bias must have {cout} entries (one per output channel), got {bias.numel()}.", nameof(bias));
            b = bias.detach().view(cout, 1).expand(cout, (long)ho * wo).reshape(rows).MoveToOuterDisposeScope();
        }
        Tensor? rowsWeight = dev.type == DeviceType.CPU && columns <= int.MaxValue && weight.dtype is ScalarType.Float32 or ScalarType.Float64
            ? weight.detach().contiguous().clone().MoveToOuterDisposeScope()
            : null;
        return new ConvMatrix(idx, vals, rows, columns, g, input, cout, b, rowsWeight, groups);
    }

    /// <summary>Lays out the compressed-row form once (thread-safe); false when this matrix has none (not CPU float32/float64).</summary>
    private bool EnsureCompressedRows()
    {
        if (rowsWeight is null) return false;
        lock (rowsGate)
        {
            if (rowsSingle is not null || rowsDouble is not null) return true;
            int cout = (int)rowsWeight.shape[0], cpg = (int)rowsWeight.shape[1];
            if (rowsWeight.dtype == ScalarType.Float32)
                rowsSingle = CompressedRows<float>.Build(rowsWeight.data<float>().ToArray(), cout, cpg, groups, Input, Geometry);
            else
                rowsDouble = CompressedRows<double>.Build(rowsWeight.data<double>().ToArray(), cout, cpg, groups, Input, Geometry);
            return true;
        }
    }

    /// <summary>
    /// Which form <see cref="Apply"/> uses: "compressed rows (WorkshopKit kernel)" for CPU float32/float64 weights,
    /// otherwise "gather + index_add" (the COO entries with TorchSharp operations, any device).
    /// </summary>
    public string ProductKernel => rowsWeight is not null ? "compressed rows (WorkshopKit kernel)" : "gather + index_add";

    private static (Tensor Output, Tensor Input, Tensor Tap) AxisPairs(AxisGeometry a, Device dev)
    {
        var o = arange(a.Output, int64, dev).unsqueeze(1);
        var k = arange(a.Kernel, int64, dev).unsqueeze(0);
        var i = o * a.Stride - a.PadBefore + k * a.Dilation;
        var valid = (i >= 0) & (i < a.Input);
        return (o.expand(i.shape).masked_select(valid), i.masked_select(valid), k.expand(i.shape).masked_select(valid));
    }

    /// <summary>
    /// W vec(x) (+ bias) as TorchSharp's sparse-dense product <c>torch.mm(Sparse, x)</c>, reshaped to (out, oh, ow).
    /// This goes through libtorch's sparse kernels, which work on coalesced (sorted) entries; the benchmark compares it with <see cref="Apply"/>.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The matrix was disposed.</exception>
    public Tensor ApplyWithSparseMm(Tensor x)
    {
        ThrowIfDisposed();
        Guard.FloatingTensor(x, nameof(x));
        CheckNumel(x, Columns, "input");
        using var scope = NewDisposeScope();
        var y = mm(Sparse, x.reshape(Columns, 1).to(values.dtype)).view(Rows);
        if (Bias is not null) y = y + Bias;
        return y.view(OutChannels, Geometry.Height.Output, Geometry.Width.Output).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// W vec(x) (+ bias), reshaped to (out, oh, ow). CPU matrices in float32/float64 use the compressed-row kernel
    /// (one pass over the stored entries, rows split over threads; the first call lays the rows out, about as long as
    /// one product); anything else uses <see cref="ApplyWithGather"/>.
    /// <see cref="ProductKernel"/> says which.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not have <see cref="Columns"/> elements.</exception>
    /// <exception cref="ObjectDisposedException">The matrix was disposed.</exception>
    public Tensor Apply(Tensor x)
    {
        ThrowIfDisposed();
        Guard.FloatingTensor(x, nameof(x));
        CheckNumel(x, Columns, "input");
        if (x.device.type != DeviceType.CPU || !EnsureCompressedRows()) return ApplyWithGather(x);
        using var scope = NewDisposeScope();
        var input = x.reshape(Columns).to(values.dtype).contiguous();
        var y = empty(Rows, values.dtype);
        var bias = Bias?.contiguous();
        if (rowsSingle is not null) rowsSingle.Multiply(input, y, bias);
        else rowsDouble!.Multiply(input, y, bias);
        return y.view(OutChannels, Geometry.Height.Output, Geometry.Width.Output).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// W vec(x) (+ bias), reshaped to (out, oh, ow): the sparse matrix-vector product written out on the COO entries
    /// with TorchSharp operations (gather x at the column indices, multiply by the values, add into the rows). Works on
    /// any device; on the CPU, <see cref="Apply"/> is faster.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The matrix was disposed.</exception>
    public Tensor ApplyWithGather(Tensor x)
    {
        ThrowIfDisposed();
        Guard.FloatingTensor(x, nameof(x));
        CheckNumel(x, Columns, "input");
        using var scope = NewDisposeScope();
        var products = x.reshape(Columns).to(values.dtype).index_select(0, indices[1]) * values;
        var y = zeros(Rows, values.dtype, values.device).index_add_(0, indices[0], products, 1.0);
        if (Bias is not null) y = y + Bias;
        return y.view(OutChannels, Geometry.Height.Output, Geometry.Width.Output).MoveToOuterDisposeScope();
    }

    /// <summary>W^T vec(y), reshaped to the input shape: what the transposed convolution (and the gradient of the convolution) computes.</summary>
    /// <exception cref="ObjectDisposedException">The matrix was disposed.</exception>
    public Tensor ApplyTranspose(Tensor y)
    {
        ThrowIfDisposed();
        Guard.FloatingTensor(y, nameof(y));
        CheckNumel(y, Rows, "output");
        using var scope = NewDisposeScope();
        // The transpose swaps the roles of the row and column indices: gather at rows, add into columns.
        var products = y.reshape(Rows).to(values.dtype).index_select(0, indices[0]) * values;
        return zeros(Columns, values.dtype, values.device).index_add_(0, indices[1], products, 1.0)
            .view(Input.Channels, Input.Height, Input.Width).MoveToOuterDisposeScope();
    }

    /// <summary>The dense matrix, for small examples (printing, plotting, checking by hand).</summary>
    /// <param name="maxElements">Refuse above this many entries.</param>
    /// <exception cref="ArgumentException">The matrix has more than <paramref name="maxElements"/> entries.</exception>
    /// <exception cref="ObjectDisposedException">The matrix was disposed.</exception>
    public Tensor ToDense(long maxElements = DefaultDenseLimit)
    {
        ThrowIfDisposed();
        double entries = (double)Rows * Columns;
        if (entries > maxElements)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"A dense W would have {Rows:N0} x {Columns:N0} = {entries:N0} entries ({entries * values.element_size() / 1048576.0:N0} MiB), above the limit of {maxElements:N0}. " +
                $"Use the sparse form (ConvMatrix.Sparse, {NonZeros:N0} stored entries) or pass a larger maxElements."), nameof(maxElements));
        return Sparse.to_dense();
    }

    /// <summary>Rows, columns, non-zeros, density and distinct values.</summary>
    /// <exception cref="ObjectDisposedException">The matrix was disposed.</exception>
    public ConvMatrixStatistics Statistics()
    {
        ThrowIfDisposed();
        using var scope = NewDisposeScope();
        var (unique, _, _) = values.unique();
        return new ConvMatrixStatistics(Rows, Columns, NonZeros, unique.numel());
    }

    /// <inheritdoc />
    public string ToHtml() => Statistics().ToHtml();

    /// <inheritdoc />
    public override string ToString() => Statistics().ToString();

    /// <summary>Releases the native tensors; afterwards every method refuses with an <see cref="ObjectDisposedException"/>. Calling it again does nothing.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        sparse.Dispose();
        rowsWeight?.Dispose();
        indices.Dispose();
        values.Dispose();
        biasVector?.Dispose();
    }

    /// <summary>Use after <see cref="Dispose"/> would reach freed native tensors (TorchSharp: "Tensor invalid -- empty handle"): refuse first.</summary>
    private void ThrowIfDisposed()
    {
        if (disposed)
            throw new ObjectDisposedException(nameof(ConvMatrix), string.Create(CultureInfo.InvariantCulture,
                $"This ConvMatrix ({Rows:N0} x {Columns:N0}, input {Input}) was disposed: its native tensors are freed and it cannot be used any more. Build a new one with ConvMatrix.Build, and dispose it only after its last use (e.g. `using var w = ConvMatrix.Build(...);` in the block that uses it)."));
    }

    private static void CheckNumel(Tensor t, long expected, string what)
    {
        if (t.numel() != expected)
            throw new ArgumentException($"The {what} has {t.numel()} elements (shape [{string.Join(", ", t.shape)}]) but the matrix expects {expected}.", nameof(t));
    }
}
