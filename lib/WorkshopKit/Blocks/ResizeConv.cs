using TorchSharp;
using WorkshopKit.Geometry;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>Resize-then-convolve upsampling: enlarge with nearest (or bilinear) interpolation, then a SAME convolution; avoids the checkerboard pattern of transposed convolutions.</summary>
/// <remarks>Taught in notebook 04 (pooling and upsampling), section 2 "Upsampling".</remarks>
public sealed class ResizeConv : Block
{
    private readonly Upsample2d resize;
    private readonly ConvLayer conv;

    /// <summary>Builds the two steps.</summary>
    public ResizeConv(long inChannels, long outChannels, long factor = 2, long kernel = 3, ResizeMode mode = ResizeMode.Nearest,
        Normalization normalization = Normalization.None, Activation activation = Activation.Relu, string? name = null)
        : base(name ?? "resize-conv")
    {
        resize = new Upsample2d(Require.Defined(mode, nameof(mode)), factor);
        conv = new ConvLayer(inChannels, outChannels, kernel, 1, ConvPadding.SameTensorFlow, normalization: normalization, activation: activation);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => conv.call(resize.call(input));

    internal override Flow Trace(Flow input, TraceContext ctx)
    {
        ctx.Enter(GetName());
        var f = conv.Trace(resize.Trace(input, ctx), ctx);
        ctx.Leave();
        return f;
    }
}
