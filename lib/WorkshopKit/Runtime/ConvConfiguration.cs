using System.Globalization;
using TorchSharp.Modules;
using WorkshopKit.Geometry;
using static TorchSharp.torch;

namespace WorkshopKit.Runtime;

/// <summary>One convolution as the course trains it, for <see cref="ConvSelfCheck"/>: channels, kernel, stride, padding and input size.</summary>
/// <param name="Models">The models (and notebooks) that train it.</param>
/// <param name="InChannels">Input channels.</param>
/// <param name="OutChannels">Output channels: the count the oneDNN defect depends on.</param>
/// <param name="Kernel">Kernel height and width.</param>
/// <param name="Stride">Stride per axis.</param>
/// <param name="Padding">Zero padding per axis (the convolution's own; an explicit pad before it is part of the input size).</param>
/// <param name="Dilation">Dilation per axis.</param>
/// <param name="Groups">Channel groups.</param>
/// <param name="Transposed">True for a transposed convolution.</param>
/// <param name="OutputPadding">A transposed convolution's extra output rows and columns.</param>
/// <param name="Height">Input height.</param>
/// <param name="Width">Input width.</param>
internal sealed record ConvConfiguration(string Models, long InChannels, long OutChannels, long[] Kernel, long[] Stride, long[] Padding, long[] Dilation, long Groups, bool Transposed, long[] OutputPadding, long Height, long Width)
{
    /// <summary>The configuration without the model names: equal for the same convolution in two models.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture,
        $"{(Transposed ? "conv_transpose2d" : "conv2d")} {InChannels}->{OutChannels} k{Kernel[0]}x{Kernel[1]} s{Stride[0]}x{Stride[1]} p{Padding[0]}x{Padding[1]}{(Dilation[0] * Dilation[1] > 1 ? $" d{Dilation[0]}x{Dilation[1]}" : "")}{(Groups > 1 ? $" g{Groups}" : "")}{(OutputPadding[0] + OutputPadding[1] > 0 ? $" op{OutputPadding[0]}x{OutputPadding[1]}" : "")} on {Height}x{Width}");

    /// <inheritdoc />
    public override string ToString() => Key;

    internal static ConvConfiguration Of(Convolution c, string model, long height, long width)
    {
        if (c.kernel_size.Length != 2) throw new NotSupportedException($"The self-check covers 2-D convolutions; {model} has a {c.kernel_size.Length}-D one.");
        if (c.padding_type is TorchSharp.Padding.Same or TorchSharp.Padding.Valid && c.padding is null)
            throw new NotSupportedException($"The self-check needs explicit padding numbers; {model} has a convolution with padding '{c.padding_type}'.");
        long[] pad = c.padding ?? [0, 0];
        long[] outputPadding = c.transposed ? (c.output_padding ?? [0, 0]) : [0, 0];
        return new ConvConfiguration(model, c.in_channels, c.out_channels, c.kernel_size, c.stride, pad, c.dilation, c.groups, c.transposed, outputPadding, height, width);
    }

    /// <summary>Seeded inputs, weights and output gradient, drawn in float64 and rounded to float32, with the float64 copies of the rounded values.</summary>
    internal (Tensor X32, Tensor W32, Tensor Gy32, Tensor X64, Tensor W64, Tensor Gy64) RandomInputs(long batch, Generator g)
    {
        var x = randn([batch, InChannels, Height, Width], ScalarType.Float64, generator: g);
        long[] weight = Transposed ? [InChannels, OutChannels / Groups, Kernel[0], Kernel[1]] : [OutChannels, InChannels / Groups, Kernel[0], Kernel[1]];
        var w = randn(weight, ScalarType.Float64, generator: g);
        var gy = randn([batch, OutChannels, OutputSize(0, Height), OutputSize(1, Width)], ScalarType.Float64, generator: g);
        var (x32, w32, gy32) = (x.to(ScalarType.Float32), w.to(ScalarType.Float32), gy.to(ScalarType.Float32));
        return (x32, w32, gy32, x32.to(ScalarType.Float64), w32.to(ScalarType.Float64), gy32.to(ScalarType.Float64));
    }

    /// <summary>The output, the input gradient (backward-data) and the weight gradient for output gradient <paramref name="gy"/>.</summary>
    internal Tensor[] Compute(Tensor x, Tensor w, Tensor gy)
    {
        var xs = x.detach().requires_grad_();
        var ws = w.detach().requires_grad_();
        var y = Forward(xs, ws);
        var grads = autograd.grad([y], [xs, ws], [gy]);
        return [y.detach(), grads[0], grads[1]];
    }

    /// <summary>The output size along <paramref name="axis"/>, by the kit's geometry (the sizes notebooks 01 and 03 teach).</summary>
    private int OutputSize(int axis, long input) => (Transposed
        ? ConvGeometry.ConvTranspose((int)input, (int)Kernel[axis], (int)Stride[axis], (int)Padding[axis], (int)Dilation[axis], (int)OutputPadding[axis])
        : ConvGeometry.Conv((int)input, (int)Kernel[axis], (int)Stride[axis], ConvPadding.Symmetric((int)Padding[axis]), (int)Dilation[axis])).Output;

    private Tensor Forward(Tensor x, Tensor w) => Transposed
        ? nn.functional.conv_transpose2d(x, w, null, Stride, Padding, OutputPadding, Dilation, Groups)
        : nn.functional.conv2d(x, w, null, Stride, Padding, Dilation, Groups);
}
