using Plotly.NET;
using TorchSharp;
using WorkshopKit.Geometry;
using static TorchSharp.torch;

namespace WorkshopKit.Visuals;

/// <summary>
/// A single-channel convolution taken apart window by window, for the step-by-step animation of the lesson
/// (input with the window drawn, products, output filling in). The numbers come from TorchSharp's
/// <c>unfold</c> (im2col), so they are exactly what conv2d computes, in the order it visits windows.
/// </summary>
/// <remarks>First used in notebook 00 (Setup: start here), section "A chart with a slider".</remarks>
public sealed class ConvolutionWalkthrough
{
    private ConvolutionWalkthrough(float[,] padded, float[,] kernel, float[,] output, IReadOnlyList<ConvolutionStep> steps, (int Top, int Bottom, int Left, int Right) padding, (int Height, int Width) stride)
    {
        PaddedInput = padded;
        Kernel = kernel;
        Output = output;
        Steps = steps;
        Padding = padding;
        Stride = stride;
    }

    /// <summary>The input with its padding (zeros) around it.</summary>
    public float[,] PaddedInput { get; }

    /// <summary>The filter.</summary>
    public float[,] Kernel { get; }

    /// <summary>The complete output.</summary>
    public float[,] Output { get; }

    /// <summary>Every window position, row by row.</summary>
    public IReadOnlyList<ConvolutionStep> Steps { get; }

    /// <summary>Zeros added on each side.</summary>
    public (int Top, int Bottom, int Left, int Right) Padding { get; }

    /// <summary>Vertical and horizontal stride.</summary>
    public (int Height, int Width) Stride { get; }

    /// <summary>Takes the convolution of a 2-D input with a 2-D kernel apart (cross-correlation, as conv2d computes it).</summary>
    /// <exception cref="ArgumentException">A stride below 1, negative padding, or a kernel larger than the padded input.</exception>
    public static ConvolutionWalkthrough Create(Tensor input, Tensor kernel, (int Height, int Width) stride, (int Top, int Bottom, int Left, int Right) padding = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(kernel);
        if (stride.Height < 1 || stride.Width < 1)
            throw new ArgumentException($"A stride must be at least 1, got ({stride.Height}, {stride.Width}): the window must move forward.", nameof(stride));
        if (padding.Top < 0 || padding.Bottom < 0 || padding.Left < 0 || padding.Right < 0)
            throw new ArgumentException($"Padding cannot be negative, got {padding}.", nameof(padding));
        float[,] k = kernel.ToArray2d();
        int kh = k.GetLength(0), kw = k.GetLength(1);

        using var scope = NewDisposeScope();
        var x = input.detach().cpu().to_type(ScalarType.Float32).reshape(1, 1, input.shape[^2], input.shape[^1]);
        var padded = nn.functional.pad(x, [padding.Left, padding.Right, padding.Top, padding.Bottom]);
        long ph = padded.shape[2], pw = padded.shape[3];
        if (kh > ph || kw > pw)
            throw new ArgumentException($"The {kh}x{kw} kernel does not fit in the {ph}x{pw} padded input; use a smaller kernel or more padding.", nameof(kernel));
        // im2col: one column per window position, rows are the kh*kw values under the window.
        var columns = nn.functional.unfold(padded, ((long)kh, (long)kw), stride: ((long)stride.Height, (long)stride.Width))[0];   // (kh*kw, L)
        var products = columns * kernel.detach().cpu().to_type(ScalarType.Float32).reshape(-1, 1); // (kh*kw, L)
        var sums = products.sum(dim: 0); // not sum(0): that overload reads 0 as ScalarType.Byte
        // The output size is ConvGeometry's (the one formula); the walkthrough only takes the windows apart.
        int oh = ConvGeometry.Conv((int)x.shape[2], kh, stride.Height, ConvPadding.Explicit(padding.Top, padding.Bottom)).Output;
        int ow = ConvGeometry.Conv((int)x.shape[3], kw, stride.Width, ConvPadding.Explicit(padding.Left, padding.Right)).Output;

        var productValues = products.ToArray2d();
        var sumValues = sums.data<float>().ToArray();
        var steps = new List<ConvolutionStep>(oh * ow);
        var output = new float[oh, ow];
        for (int s = 0; s < oh * ow; s++)
        {
            int r = s / ow, c = s % ow;
            var window = new float[kh, kw];
            for (int i = 0; i < kh * kw; i++) window[i / kw, i % kw] = productValues[i, s];
            steps.Add(new ConvolutionStep(r, c, r * stride.Height, c * stride.Width, window, sumValues[s]));
            output[r, c] = sumValues[s];
        }
        return new ConvolutionWalkthrough(padded[0, 0].ToArray2d(), k, output, steps, padding, stride);
    }

    /// <summary>Colour of the padding cells in <see cref="ToChart"/>: an orange tint, so padding zeros do not look like data zeros.</summary>
    public const string PaddingTint = "rgba(255, 170, 40, 0.45)";

    /// <summary>
    /// The animation, four panels: the padded input with the window outlined (padding cells tinted orange, so a padding
    /// zero looks different from a data zero), the filter, the products under the window (a diverging scale centred on
    /// 0, the same range at every step) and the output filling in (coloured on the final output's range at every step,
    /// so a value keeps its colour while the slider moves).
    /// </summary>
    public GenericChart ToChart(string title = "Convolution, one window at a time")
    {
        int ph = PaddedInput.GetLength(0), pw = PaddedInput.GetLength(1);
        int kh = Kernel.GetLength(0), kw = Kernel.GetLength(1);
        int oh = Output.GetLength(0), ow = Output.GetLength(1);
        var paddingBoxes = PaddingBoxes(ph, pw);
        double productRange = Math.Max(1e-6, Steps.SelectMany(s => s.Products.Cast<float>()).Select(v => Math.Abs((double)v)).DefaultIfEmpty(0).Max());
        double kernelRange = Math.Max(1e-6, Kernel.Cast<float>().Select(v => Math.Abs((double)v)).DefaultIfEmpty(0).Max());
        double outLo = Output.Cast<float>().Min(), outHi = Output.Cast<float>().Max();
        if (outHi <= outLo) outHi = outLo + 1;

        IReadOnlyList<HeatmapPanel> Frame(int step)
        {
            var s = Steps[step];
            var window = new HeatmapBox(s.Top, s.Top + kh - 1, s.Left, s.Left + kw - 1) { LineWidth = 4 };
            var outputSoFar = new float[oh, ow];
            for (int i = 0; i < oh * ow; i++) outputSoFar[i / ow, i % ow] = i <= step ? Output[i / ow, i % ow] : float.NaN;
            return
            [
                new HeatmapPanel(Padding == default ? "input" : "padded input", PaddedInput)
                {
                    ColorScale = "Greys", ShowValues = true, XTitle = "input column", YTitle = "input row",
                    Boxes = [.. paddingBoxes, window],
                },
                new HeatmapPanel("filter", Kernel)
                {
                    ColorScale = "RdBu", ColorRange = (-kernelRange, kernelRange), ShowValues = true, XTitle = "filter column", YTitle = "filter row", ValueName = "weight",
                },
                new HeatmapPanel("window × filter", s.Products)
                {
                    ColorScale = "RdBu", ColorRange = (-productRange, productRange), ShowValues = true, XTitle = "product column", YTitle = "product row", ValueName = "product",
                },
                new HeatmapPanel("output = sum of products", outputSoFar)
                {
                    ColorRange = (outLo, outHi), ShowValues = true, XTitle = "output column", YTitle = "output row",
                },
            ];
        }

        string boxNote = Padding == default ? "" : "; orange: padding zeros";
        return new HeatmapGrid($"{title} (stride {Stride.Height}x{Stride.Width}{boxNote})", Frame(0))
        {
            ColorBars = false, CellGap = 1, TickEveryCell = true, SameCellSize = true,
            Steps = Enumerable.Range(0, Steps.Count).Select(i => ($"({Steps[i].Row},{Steps[i].Column})", Frame(i))).ToList(),
            StepPrefix = "output position (row,col): ",
        }.ToChart();
    }

    // The padding as up to four filled strips (top, bottom, left, right), without outlines.
    private IReadOnlyList<HeatmapBox> PaddingBoxes(int ph, int pw)
    {
        var boxes = new List<HeatmapBox>();
        void Add(int top, int bottom, int left, int right)
        {
            if (bottom >= top && right >= left) boxes.Add(new HeatmapBox(top, bottom, left, right, "rgba(0, 0, 0, 0)") { LineWidth = 0, Fill = PaddingTint });
        }
        Add(0, Padding.Top - 1, 0, pw - 1);
        Add(ph - Padding.Bottom, ph - 1, 0, pw - 1);
        Add(Padding.Top, ph - Padding.Bottom - 1, 0, Padding.Left - 1);
        Add(Padding.Top, ph - Padding.Bottom - 1, pw - Padding.Right, pw - 1);
        return boxes;
    }
}
