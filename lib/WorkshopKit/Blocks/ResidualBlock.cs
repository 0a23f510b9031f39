using TorchSharp;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>Where a residual block puts normalization and activation.</summary>
public enum ResidualVariant
{
    /// <summary>He et al. 2016 (and the author's code): conv-BN-act, conv-BN, add the shortcut, then activate.</summary>
    PostActivation,
    /// <summary>He et al.'s later "identity mappings" form: BN-act-conv twice, then add; nothing follows the addition, so the shortcut stays a pure identity.</summary>
    PreActivation,
}

/// <summary>
/// A residual block: two 3x3 convolutions whose result is added to the block's input. The shortcut is the identity
/// when the shape is unchanged and a 1x1 (strided) convolution when channels or size change, so the sum is defined.
/// Gradients reach early layers through the shortcut undiminished, which is why deep residual stacks keep learning.
/// </summary>
public sealed class ResidualBlock : Block
{
    private readonly BlockSequence main;
    private readonly ConvLayer? projection;
    private readonly nn.Module<Tensor, Tensor>? finalActivation;

    /// <summary>Builds the block; a projection shortcut is created only when <paramref name="inChannels"/> ≠ <paramref name="outChannels"/> or <paramref name="stride"/> &gt; 1.</summary>
    public ResidualBlock(long inChannels, long outChannels, long stride = 1, ResidualVariant variant = ResidualVariant.PostActivation,
        Normalization normalization = Normalization.Batch, Activation activation = Activation.Relu, long kernel = 3, string? name = null)
        : base(name ?? (variant == ResidualVariant.PreActivation ? "residual (pre-activation)" : "residual"))
    {
        ConvLayer.Positive(inChannels, nameof(inChannels));
        ConvLayer.Positive(outChannels, nameof(outChannels));
        ConvLayer.Positive(stride, nameof(stride));
        InChannels = inChannels;
        OutChannels = outChannels;
        Stride = stride;
        Variant = variant;
        bool pre = variant == ResidualVariant.PreActivation;
        main = new BlockSequence("main path",
            new ConvLayer(inChannels, outChannels, kernel, stride, ConvPadding.Same, 1, normalization, activation, pre, name: "conv1"),
            new ConvLayer(outChannels, outChannels, kernel, 1, ConvPadding.Same, 1, normalization, pre ? activation : Activation.None, pre, name: "conv2"));
        if (inChannels != outChannels || stride > 1)
            projection = new ConvLayer(inChannels, outChannels, 1, stride, ConvPadding.Same, 1, pre ? Normalization.None : normalization, Activation.None, name: "projection 1x1");
        if (!pre) finalActivation = ConvLayer.MakeActivation(activation);
        Activation = activation;
        RegisterComponents();
    }

    /// <summary>Channels the block expects.</summary>
    public long InChannels { get; }
    /// <summary>Channels the block produces.</summary>
    public long OutChannels { get; }
    /// <summary>Stride of the first convolution (and of the projection).</summary>
    public long Stride { get; }
    /// <summary>Post- or pre-activation.</summary>
    public ResidualVariant Variant { get; }
    /// <summary>The activation used.</summary>
    public Activation Activation { get; }
    /// <summary>True when the shortcut is a 1x1 convolution rather than the identity.</summary>
    public bool HasProjection => projection is not null;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Check(input);
        var y = main.Run(input);
        var shortcut = projection is null ? input : projection.call(input);
        var sum = y + shortcut;
        return finalActivation is null ? sum : finalActivation.call(sum);
    }

    internal override Flow Walk(Flow input, TraceContext ctx)
    {
        var s = input.Shape;
        if (s.Channels != InChannels)
            throw new BlockShapeException(GetName(), $"{InChannels} input channels", $"{s.Channels} channels ({s})",
                $"build the block with inChannels: {s.Channels}, or feed it {InChannels}-channel maps");
        ctx.Enter(GetName());
        ctx.BeginGroup("main path");
        var m = main.Walk(input, ctx);
        ctx.EndGroup();
        ctx.BeginGroup(projection is null ? "shortcut: identity" : "shortcut: 1x1 projection");
        Flow sc;
        if (projection is null)
        {
            string id = ctx.Node("identity");
            ctx.Edge(input.Node, id);
            sc = input with { Node = id };
        }
        else sc = projection.Walk(input, ctx);
        ctx.EndGroup();
        ctx.Leave();
        string add = ctx.Node(finalActivation is null ? "add (+)" : $"add (+) · {Activation}", shape: "((\"{0}\"))");
        ctx.Edge(m.Node, add);
        ctx.Edge(sc.Node, add);
        return new Flow(m.Shape, ReceptiveField.Max(m.Field, sc.Field), add);
    }
}
