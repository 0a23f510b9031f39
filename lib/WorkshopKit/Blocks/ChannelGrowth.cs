using System.Globalization;
using Plotly.NET;
using WorkshopKit.Visuals;

namespace WorkshopKit.Blocks;

/// <summary>One step of a network as <see cref="ChannelGrowth"/> sees it: a block, or one layer of a dense block.</summary>
/// <param name="Label">The block's name, or "dense1 layer 3" for a layer inside a dense block.</param>
/// <param name="Output">Shape of one sample after this step (for a dense layer: the concatenation so far).</param>
/// <param name="Parameters">Trainable values of the step.</param>
/// <param name="Macs">Multiply-accumulates of the step for one sample (the convention of <see cref="Block.Describe"/>).</param>
/// <param name="MergedBytes">Bytes (float32, one sample) of the tensors the step creates by concatenating or adding maps,
/// which a per-layer profile does not see because no layer produces them.</param>
public sealed record ChannelStep(string Label, FeatureShape Output, long Parameters, long Macs, long MergedBytes);

/// <summary>The channel count of a network step by step, with costs; shows as a table, draws as a chart.</summary>
/// <param name="Name">The network's name.</param>
/// <param name="Input">The input shape traced.</param>
/// <param name="Steps">Steps in execution order.</param>
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

/// <summary>
/// Follows a network's channel count block by block, opening dense blocks layer by layer, so a notebook can chart how
/// concatenation makes the maps grow (in + i·k after layer i) and how transition layers cut them back. Everything comes
/// from the blocks' own descriptions (<see cref="Block.Describe"/>), not from running the network.
/// </summary>
public static class ChannelGrowth
{
    private const long BytesPerValue = sizeof(float);

    /// <summary>Traces <paramref name="network"/> (a sequence is opened into its blocks) for one input shape.</summary>
    /// <exception cref="BlockShapeException">The input does not fit the network.</exception>
    public static ChannelTrace Trace(Block network, FeatureShape input)
    {
        ArgumentNullException.ThrowIfNull(network);
        var blocks = network is BlockSequence seq ? seq.Blocks : [network];
        var steps = new List<ChannelStep>();
        var shape = input;
        foreach (var block in blocks)
        {
            var report = block.Describe(shape);
            if (block is DenseBlock dense)
            {
                string name = dense.GetName();
                for (int i = 1; i <= dense.LayerCount; i++)
                {
                    string prefix = $"{name}/layer {i}/";
                    var layer = report.Layers.Where(l => l.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
                    var after = shape with { Channels = dense.InChannels + i * dense.GrowthRate };
                    // Layer i's input (i >= 2) and the block's final output are new tensors made by cat: channels in + i·k for i = 1..L.
                    steps.Add(new ChannelStep($"{name} layer {i}", after, layer.Sum(l => l.Parameters), layer.Sum(l => l.Macs), after.Elements * BytesPerValue));
                }
            }
            else
            {
                long merged = block switch
                {
                    ResidualBlock => report.Output.Elements * BytesPerValue,     // x + F(x)
                    CollaborativeBlock => report.Output.Elements * BytesPerValue, // branches concatenated or summed
                    _ => 0,
                };
                steps.Add(new ChannelStep(block.GetName(), report.Output, report.Parameters, report.Macs, merged));
            }
            shape = report.Output;
        }
        return new ChannelTrace(network.GetName(), input, steps);
    }
}
