using System.Globalization;
using Plotly.NET;
using WorkshopKit.Visuals;

namespace WorkshopKit.Blocks;

/// <summary>
/// Follows a network's channel count block by block, opening dense blocks layer by layer, so a notebook can chart how
/// concatenation makes the maps grow (in + i·k after layer i) and how transition layers cut them back. Everything comes
/// from the blocks' own descriptions (<see cref="Block.Describe"/>), not from running the network.
/// </summary>
/// <remarks>First used in notebook 07 (Dense blocks: every layer sees every earlier map), section "How channels grow, layer by layer".</remarks>
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
