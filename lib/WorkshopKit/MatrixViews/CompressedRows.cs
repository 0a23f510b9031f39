using System.Numerics;
using WorkshopKit.Geometry;
using static TorchSharp.torch;

namespace WorkshopKit.MatrixViews;

/// <summary>
/// The convolution matrix W in compressed sparse row form (CSR) with a row-parallel product y = W x, written here
/// because TorchSharp 0.107 exposes neither CSR tensors (<c>to_sparse_csr</c>) nor <c>coalesce</c>: its only sparse
/// product is <c>torch.mm</c> on a COO tensor, which sorts (coalesces) all 9.2 million entries again on every call
/// (about 500 ms for the 65,536 x 65,536 example). Here the entries are written straight from the geometry in
/// row-major, column-sorted order (no sort at all), and the product reads each row's entries once: one pass over
/// about 74 MB of column indices and values, split over threads by rows, so no two threads write the same output.
/// </summary>
/// <typeparam name="T">float or double, the weight's precision (sums are accumulated in it, as conv2d does).</typeparam>
internal sealed class CompressedRows<T> where T : unmanaged, IFloatingPoint<T>
{
    /// <summary>Rows per parallel task: large enough to amortise scheduling, small enough to balance two to 64 threads.</summary>
    private const int RowsPerTask = 2048;

    private readonly long[] rowStart;
    private readonly int[] column;
    private readonly T[] value;

    private CompressedRows(long[] rowStart, int[] column, T[] value)
    {
        this.rowStart = rowStart;
        this.column = column;
        this.value = value;
    }

    /// <summary>Number of rows (output elements).</summary>
    public long Rows => rowStart.Length - 1;

    /// <summary>Stored entries.</summary>
    public long NonZeros => rowStart[^1];

    /// <summary>
    /// Lays out W for a convolution with weight values <paramref name="weights"/> (out, in/groups, kh, kw, row-major):
    /// row (co, oh, ow) holds, for each input channel of co's group and each tap that lands inside the input, the
    /// column (ci, ih, iw) and the weight. Columns come out ascending because ih and iw grow with the tap index.
    /// </summary>
    public static CompressedRows<T> Build(T[] weights, int outChannels, int channelsPerGroup, int groups, (int Channels, int Height, int Width) input, Geometry2d g)
    {
        var rowsH = Taps(g.Height);
        var rowsW = Taps(g.Width);
        int ho = g.Height.Output, wo = g.Width.Output, kh = g.Height.Kernel, kw = g.Width.Kernel;
        int outPerGroup = outChannels / groups;
        long rows = (long)outChannels * ho * wo;
        var start = new long[rows + 1];
        long total = 0;
        for (int co = 0; co < outChannels; co++)
            for (int oh = 0; oh < ho; oh++)
                for (int ow = 0; ow < wo; ow++)
                {
                    start[((long)co * ho + oh) * wo + ow] = total;
                    total += (long)channelsPerGroup * rowsH[oh].Length * rowsW[ow].Length;
                }
        start[rows] = total;
        if (total > Array.MaxLength)
            throw new ArgumentException($"W has {total:N0} non-zeros, more than one .NET array can hold ({Array.MaxLength:N0}). Use a smaller input or fewer channels.");
        var column = new int[total];
        var value = new T[total];
        int plane = input.Height * input.Width;
        Parallel.For(0, outChannels * ho, block =>
        {
            int co = block / ho, oh = block % ho;
            int firstChannel = co / outPerGroup * channelsPerGroup;
            var tapsH = rowsH[oh];
            for (int ow = 0; ow < wo; ow++)
            {
                var tapsW = rowsW[ow];
                long p = start[((long)co * ho + oh) * wo + ow];
                for (int ci = 0; ci < channelsPerGroup; ci++)
                {
                    int channelBase = (firstChannel + ci) * plane;
                    int weightBase = (co * channelsPerGroup + ci) * kh * kw;
                    foreach (var (tapH, ih) in tapsH)
                    {
                        int rowBase = channelBase + ih * input.Width;
                        int weightRow = weightBase + tapH * kw;
                        foreach (var (tapW, iw) in tapsW)
                        {
                            column[p] = rowBase + iw;
                            value[p] = weights[weightRow + tapW];
                            p++;
                        }
                    }
                }
            }
        });
        return new CompressedRows<T>(start, column, value);
    }

    /// <summary>For each output position of one axis, the (tap, input position) pairs that fall inside the input.</summary>
    private static (int Tap, int Input)[][] Taps(AxisGeometry a)
    {
        var result = new (int, int)[a.Output][];
        for (int o = 0; o < a.Output; o++)
        {
            var list = new List<(int, int)>(a.Kernel);
            for (int k = 0; k < a.Kernel; k++)
            {
                int i = o * a.Stride - a.PadBefore + k * a.Dilation;
                if (i >= 0 && i < a.Input) list.Add((k, i));
            }
            result[o] = [.. list];
        }
        return result;
    }

    /// <summary>y = W x (+ bias) for contiguous CPU tensors of type <typeparamref name="T"/>; <paramref name="y"/> has <see cref="Rows"/> elements.</summary>
    public unsafe void Multiply(Tensor x, Tensor y, Tensor? bias)
    {
        fixed (byte* xb = x.bytes)
        fixed (byte* yb = y.bytes)
        fixed (byte* bb = bias is null ? Span<byte>.Empty : bias.bytes)
        {
            nint xp = (nint)xb, yp = (nint)yb, bp = (nint)bb;
            long rows = Rows;
            long tasks = (rows + RowsPerTask - 1) / RowsPerTask;
            Parallel.For(0L, tasks, t =>
            {
                T* xs = (T*)xp, ys = (T*)yp, bs = (T*)bp;
                long first = t * RowsPerTask, last = Math.Min(rows, first + RowsPerTask);
                fixed (long* starts = rowStart)
                fixed (int* columns = column)
                fixed (T* values = value)
                {
                    for (long r = first; r < last; r++)
                    {
                        T sum = T.Zero;
                        long end = starts[r + 1];
                        for (long k = starts[r]; k < end; k++) sum += values[k] * xs[columns[k]];
                        ys[r] = bs == null ? sum : sum + bs[r];
                    }
                }
            });
        }
    }
}
