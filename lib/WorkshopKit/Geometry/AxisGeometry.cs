using System.Globalization;
using WorkshopKit.Visuals;

namespace WorkshopKit.Geometry;

/// <summary>
/// The geometry of one spatial dimension of a convolution-like operation: sizes, stride, dilation and the
/// padding amounts actually applied, so a notebook can both print the numbers and draw the zeros.
/// </summary>
/// <param name="Kind">The operation.</param>
/// <param name="Input">Input size along this dimension.</param>
/// <param name="Kernel">Kernel (filter or window) size.</param>
/// <param name="Stride">Step between neighbouring windows (for a transposed convolution: the upsampling factor).</param>
/// <param name="Dilation">Spacing between kernel taps (1 = contiguous).</param>
/// <param name="PadBefore">Zeros added before the input (for a transposed convolution: PyTorch's <c>padding</c>, which crops the output).</param>
/// <param name="PadAfter">Zeros added after the input (for pooling in ceil mode this includes the overhang of the last window).</param>
/// <param name="OutputPadding">Extra size added at the end of a transposed convolution's output (0 otherwise).</param>
/// <param name="Output">Output size along this dimension.</param>
/// <param name="Padding">The padding rule that produced the amounts.</param>
/// <remarks>Comes with <see cref="ConvGeometry"/>, first used in notebook 02 (Hardware and precision), section "1.2 The im2col view and its memory cost".</remarks>
public sealed record AxisGeometry(OperationKind Kind, int Input, int Kernel, int Stride, int Dilation,
    int PadBefore, int PadAfter, int OutputPadding, int Output, ConvPadding Padding)
{
    /// <summary>The span the kernel covers including the holes of dilation: d (k - 1) + 1.</summary>
    public int EffectiveKernel => Dilation * (Kernel - 1) + 1;

    /// <summary>
    /// Input positions (after padding) that no window reaches because the stride steps past them; they exist
    /// for convolutions and floor-mode pooling when (padded input - effective kernel) is not a multiple of the stride.
    /// </summary>
    public int UnusedAtEnd => Kind == OperationKind.TransposedConvolution
        ? 0
        : Input + PadBefore + PadAfter - ((Output - 1) * Stride + EffectiveKernel);

    /// <summary>
    /// For a transposed convolution, zeros inserted between neighbouring input values (stride - 1) when it is
    /// drawn as a stride-1 convolution over a stretched input (Dumoulin and Visin's picture); 0 otherwise.
    /// </summary>
    public int ZerosBetweenInputs => Kind == OperationKind.TransposedConvolution ? Stride - 1 : 0;

    /// <summary>For a transposed convolution drawn as a direct convolution: zeros before the stretched input, d (k-1) - padding.</summary>
    public int ImplicitPadBefore => Kind == OperationKind.TransposedConvolution ? EffectiveKernel - 1 - PadBefore : PadBefore;

    /// <summary>For a transposed convolution drawn as a direct convolution: zeros after the stretched input, d (k-1) - padding + output padding.</summary>
    public int ImplicitPadAfter => Kind == OperationKind.TransposedConvolution ? EffectiveKernel - 1 - PadAfter + OutputPadding : PadAfter;

    /// <summary>One line such as <c>conv: 5 -> 2 (k=3, s=2, d=1, pad 0+0, VALID)</c>.</summary>
    public override string ToString()
    {
        string name = Kind switch { OperationKind.Convolution => "conv", OperationKind.TransposedConvolution => "conv_transpose", _ => "pool" };
        string extra = Kind == OperationKind.TransposedConvolution ? $", output_padding={OutputPadding}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{name}: {Input} -> {Output} (k={Kernel}, s={Stride}, d={Dilation}, pad {PadBefore}+{PadAfter}, {Padding}{extra})");
    }
}
