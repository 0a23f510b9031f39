using TorchSharp;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>
/// A dense block (Huang et al. 2017, DenseNet): L layers, each producing k new maps (the growth rate) from the
/// concatenation of the block's input and every earlier layer's output. Features are reused instead of relearned,
/// so each layer can stay narrow. Layers are BN-ReLU-conv 3x3, optionally preceded by a BN-ReLU-conv 1x1
/// bottleneck to 4k maps (DenseNet-B). Output channels: in + L·k; the spatial size is kept.
/// </summary>
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
        ConvLayer.Positive(inChannels, nameof(inChannels));
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
                    new ConvLayer(c, bottleneckFactor * growthRate, 1, 1, ConvPadding.Same, 1, normalization, activation, preActivation: true, name: "bottleneck 1x1"),
                    new ConvLayer(bottleneckFactor * growthRate, growthRate, 3, 1, ConvPadding.Same, 1, normalization, activation, preActivation: true, name: "conv3x3"))
                : new BlockSequence($"layer {i + 1}",
                    new ConvLayer(c, growthRate, 3, 1, ConvPadding.Same, 1, normalization, activation, preActivation: true, name: "conv3x3")));
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
        Check(input);
        var features = new List<Tensor> { input };
        foreach (var layer in layers)
            features.Add(layer.Run(features.Count == 1 ? input : cat(features, 1)));
        return cat(features, 1);
    }

    internal override Flow Walk(Flow input, TraceContext ctx)
    {
        var s = input.Shape;
        if (s.Channels != InChannels)
            throw new BlockShapeException(GetName(), $"{InChannels} input channels", $"{s.Channels} channels ({s})",
                $"build the block with inChannels: {s.Channels}, or feed it {InChannels}-channel maps");
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
            var result = layers[i].Walk(into, ctx);
            ctx.EndGroup();
            sources.Add(result.Node);
            current = new Flow(into.Shape with { Channels = s.Channels + (i + 1) * GrowthRate }, ReceptiveField.Max(into.Field, result.Field), result.Node);
        }
        ctx.Leave();
        string final = ctx.Node($"concatenate → {OutChannels}x{s.Height}x{s.Width}", shape: "{{\"{0}\"}}");
        foreach (var src in sources) ctx.Edge(src, final);
        return new Flow(new FeatureShape(OutChannels, s.Height, s.Width), current.Field, final);
    }
}

/// <summary>
/// The layer between dense blocks: BN-ReLU-conv 1x1 to ⌊θ·C⌋ channels (θ = compression factor, 0.5 in DenseNet-BC),
/// then 2x2 average pooling with stride 2, halving the size so the next block works on smaller, fewer maps.
/// </summary>
public sealed class TransitionLayer : Block
{
    private readonly BlockSequence steps;

    /// <summary>Builds the layer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The compression factor is not in (0, 1].</exception>
    public TransitionLayer(long inChannels, double compression = 0.5, Normalization normalization = Normalization.Batch,
        Activation activation = Activation.Relu, string? name = null) : base(name ?? "transition")
    {
        if (!(compression > 0 && compression <= 1))
            throw new ArgumentOutOfRangeException(nameof(compression), compression, $"{GetName()}: the compression factor θ must be in (0, 1] (got {compression}); 0.5 halves the channels, 1 keeps them.");
        ConvLayer.Positive(inChannels, nameof(inChannels));
        InChannels = inChannels;
        OutChannels = Math.Max(1, (long)Math.Floor(compression * inChannels));
        Compression = compression;
        steps = new BlockSequence("transition",
            new ConvLayer(inChannels, OutChannels, 1, 1, ConvPadding.Same, 1, normalization, activation, preActivation: true, name: "conv1x1"),
            new Pool2d(PoolKind.Average, 2, 2, name: "avgpool2x2"));
        RegisterComponents();
    }

    /// <summary>Channels the layer expects.</summary>
    public long InChannels { get; }
    /// <summary>Channels it produces: ⌊θ·in⌋ (at least 1).</summary>
    public long OutChannels { get; }
    /// <summary>The compression factor θ.</summary>
    public double Compression { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Check(input);
        return steps.Run(input);
    }

    internal override Flow Walk(Flow input, TraceContext ctx)
    {
        ctx.Enter(GetName());
        var f = input;
        foreach (var b in steps.Blocks) f = b.Walk(f, ctx);
        ctx.Leave();
        return f;
    }
}
