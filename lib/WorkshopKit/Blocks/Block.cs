using TorchSharp;
using WorkshopKit.ReceptiveFields;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>
/// A TorchSharp module that can explain itself: for an input shape it reports the output shape, its parameters,
/// its multiply-accumulates, its receptive field and a Mermaid flowchart. Every WorkshopKit layer and block derives
/// from it, so a whole network built from them can be described the same way as a single layer. The numbers come
/// from <see cref="Geometry.ConvGeometry"/>, <see cref="Costs.LayerCosts"/> and <see cref="ReceptiveField"/>; a block
/// only says which of them it is made of.
/// </summary>
/// <remarks>Taught in notebook 04 (pooling and upsampling), section 3 "A small encoder-decoder"; every later notebook describes its blocks with it.</remarks>
public abstract class Block : nn.Module<Tensor, Tensor>
{
    private long? parameterCount;

    // The last sample shape whose trace succeeded: a block's structure is fixed once built, so the same shape needs no
    // second trace. Without it every nested block would re-trace its subtree on every forward of a training step.
    private FeatureShape? checkedShape;

    /// <summary>
    /// Creates the module with a readable name, which also appears in error messages and diagrams. A block's
    /// <c>forward</c> is plain TorchSharp; a forward pre-hook checks every input first (dtype, device, shape), so a tensor
    /// that does not fit gets a <see cref="BlockShapeException"/> or <see cref="ArgumentException"/> that names the
    /// block, not libtorch's native message from deep inside.
    /// </summary>
    protected Block(string name) : base(name)
    {
        register_forward_pre_hook((module, input) =>
        {
            CheckTensor(input);
            var shape = FeatureShape.Of(input, GetName());
            if (checkedShape != shape)
            {
                OutputShape(shape);
                checkedShape = shape;
            }
            return input;
        });
    }

    /// <summary>The shape this block produces for one sample of the given shape; throws <see cref="BlockShapeException"/> when the input does not fit.</summary>
    public FeatureShape OutputShape(FeatureShape input) => Trace(Flow.Start(input, ""), new TraceContext(draw: false)).Shape;

    /// <summary>Number of trainable values: the sum of the element counts of all parameters.</summary>
    public long ParameterCount => parameterCount ??= parameters().Sum(p => p.numel());

    /// <summary>Describes the block for an input shape: output shape, parameters, MACs, FLOPs, receptive field, per-layer costs and a Mermaid diagram.</summary>
    public BlockReport Describe(FeatureShape input)
    {
        var ctx = new TraceContext(draw: true);
        string inputNode = ctx.Node($"input {input}", shape: "([\"{0}\"])");
        var result = Trace(Flow.Start(input, inputNode), ctx);
        string outputNode = ctx.Node($"output {result.Shape}", shape: "([\"{0}\"])");
        ctx.Edge(result.Node, outputNode);
        return new BlockReport(GetName(), input, result.Shape, ParameterCount, ctx.Layers.ToList(), result.Rows, result.Columns, ctx.Mermaid());
    }

    /// <summary>A Mermaid flowchart (<c>flowchart TD</c>) of the block for a <c>#!mermaid</c> notebook cell: one node per layer, branches as subgraphs.</summary>
    public string ToMermaid(FeatureShape input) => Describe(input).Mermaid;

    /// <summary>
    /// The input must be a floating-point tensor of the parameters' dtype on their device: libtorch answers anything else
    /// with raw native text (or aborts), so the outermost block says it here.
    /// </summary>
    private void CheckTensor(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var parameter = parameters().FirstOrDefault();
        var want = parameter?.dtype ?? ScalarType.Float32;
        if (input.device.type == DeviceType.META)
            throw new ArgumentException($"Block '{GetName()}' was given a meta tensor (shape only, no data). Create the input on a real device, e.g. torch.CPU.", nameof(input));
        if (input.is_complex() || !input.is_floating_point() || (parameter is not null && input.dtype != want))
            throw new ArgumentException(
                $"Block '{GetName()}' computes in {want} but the input is {input.dtype}. Convert the input with x.to_type(ScalarType.{want}), " +
                $"or the model with model.to({input.dtype}) when it is a floating-point type.", nameof(input));
        if (parameter is not null && (parameter.device.type != input.device.type || parameter.device.index != input.device.index))
            throw new ArgumentException($"Block '{GetName()}' has its parameters on {parameter.device} but the input is on {input.device}. Move one of them, e.g. x.to(model's device).", nameof(input));
    }

    /// <summary>Follows a shape through the block, recording layers, receptive field and diagram nodes.</summary>
    internal abstract Flow Trace(Flow input, TraceContext ctx);
}
