using TorchSharp;
using WorkshopKit.Geometry;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>
/// The layer between dense blocks: BN-ReLU-conv 1x1 to ⌊θ·C⌋ channels (θ = compression factor, 0.5 in DenseNet-BC),
/// then 2x2 average pooling with stride 2, halving the size so the next block works on smaller, fewer maps.
/// </summary>
/// <remarks>Taught in notebook 07 (dense blocks).</remarks>
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
        Require.Positive(inChannels, nameof(inChannels));
        InChannels = inChannels;
        OutChannels = Math.Max(1, (long)Math.Floor(compression * inChannels));
        Compression = compression;
        steps = new BlockSequence("transition",
            new ConvLayer(inChannels, OutChannels, 1, 1, ConvPadding.SameTensorFlow, 1, normalization, activation, preActivation: true, name: "conv1x1"),
            new AvgPool2d(2, 2, name: "avgpool2x2"));
        RegisterComponents();
    }

    /// <summary>Channels the layer expects.</summary>
    public long InChannels { get; }
    /// <summary>Channels it produces: ⌊θ·in⌋ (at least 1).</summary>
    public long OutChannels { get; }
    /// <summary>The compression factor θ.</summary>
    public double Compression { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => steps.call(input);

    internal override Flow Trace(Flow input, TraceContext ctx)
    {
        ctx.Enter(GetName());
        var f = steps.TraceSteps(input, ctx);
        ctx.Leave();
        return f;
    }
}
