using TorchSharp;
using WorkshopKit.Geometry;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>
/// A residual block: two 3x3 convolutions whose result is added to the block's input. The shortcut is the identity
/// when the shape is unchanged and a 1x1 (strided) convolution when channels or size change, so the sum is defined.
/// Gradients reach early layers through the shortcut undiminished, which is why deep residual stacks keep learning.
/// </summary>
/// <remarks>
/// Written in notebook 06 (residual blocks), section "The residual block", as the cell's <c>Residual</c>: this
/// <see cref="forward"/> is that cell's, token for token (LessonCodeTests fails when the two differ). The library adds
/// the variants the course also trains (pre-activation, other normalizations) and the self-description.
/// </remarks>
public sealed class ResidualBlock : Block
{
    private readonly BlockSequence main;
    private readonly nn.Module<Tensor, Tensor> shortcut;
    private readonly nn.Module<Tensor, Tensor> finalActivation;

    /// <summary>Builds the block; a projection shortcut is created only when <paramref name="inChannels"/> ≠ <paramref name="outChannels"/> or <paramref name="stride"/> &gt; 1.</summary>
    public ResidualBlock(long inChannels, long outChannels, long stride = 1, ResidualVariant variant = ResidualVariant.PostActivation,
        Normalization normalization = Normalization.Batch, Activation activation = Activation.Relu, long kernel = 3, string? name = null)
        : base(name ?? (variant == ResidualVariant.PreActivation ? "residual (pre-activation)" : "residual"))
    {
        Require.Positive(inChannels, nameof(inChannels));
        Require.Positive(outChannels, nameof(outChannels));
        Require.Positive(stride, nameof(stride));
        InChannels = inChannels;
        OutChannels = outChannels;
        Stride = stride;
        Variant = variant;
        bool pre = variant == ResidualVariant.PreActivation;
        main = new BlockSequence("main path",
            new ConvLayer(inChannels, outChannels, kernel, stride, ConvPadding.SameTensorFlow, 1, normalization, activation, pre, name: "conv1"),
            new ConvLayer(outChannels, outChannels, kernel, 1, ConvPadding.SameTensorFlow, 1, normalization, pre ? activation : Activation.None, pre, name: "conv2"));
        shortcut = inChannels == outChannels && stride == 1
            ? nn.Identity()
            : new ConvLayer(inChannels, outChannels, 1, stride, ConvPadding.SameTensorFlow, 1, pre ? Normalization.None : normalization, Activation.None, name: "projection 1x1");
        finalActivation = pre ? nn.Identity() : Activations.Make(activation) ?? nn.Identity();
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
    public bool HasProjection => shortcut is ConvLayer;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var y = main.call(input);
        return finalActivation.call(y + shortcut.call(input));
    }

    internal override Flow Trace(Flow input, TraceContext ctx)
    {
        input.Expect(GetName(), InChannels);
        ctx.Enter(GetName());
        ctx.BeginGroup("main path");
        var m = main.Trace(input, ctx);
        ctx.EndGroup();
        var projection = shortcut as ConvLayer;
        ctx.BeginGroup(projection is null ? "shortcut: identity" : "shortcut: 1x1 projection");
        Flow sc;
        if (projection is null)
        {
            string id = ctx.Node("identity");
            ctx.Edge(input.Node, id);
            sc = input with { Node = id };
        }
        else sc = projection.Trace(input, ctx);
        ctx.EndGroup();
        ctx.Leave();
        string add = ctx.Node(Variant == ResidualVariant.PreActivation ? "add (+)" : $"add (+) · {Activation}", shape: "((\"{0}\"))");
        ctx.Edge(m.Node, add);
        ctx.Edge(sc.Node, add);
        var (rows, columns) = Flow.Widest([m, sc]);
        return new Flow(m.Shape, rows, columns, add);
    }
}
