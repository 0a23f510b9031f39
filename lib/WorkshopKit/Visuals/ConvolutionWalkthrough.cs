using Plotly.NET;
using TorchSharp;
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
    private ConvolutionWalkthrough(float[,] padded, float[,] kernel, float[,] output, IReadOnlyList<ConvolutionStep> steps, (int Top, int Bottom, int Left, int Right) padding, (int Y, int X) stride)
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
    public (int Y, int X) Stride { get; }

    /// <summary>Takes the convolution of a 2-D input with a 2-D kernel apart (cross-correlation, as conv2d computes it).</summary>
    /// <exception cref="ArgumentException">A stride below 1, negative padding, or a kernel larger than the padded input.</exception>
    public static ConvolutionWalkthrough Create(Tensor input, Tensor kernel, (int Y, int X) stride, (int Top, int Bottom, int Left, int Right) padding = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(kernel);
        if (stride.Y < 1 || stride.X < 1)
            throw new ArgumentException($"A stride must be at least 1, got ({stride.Y}, {stride.X}): the window must move forward.", nameof(stride));
        if (padding.Top < 0 || padding.Bottom < 0 || padding.Left < 0 || padding.Right < 0)
            throw new ArgumentException($"Padding cannot be negative, got {padding}.", nameof(padding));
        float[,] k = PlotlyFigure.ToArray(kernel);
        int kh = k.GetLength(0), kw = k.GetLength(1);

        using var scope = NewDisposeScope();
        var x = input.detach().cpu().to_type(ScalarType.Float32).reshape(1, 1, input.shape[^2], input.shape[^1]);
        var padded = nn.functional.pad(x, [padding.Left, padding.Right, padding.Top, padding.Bottom]);
        long ph = padded.shape[2], pw = padded.shape[3];
        if (kh > ph || kw > pw)
            throw new ArgumentException($"The {kh}x{kw} kernel does not fit in the {ph}x{pw} padded input; use a smaller kernel or more padding.", nameof(kernel));
        // im2col: one column per window position, rows are the kh*kw values under the window.
        var columns = nn.functional.unfold(padded, ((long)kh, (long)kw), stride: ((long)stride.Y, (long)stride.X))[0];   // (kh*kw, L)
        var products = columns * kernel.detach().cpu().to_type(ScalarType.Float32).reshape(-1, 1); // (kh*kw, L)
        var sums = products.sum(dim: 0); // not sum(0): that overload reads 0 as ScalarType.Byte
        int oh = (int)((ph - kh) / stride.Y + 1), ow = (int)((pw - kw) / stride.X + 1);

        var productValues = PlotlyFigure.ToArray(products);
        var sumValues = sums.data<float>().ToArray();
        var steps = new List<ConvolutionStep>(oh * ow);
        var output = new float[oh, ow];
        for (int s = 0; s < oh * ow; s++)
        {
            int r = s / ow, c = s % ow;
            var window = new float[kh, kw];
            for (int i = 0; i < kh * kw; i++) window[i / kw, i % kw] = productValues[i, s];
            steps.Add(new ConvolutionStep(r, c, r * stride.Y, c * stride.X, window, sumValues[s]));
            output[r, c] = sumValues[s];
        }
        return new ConvolutionWalkthrough(PlotlyFigure.ToArray(padded[0, 0]), k, output, steps, padding, stride);
    }

    /// <summary>
    /// The animation: padded input with the window outlined (padding cells marked), products, and the output
    /// filling in; a slider moves through the windows.
    /// </summary>
    public GenericChart ToChart(string title = "Convolution, one window at a time")
    {
        int ph = PaddedInput.GetLength(0), pw = PaddedInput.GetLength(1);
        int kh = Kernel.GetLength(0), kw = Kernel.GetLength(1);
        int oh = Output.GetLength(0), ow = Output.GetLength(1);

        float[,] OutputSoFar(int step)
        {
            var o = new float[oh, ow];
            for (int i = 0; i < oh * ow; i++) o[i / ow, i % ow] = i <= step ? Output[i / ow, i % ow] : float.NaN;
            return o;
        }

        Dictionary<string, object?> Heatmap(string axis, float[,] z, string name, string colors) => new()
        {
            ["z"] = PlotlyFigure.Rows(z),
            ["xaxis"] = "x" + axis,
            ["yaxis"] = "y" + axis,
            ["name"] = name,
            ["colorscale"] = colors,
            ["showscale"] = false,
            ["reversescale"] = colors == "Greys",
            ["texttemplate"] = "%{z}",
            ["xgap"] = 1,
            ["ygap"] = 1,
            ["hovertemplate"] = "row %{y}, column %{x}: %{z}<extra>" + name + "</extra>",
        };

        object Window(ConvolutionStep s) => new Dictionary<string, object?>
        {
            ["type"] = "rect", ["xref"] = "x", ["yref"] = "y",
            ["x0"] = s.Left - 0.5, ["x1"] = s.Left + kw - 0.5, ["y0"] = s.Top - 0.5, ["y1"] = s.Top + kh - 0.5,
            ["line"] = new Dictionary<string, object?> { ["color"] = "crimson", ["width"] = 4 },
        };

        var paddingShapes = new List<object>();
        if (Padding != default)
        {
            paddingShapes.Add(new Dictionary<string, object?>
            {
                ["type"] = "rect", ["xref"] = "x", ["yref"] = "y",
                ["x0"] = Padding.Left - 0.5, ["x1"] = pw - Padding.Right - 0.5, ["y0"] = Padding.Top - 0.5, ["y1"] = ph - Padding.Bottom - 0.5,
                ["line"] = new Dictionary<string, object?> { ["color"] = "black", ["width"] = 2, ["dash"] = "dot" },
            });
        }

        var first = Steps[0];
        var traces = new[]
        {
            PlotlyFigure.Trace("heatmap", Heatmap("", PaddedInput, "input", "Greys")),
            PlotlyFigure.Trace("heatmap", Heatmap("2", first.Products, "products", "Blues")),
            PlotlyFigure.Trace("heatmap", Heatmap("3", OutputSoFar(0), "output", "Viridis")),
        };

        var sliderSteps = Steps.Select((s, i) => (object)new Dictionary<string, object?>
        {
            ["method"] = "update",
            ["label"] = $"({s.Row},{s.Column})",
            ["args"] = new object[]
            {
                new Dictionary<string, object?> { ["z"] = new object[] { PlotlyFigure.Rows(s.Products), PlotlyFigure.Rows(OutputSoFar(i)) } },
                new Dictionary<string, object?> { ["shapes"] = paddingShapes.Append(Window(s)).ToArray() },
                new[] { 1, 2 },
            },
        }).ToArray();

        // Fixed ranges: cells not computed yet are empty, and an automatic range would ignore them.
        object Axis(double from, double to, string anchor, string label, int cells, bool rows) => new Dictionary<string, object?>
        {
            ["domain"] = new[] { from, to }, ["anchor"] = anchor, ["title"] = new Dictionary<string, object?> { ["text"] = label },
            ["range"] = rows ? new[] { cells - 0.5, -0.5 } : new[] { -0.5, cells - 0.5 },
            ["constrain"] = "domain", ["dtick"] = 1, ["showgrid"] = false, ["zeroline"] = false,
        };

        var layout = new Dictionary<string, object?>
        {
            ["title"] = new Dictionary<string, object?> { ["text"] = $"{title} (stride {Stride.Y}x{Stride.X}; dotted box: input without padding)" },
            ["width"] = 960, ["height"] = 460,
            ["xaxis"] = Axis(0.0, 0.42, "y", "input column", pw, false),
            ["yaxis"] = Axis(0.0, 1.0, "x", "input row", ph, true),
            ["xaxis2"] = Axis(0.48, 0.68, "y2", "kernel column", kw, false),
            ["yaxis2"] = Axis(0.0, 1.0, "x2", "kernel row", kh, true),
            ["xaxis3"] = Axis(0.74, 1.0, "y3", "output column", ow, false),
            ["yaxis3"] = Axis(0.0, 1.0, "x3", "output row", oh, true),
            ["shapes"] = paddingShapes.Append(Window(first)).ToArray(),
            ["sliders"] = new object[]
            {
                new Dictionary<string, object?>
                {
                    ["active"] = 0, ["steps"] = sliderSteps, ["pad"] = new Dictionary<string, object?> { ["t"] = 50 },
                    ["currentvalue"] = new Dictionary<string, object?> { ["prefix"] = "output position (row,col): " },
                },
            },
        };
        return PlotlyFigure.Chart(traces, layout);
    }
}
