using System.Diagnostics;
using System.Globalization;
using Plotly.NET;
using WorkshopKit.Geometry;
using WorkshopKit.MatrixViews;
using WorkshopKit.Visuals;
using static TorchSharp.torch;

namespace WorkshopKit.Costs;

/// <summary>
/// The same convolution computed several ways (sparse W, dense W, im2col + GEMM, conv2d, and conv2d on a GPU through
/// cuDNN when one is present), so a notebook can show that the arithmetic count alone does not decide the speed.
/// </summary>
/// <param name="Problem">The convolution, in words.</param>
/// <param name="Rows">One timed method per row.</param>
/// <remarks>Comes with <see cref="ConvSpeed"/>, first used in notebook 02 (Hardware and precision), section "One convolution, computed five ways".</remarks>
public sealed record ConvSpeedComparison(string Problem, IReadOnlyList<ConvSpeedRow> Rows) : IHtmlDisplay
{
    /// <summary>The row of one method (exact match: conv2d on the CPU is not conv2d through cuDNN).</summary>
    /// <exception cref="ArgumentException">The comparison has no row for <paramref name="method"/> (cuDNN runs only when a GPU was given).</exception>
    public ConvSpeedRow this[ConvMethod method] => Rows.FirstOrDefault(r => r.Method == ConvSpeed.MethodName(method))
        ?? throw new ArgumentException($"No row for {method} (\"{ConvSpeed.MethodName(method)}\"); the rows are: {string.Join(", ", Rows.Select(r => r.Method))}. Conv2dCudnn needs a CUDA device.", nameof(method));

    /// <summary>A bar per method: achieved GFLOP/s of useful work, on a logarithmic axis (the rates span orders of magnitude).</summary>
    public GenericChart Chart()
    {
        var bar = PlotlyFigure.Trace("bar", new Dictionary<string, object?>
        {
            ["x"] = Rows.Select(r => $"{r.Method.Replace(" (", "<br>(", StringComparison.Ordinal)}<br>[{r.Device}]").ToArray(),
            ["y"] = Rows.Select(r => Math.Round(r.GflopsPerSecond, 4)).ToArray(),
            ["text"] = Rows.Select(r => r.GflopsPerSecond.ToString("G3", CultureInfo.InvariantCulture)).ToArray(),
            ["textposition"] = "outside",
            ["cliponaxis"] = false,
            ["marker"] = new Dictionary<string, object?> { ["color"] = Rows.Select(r => r.Device.StartsWith("cuda", StringComparison.Ordinal) ? "#76b900" : "#1f77b4").ToArray() },
        });
        return PlotlyFigure.Chart([bar], new Dictionary<string, object?>
        {
            ["title"] = new Dictionary<string, object?> { ["text"] = $"Achieved GFLOP/s of useful work<br><sub>{Problem}</sub>" },
            ["xaxis"] = new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["text"] = "method [device]" }, ["tickangle"] = 0 },
            ["yaxis"] = new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["text"] = "GFLOP/s (log scale)" }, ["type"] = "log" },
            ["width"] = 760,
            ["height"] = 440,
            ["margin"] = new Dictionary<string, object?> { ["b"] = 110, ["t"] = 70 },
        });
    }

    private HtmlTable Table() => new(["method", "device", "time per call (µs)", "FLOPs performed", "useful GFLOP/s", "performed GFLOP/s"],
        Rows.Select(r => (IReadOnlyList<string>)[r.Method, r.Device,
            (r.SecondsPerCall * 1e6).ToString("N1", CultureInfo.InvariantCulture), r.FlopsPerformed.ToString("N0", CultureInfo.InvariantCulture),
            r.GflopsPerSecond.ToString("G3", CultureInfo.InvariantCulture), r.PerformedGflopsPerSecond.ToString("G3", CultureInfo.InvariantCulture)]).ToList(),
        $"{Problem}; useful work = {Rows[0].UsefulFlops:N0} FLOPs (exact count) for every method");

    /// <inheritdoc />
    public string ToHtml() => Table().ToHtml();

    /// <inheritdoc />
    public override string ToString() => Table().ToString();
}
