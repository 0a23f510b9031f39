using Plotly.NET;
using static TorchSharp.torch;

namespace WorkshopKit.Visuals;

/// <summary>
/// A single-channel transposed convolution (no padding) taken apart two ways: as stamping, where each input pixel adds
/// a copy of the kernel scaled by its value into the output, <c>stride</c> pixels after the previous copy; and as an
/// ordinary convolution of the input with <c>stride - 1</c> zeros inserted between its pixels and <c>k - 1</c> zeros
/// around it, with the kernel flipped. Both give exactly what <c>conv_transpose2d</c> computes.
/// </summary>
/// <remarks>First used in notebook 04 (Pooling and upsampling), section "2 · Upsampling", "A transposed convolution, two ways".</remarks>
public static class TransposedConvStamping
{
    /// <summary>The output by stamping: the sum of the scaled kernel copies, computed pixel by pixel.</summary>
    /// <param name="input">2-D input (height, width).</param>
    /// <param name="kernel">2-D kernel (k, k).</param>
    /// <param name="stride">Distance between neighbouring stamps.</param>
    /// <exception cref="ArgumentException">A stride below 1, or an input or kernel that is not 2-D.</exception>
    public static Tensor Stamp(Tensor input, Tensor kernel, int stride)
    {
        var (x, k) = Arrays(input, kernel, stride);
        int h = x.GetLength(0), w = x.GetLength(1), kh = k.GetLength(0), kw = k.GetLength(1);
        var output = new float[(h - 1) * stride + kh, (w - 1) * stride + kw];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                for (int a = 0; a < kh; a++)
                    for (int b = 0; b < kw; b++)
                        output[i * stride + a, j * stride + b] += x[i, j] * k[a, b];
        return ToTensor(output);
    }

    /// <summary>The input stretched for the convolution view: stride - 1 zeros between pixels and k - 1 zeros around the whole.</summary>
    /// <exception cref="ArgumentException">A stride below 1, or an input or kernel that is not 2-D.</exception>
    public static Tensor ZeroInserted(Tensor input, Tensor kernel, int stride)
    {
        var (x, k) = Arrays(input, kernel, stride);
        int h = x.GetLength(0), w = x.GetLength(1), kh = k.GetLength(0), kw = k.GetLength(1);
        var stretched = new float[(h - 1) * stride + 1 + 2 * (kh - 1), (w - 1) * stride + 1 + 2 * (kw - 1)];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                stretched[kh - 1 + i * stride, kw - 1 + j * stride] = x[i, j];
        return ToTensor(stretched);
    }

    /// <summary>
    /// The animation: one slider step per input pixel, with the input (the current pixel outlined), the scaled kernel it
    /// stamps, the output so far (the stamp outlined) and, for comparison, the zero-inserted input that the convolution
    /// view slides the flipped kernel over. Colours: one range centred on 0 per panel for all steps.
    /// </summary>
    /// <exception cref="ArgumentException">A stride below 1, or an input or kernel that is not 2-D.</exception>
    public static GenericChart ToChart(Tensor input, Tensor kernel, int stride, string title = "A transposed convolution as stamping")
    {
        var (x, k) = Arrays(input, kernel, stride);
        int h = x.GetLength(0), w = x.GetLength(1), kh = k.GetLength(0), kw = k.GetLength(1);
        int oh = (h - 1) * stride + kh, ow = (w - 1) * stride + kw;
        float[,] stretched = ZeroInserted(input, kernel, stride).ToArray2d();
        float[,] final = Stamp(input, kernel, stride).ToArray2d();
        static double Largest(IEnumerable<float> v) => Math.Max(1e-6, v.Select(a => Math.Abs((double)a)).DefaultIfEmpty(0).Max());
        double inRange = Largest(x.Cast<float>()), outRange = Largest(final.Cast<float>());
        double stampRange = Largest(from a in x.Cast<float>() from b in k.Cast<float>() select a * b);

        IReadOnlyList<HeatmapPanel> Frame(int step)
        {
            int i = step / w, j = step % w;
            var stamp = new float[kh, kw];
            for (int a = 0; a < kh; a++) for (int b = 0; b < kw; b++) stamp[a, b] = x[i, j] * k[a, b];
            var soFar = new float[oh, ow];
            for (int r = 0; r < oh; r++) for (int c = 0; c < ow; c++) soFar[r, c] = float.NaN;
            for (int s = 0; s <= step; s++)
                for (int a = 0; a < kh; a++)
                    for (int b = 0; b < kw; b++)
                    {
                        int r = s / w * stride + a, c = s % w * stride + b;
                        soFar[r, c] = (float.IsNaN(soFar[r, c]) ? 0 : soFar[r, c]) + x[s / w, s % w] * k[a, b];
                    }
            return
            [
                new HeatmapPanel("input", x) { ColorScale = "RdBu", ColorRange = (-inRange, inRange), ShowValues = true, XTitle = "column", YTitle = "row", Boxes = [new HeatmapBox(i, i, j, j) { LineWidth = 4 }] },
                new HeatmapPanel("pixel × kernel", stamp) { ColorScale = "RdBu", ColorRange = (-stampRange, stampRange), ShowValues = true, XTitle = "kernel column", YTitle = "kernel row" },
                new HeatmapPanel("output so far (sum of stamps)", soFar)
                {
                    ColorScale = "RdBu", ColorRange = (-outRange, outRange), ShowValues = true, XTitle = "output column", YTitle = "output row",
                    Boxes = [new HeatmapBox(i * stride, i * stride + kh - 1, j * stride, j * stride + kw - 1) { LineWidth = 4 }],
                },
                new HeatmapPanel("the same input, zeros inserted", stretched)
                {
                    ColorScale = "RdBu", ColorRange = (-inRange, inRange), ShowValues = true, XTitle = "column", YTitle = "row",
                    Boxes = [new HeatmapBox(kh - 1 + i * stride, kh - 1 + i * stride, kw - 1 + j * stride, kw - 1 + j * stride) { LineWidth = 4 }],
                },
            ];
        }

        return new HeatmapGrid($"{title} (kernel {kh}x{kw}, stride {stride})", Frame(0))
        {
            ColorBars = false, CellGap = 1, TickEveryCell = true, SameCellSize = true,
            Steps = Enumerable.Range(0, h * w).Select(s => ($"({s / w},{s % w})", Frame(s))).ToList(),
            StepPrefix = "input pixel (row,col): ",
        }.ToChart();
    }

    private static (float[,] X, float[,] K) Arrays(Tensor input, Tensor kernel, int stride)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(kernel);
        if (stride < 1) throw new ArgumentException($"The stride must be at least 1, got {stride}.", nameof(stride));
        return (input.ToArray2d(), kernel.ToArray2d());
    }

    private static Tensor ToTensor(float[,] values)
    {
        var flat = new float[values.Length];
        Buffer.BlockCopy(values, 0, flat, 0, flat.Length * sizeof(float));
        return from_array(flat).reshape(values.GetLength(0), values.GetLength(1));
    }
}
