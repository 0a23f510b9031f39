using TorchSharp;
using WorkshopKit.Geometry;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>
/// A dense block (Huang et al. 2017, DenseNet): L layers, each producing k new maps (the growth rate) from the
/// concatenation of the block's input and every earlier layer's output. Features are reused instead of relearned,
/// so each layer can stay narrow. Layers are BN-ReLU-conv 3x3, optionally preceded by a BN-ReLU-conv 1x1
/// bottleneck to 4k maps (DenseNet-B). Output channels: in + L·k; the spatial size is kept.
/// </summary>
/// <remarks>
/// Written in notebook 07 (dense blocks), section "Concatenation and the growth rate", as the cell's <c>Dense</c>: this
/// <see cref="forward"/> is that cell's, token for token (LessonCodeTests fails when the two differ). The library adds
/// the bottleneck variant (DenseNet-B) and the self-description.
/// </remarks>
public sealed class DenseBlock : Block
{
    private readonly TorchSharp.Modules.ModuleList<BlockSequence> layers;

    /// <summary>Builds the block.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one layer, or a growth rate below 1.</exception>
    public DenseBlock(long inChannels, int layerCount, long growthRate, bool bottleneck = false, long bottleneckFactor = 4,
        Normalization normalization = Normalization.Batch, Activation activation = Activation.Relu, string? name = null)
        : base(name ?? "dense block")
    {
        if (growthRate < 1)
            throw new ArgumentOutOfRangeException(nameof(growthRate), growthRate, $"{GetName()}: the growth rate k is the number of maps each layer adds and must be at least 1 (got {growthRate}); DenseNets typically use 12 to 32.");
        if (layerCount < 1)
            throw new ArgumentOutOfRangeException(nameof(layerCount), layerCount, $"{GetName()}: a dense block needs at least 1 layer (got {layerCount}).");
        Require.Positive(inChannels, nameof(inChannels));
        InChannels = inChannels;
        LayerCount = layerCount;
        GrowthRate = growthRate;
        Bottleneck = bottleneck;
        var built = new List<BlockSequence>();
        for (int i = 0; i < layerCount; i++)
        {
            long c = inChannels + i * growthRate;
            built.Add(bottleneck
                ? new BlockSequence($"layer {i + 1}",
                    new ConvLayer(c, bottleneckFactor * growthRate, 1, 1, ConvPadding.SameTensorFlow, 1, normalization, activation, preActivation: true, name: "bottleneck 1x1"),
                    new ConvLayer(bottleneckFactor * growthRate, growthRate, 3, 1, ConvPadding.SameTensorFlow, 1, normalization, activation, preActivation: true, name: "conv3x3"))
                : new BlockSequence($"layer {i + 1}",
                    new ConvLayer(c, growthRate, 3, 1, ConvPadding.SameTensorFlow, 1, normalization, activation, preActivation: true, name: "conv3x3")));
        }
        layers = new TorchSharp.Modules.ModuleList<BlockSequence>([.. built]);
        RegisterComponents();
    }

    /// <summary>Channels the block expects.</summary>
    public long InChannels { get; }
    /// <summary>Number of layers L.</summary>
    public int LayerCount { get; }
    /// <summary>Maps each layer adds (k).</summary>
    public long GrowthRate { get; }
    /// <summary>True when each layer starts with a 1x1 bottleneck.</summary>
    public bool Bottleneck { get; }
    /// <summary>Channels the block produces: in + L·k.</summary>
    public long OutChannels => InChannels + LayerCount * GrowthRate;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var features = new List<Tensor> { input };
        foreach (var layer in layers)
            features.Add(layer.call(cat(features, dim: 1)));
        return cat(features, dim: 1);
    }

    internal override Flow Trace(Flow input, TraceContext ctx)
    {
        var s = input.Expect(GetName(), InChannels).Shape;
        ctx.Enter(GetName());
        var sources = new List<string> { input.Node };
        var current = input;
        for (int i = 0; i < layers.Count; i++)
        {
            Flow into = current;
            if (i > 0)
            {
                string concat = ctx.Node($"concatenate {s.Channels + i * GrowthRate} maps", shape: "{{\"{0}\"}}");
                foreach (var src in sources) ctx.Edge(src, concat);
                into = current with { Node = concat };
            }
            ctx.BeginGroup($"layer {i + 1}: +{GrowthRate} maps");
            var result = layers[i].Trace(into, ctx);
            ctx.EndGroup();
            sources.Add(result.Node);
            var (rows, columns) = Flow.Widest([into, result]);
            current = new Flow(into.Shape with { Channels = s.Channels + (i + 1) * GrowthRate }, rows, columns, result.Node);
        }
        ctx.Leave();
        string final = ctx.Node($"concatenate → {OutChannels}x{s.Height}x{s.Width}", shape: "{{\"{0}\"}}");
        foreach (var src in sources) ctx.Edge(src, final);
        return current with { Shape = new FeatureShape(OutChannels, s.Height, s.Width), Node = final };
    }
}
