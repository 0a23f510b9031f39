using System.Globalization;
using Plotly.NET;
using WorkshopKit.Visuals;

namespace WorkshopKit.Blocks;

/// <summary>The channel count of a network step by step, with costs; shows as a table, draws as a chart.</summary>
/// <param name="Name">The network's name.</param>
/// <param name="Input">The input shape traced.</param>
/// <param name="Steps">Steps in execution order.</param>
/// <remarks>Comes with <see cref="ChannelGrowth"/>, first used in notebook 07 (Dense blocks: every layer sees every earlier map), section "How channels grow, layer by layer".</remarks>
public sealed record ChannelTrace(string Name, FeatureShape Input, IReadOnlyList<ChannelStep> Steps) : IHtmlDisplay
{
    /// <summary>Bytes of all concatenated or summed maps for one sample (float32).</summary>
    public long MergedBytes => Steps.Sum(s => s.MergedBytes);

    /// <summary>The widest step: where the most feature maps exist at once.</summary>
    public ChannelStep Widest => Steps.MaxBy(s => s.Output.Channels)!;

    /// <summary>The steps as a table (shape, channels, parameters, MACs, merged bytes).</summary>
    public HtmlTable ToTable()
    {
        var rows = Steps.Select(s => (IReadOnlyList<string>)[s.Label, s.Output.ToString(), N(s.Output.Channels), N(s.Parameters), N(s.Macs), Kib(s.MergedBytes)]).ToList();
        return new HtmlTable(["step", "output", "channels", "parameters", "MACs", "concatenated/summed maps"], rows,
            $"{Name} on {Input}: channels after every step; concatenated/summed maps = memory of the tensors made by concatenation or addition (float32, one image), {Kib(MergedBytes)} in all");
    }

    /// <summary>A bar chart of the channel count after each step, the input first, with the shape on hover.</summary>
    public GenericChart ToChart(int width = 760, int height = 420)
    {
        var labels = new[] { "input" }.Concat(Steps.Select(s => s.Label)).ToArray();
        var channels = new[] { Input.Channels }.Concat(Steps.Select(s => s.Output.Channels)).ToArray();
        var shapes = new[] { Input.ToString() }.Concat(Steps.Select(s => s.Output.ToString())).ToArray();
        var bars = PlotlyFigure.Trace("bar", new Dictionary<string, object?>
        {
            ["x"] = labels, ["y"] = channels, ["text"] = channels.Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray(),
            ["textposition"] = "outside", ["customdata"] = shapes, ["hovertemplate"] = "%{x}: %{customdata}<extra></extra>",
            ["marker"] = new Dictionary<string, object?> { ["color"] = "#4c78a8" },
        });
        return PlotlyFigure.Chart([bars], new Dictionary<string, object?>
        {
            ["title"] = new Dictionary<string, object?> { ["text"] = $"{Name}: feature maps after each step" },
            ["xaxis"] = new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["text"] = "step (in execution order)" }, ["tickangle"] = -45 },
            ["yaxis"] = new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["text"] = "channels (feature maps)" }, ["range"] = new[] { 0, 1.15 * channels.Max() } },
            ["width"] = width, ["height"] = height, ["margin"] = new Dictionary<string, object?> { ["b"] = 140 },
        });
    }

    /// <inheritdoc />
    public string ToHtml() => ToTable().ToHtml();

    /// <inheritdoc />
    public override string ToString() => ToTable().ToString();

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Kib(long bytes) => bytes == 0 ? "0" : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB");
}
