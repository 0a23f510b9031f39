using System.Globalization;
using WorkshopKit.Visuals;

namespace WorkshopKit.Geometry;

/// <summary>
/// Output sizes and padding amounts of convolution, transposed convolution and pooling, per spatial dimension,
/// following the arithmetic of Dumoulin and Visin (arXiv:1603.07285) and the conventions of TensorFlow and PyTorch.
/// </summary>
/// <remarks>First used in notebook 02 (Hardware and precision), section "1.2 The im2col view and its memory cost".</remarks>
public static class ConvGeometry
{
    /// <summary>
    /// Geometry of a convolution along one dimension: output = floor((input + before + after - d(k-1) - 1) / stride) + 1.
    /// </summary>
    /// <param name="input">Input size (at least 1).</param>
    /// <param name="kernel">Kernel size (at least 1).</param>
    /// <param name="stride">Stride (at least 1).</param>
    /// <param name="padding">Padding rule; VALID when null.</param>
    /// <param name="dilation">Dilation (at least 1).</param>
    /// <exception cref="ArgumentException">A size, stride or dilation below 1, SAME(PyTorch) with stride above 1, or a kernel that does not fit the padded input.</exception>
    public static AxisGeometry Conv(int input, int kernel, int stride = 1, ConvPadding? padding = null, int dilation = 1)
    {
        padding ??= ConvPadding.Valid;
        CheckPositive(input, kernel, stride, dilation);
        // Sizes are counted in 64 bits: dilation 2^30 or an input near int.MaxValue would otherwise wrap around.
        int ke = EffectiveKernel(kernel, dilation);
        (int before, int after) = padding.Mode switch
        {
            PaddingMode.Valid => (0, 0),
            PaddingMode.Full => (ke - 1, ke - 1),
            PaddingMode.Explicit => (padding.Before, padding.After),
            PaddingMode.SamePyTorch => SamePyTorch(ke, stride),
            PaddingMode.SameTensorFlow => SameTensorFlow(input, ke, stride),
            _ => throw new ArgumentException($"Unknown padding mode {padding.Mode}.", nameof(padding)),
        };
        long padded = (long)input + before + after;
        if (padded < ke)
            throw new ArgumentException(
                $"The effective kernel d(k-1)+1 = {dilation}*({kernel}-1)+1 = {ke} is larger than the padded input {input}+{before}+{after} = {padded}. " +
                "Use a smaller kernel or dilation, or more padding.");
        int output = Runtime.Guard.ToInt((padded - ke) / stride + 1, "output size",
            $"The convolution of input {input} with padding {before}+{after}, effective kernel {ke} and stride {stride} is too large; use smaller sizes.");
        return new AxisGeometry(OperationKind.Convolution, input, kernel, stride, dilation, before, after, 0, output, padding);
    }

    /// <summary>
    /// Geometry of a transposed convolution along one dimension (PyTorch's <c>conv_transpose</c>):
    /// output = (input - 1) stride - 2 padding + d (k - 1) + output padding + 1.
    /// </summary>
    /// <param name="input">Input size (at least 1).</param>
    /// <param name="kernel">Kernel size.</param>
    /// <param name="stride">Stride (upsampling factor).</param>
    /// <param name="padding">PyTorch's <c>padding</c>: rows cropped from both ends of the full output.</param>
    /// <param name="dilation">Dilation.</param>
    /// <param name="outputPadding">Extra size at the end; must be smaller than the stride or the dilation.</param>
    /// <exception cref="ArgumentException">A size below 1, negative padding, output padding too large, or an empty output.</exception>
    public static AxisGeometry ConvTranspose(int input, int kernel, int stride = 1, int padding = 0, int dilation = 1, int outputPadding = 0)
    {
        CheckPositive(input, kernel, stride, dilation);
        if (padding < 0)
            throw new ArgumentException($"Padding must be non-negative, but padding={padding}. Use 0 or a positive number.", nameof(padding));
        if (outputPadding < 0 || (outputPadding >= stride && outputPadding >= dilation))
            throw new ArgumentException(
                $"Output padding must be smaller than the stride or the dilation (0 <= output_padding < max(stride, dilation)), " +
                $"but output_padding={outputPadding}, stride={stride}, dilation={dilation}.", nameof(outputPadding));
        int ke = EffectiveKernel(kernel, dilation);
        long output = ((long)input - 1) * stride - 2L * padding + ke + outputPadding;
        if (output < 1)
            throw new ArgumentException(
                $"The transposed convolution would have output size (input-1)*stride - 2*padding + d(k-1) + output_padding + 1 = " +
                $"({input}-1)*{stride} - 2*{padding} + {ke - 1} + {outputPadding} + 1 = {output} < 1. Reduce the padding.", nameof(padding));
        int size = Runtime.Guard.ToInt(output, "output size",
            $"The transposed convolution ({input}-1)*{stride} - 2*{padding} + {ke - 1} + {outputPadding} + 1 is too large; use a smaller input or stride.");
        return new AxisGeometry(OperationKind.TransposedConvolution, input, kernel, stride, dilation, padding, padding, outputPadding, size,
            ConvPadding.Symmetric(padding));
    }

    /// <summary>
    /// The output padding that makes <c>conv_transpose</c> (same kernel, stride, dilation and padding) map the
    /// convolution's output size back to its input size. Several input sizes give the same convolution output
    /// when the stride skips positions; the output padding says which one to return to.
    /// </summary>
    /// <param name="conv">A convolution geometry with symmetric padding, or padding whose extra zero is at the end.</param>
    /// <exception cref="ArgumentException">The convolution is not a convolution, or its padding cannot be expressed by PyTorch's symmetric transposed padding.</exception>
    public static int OutputPaddingToInvert(AxisGeometry conv)
    {
        ArgumentNullException.ThrowIfNull(conv);
        if (conv.Kind != OperationKind.Convolution)
            throw new ArgumentException($"OutputPaddingToInvert needs a convolution geometry, got {conv.Kind}.", nameof(conv));
        int full = (conv.Output - 1) * conv.Stride + conv.EffectiveKernel;
        int op = conv.Input + 2 * conv.PadBefore - full;
        if (op < 0 || (op >= conv.Stride && op >= conv.Dilation))
            throw new ArgumentException(
                $"No output padding inverts {conv}: with transposed padding {conv.PadBefore} it would be {op}, outside 0 <= output_padding < max(stride, dilation). " +
                "PyTorch's transposed convolution pads symmetrically; for asymmetric padding use padding = before, output_padding 0, then crop or pad the end.", nameof(conv));
        return op;
    }

    /// <summary>
    /// Geometry of max or average pooling along one dimension, with PyTorch's rules: symmetric padding at most half
    /// the window, and in ceil mode a last partial window that must start inside the input or the left padding.
    /// </summary>
    /// <param name="input">Input size.</param>
    /// <param name="kernel">Window size.</param>
    /// <param name="stride">Stride; the window size when null (PyTorch's default).</param>
    /// <param name="padding">Padding on each side (at most kernel / 2).</param>
    /// <param name="dilation">Dilation (max pooling only in PyTorch).</param>
    /// <param name="ceilMode">Round the output size up instead of down.</param>
    /// <exception cref="ArgumentException">A size below 1, padding above half the window, or an empty output.</exception>
    public static AxisGeometry Pool(int input, int kernel, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false)
    {
        int s = stride ?? kernel;
        CheckPositive(input, kernel, s, dilation);
        if (padding < 0 || padding > kernel / 2)
            throw new ArgumentException($"Pooling padding must be between 0 and kernel/2 = {kernel / 2} (PyTorch's rule), but padding={padding}.", nameof(padding));
        int ke = EffectiveKernel(kernel, dilation);
        long span = (long)input + 2L * padding - ke;
        if (span < 0)
            throw new ArgumentException($"The pooling window d(k-1)+1 = {ke} is larger than the padded input {input}+2*{padding} = {input + 2L * padding}.", nameof(kernel));
        long output = (ceilMode ? (span + s - 1) / s : span / s) + 1;
        // PyTorch drops a last window that would start in the right padding.
        if (ceilMode && (output - 1) * s >= (long)input + padding) output--;
        int after = Runtime.Guard.ToInt(Math.Max(padding, (output - 1) * s + ke - (long)input - padding), "pooling padding after", "Use smaller sizes.");
        return new AxisGeometry(OperationKind.Pooling, input, kernel, s, dilation, padding, after, 0, Runtime.Guard.ToInt(output, "output size", "Use a smaller input or a larger stride."),
            ConvPadding.Symmetric(padding));
    }

    /// <summary>2D convolution geometry; the padding rule applies to both dimensions.</summary>
    public static Geometry2d Conv2d((int Height, int Width) input, (int Height, int Width) kernel, (int Height, int Width)? stride = null,
        ConvPadding? padding = null, (int Height, int Width)? dilation = null)
    {
        var s = stride ?? (1, 1);
        var d = dilation ?? (1, 1);
        return new(Conv(input.Height, kernel.Height, s.Height, padding, d.Height), Conv(input.Width, kernel.Width, s.Width, padding, d.Width));
    }

    /// <summary>2D transposed convolution geometry (PyTorch's <c>ConvTranspose2d</c> arguments).</summary>
    public static Geometry2d ConvTranspose2d((int Height, int Width) input, (int Height, int Width) kernel, (int Height, int Width)? stride = null,
        (int Height, int Width)? padding = null, (int Height, int Width)? dilation = null, (int Height, int Width)? outputPadding = null)
    {
        var s = stride ?? (1, 1);
        var p = padding ?? (0, 0);
        var d = dilation ?? (1, 1);
        var op = outputPadding ?? (0, 0);
        return new(ConvTranspose(input.Height, kernel.Height, s.Height, p.Height, d.Height, op.Height),
            ConvTranspose(input.Width, kernel.Width, s.Width, p.Width, d.Width, op.Width));
    }

    /// <summary>2D pooling geometry (PyTorch's <c>MaxPool2d</c>/<c>AvgPool2d</c> arguments).</summary>
    public static Geometry2d Pool2d((int Height, int Width) input, (int Height, int Width) kernel, (int Height, int Width)? stride = null,
        (int Height, int Width)? padding = null, (int Height, int Width)? dilation = null, bool ceilMode = false)
    {
        var p = padding ?? (0, 0);
        var d = dilation ?? (1, 1);
        return new(Pool(input.Height, kernel.Height, stride?.Height, p.Height, d.Height, ceilMode),
            Pool(input.Width, kernel.Width, stride?.Width, p.Width, d.Width, ceilMode));
    }

    /// <summary>
    /// PyTorch's padding and output padding that make a transposed convolution multiply the size by its stride
    /// (TensorFlow's SAME for <c>conv2d_transpose</c>: output = input x stride): padding = ceil((k - s) / 2) when k &gt;= s,
    /// and output padding = s - k + 2 padding.
    /// </summary>
    /// <exception cref="ArgumentException">No such pair exists (an even kernel with stride 1).</exception>
    public static (int Padding, int OutputPadding) ConvTransposeSame(int kernel, int stride)
    {
        CheckPositive(1, kernel, stride, 1);
        int pad = kernel >= stride ? (kernel - stride + 1) / 2 : 0;
        int outputPad = stride - kernel + 2 * pad;
        if (outputPad < 0 || (outputPad >= stride && outputPad > 0))
            throw new ArgumentException($"A {kernel}x{kernel} transposed convolution with stride {stride} cannot produce exactly input x {stride} pixels; use an odd kernel with stride 1, or a stride of at least 2.", nameof(kernel));
        return (pad, outputPad);
    }

    /// <summary>
    /// The smallest input a convolution (or pooling window) accepts along one axis under <paramref name="padding"/>:
    /// the padded input must hold the effective kernel d(k-1)+1; SAME(TF) and FULL accept any input of at least 1.
    /// </summary>
    public static int MinimumInput(int kernel, ConvPadding padding, int dilation = 1)
    {
        ArgumentNullException.ThrowIfNull(padding);
        CheckPositive(1, kernel, 1, dilation);
        int ke = EffectiveKernel(kernel, dilation);
        return padding.Mode switch
        {
            PaddingMode.Valid => ke,
            PaddingMode.Explicit => (int)Math.Max(1L, (long)ke - padding.Before - padding.After),
            _ => 1,
        };
    }

    /// <summary>d(k-1)+1 in 64 bits, or an exception when it does not fit in an int.</summary>
    private static int EffectiveKernel(int kernel, int dilation) =>
        Runtime.Guard.ToInt((long)dilation * (kernel - 1) + 1, "effective kernel d(k-1)+1",
            $"With kernel={kernel} and dilation={dilation} the dilated kernel is too large; use a smaller dilation.");

    private static (int, int) SamePyTorch(int effectiveKernel, int stride)
    {
        if (stride != 1)
            throw new ArgumentException(
                $"SAME padding in PyTorch's sense (padding=\"same\") is defined for stride 1 only, but stride={stride}. " +
                "Use ConvPadding.SameTensorFlow (output = ceil(input/stride)) for strided convolutions.", "padding");
        int total = effectiveKernel - 1;
        return (total / 2, total - total / 2);
    }

    private static (int, int) SameTensorFlow(int input, int effectiveKernel, int stride)
    {
        long output = ((long)input + stride - 1) / stride;
        int total = Runtime.Guard.ToInt(Math.Max((output - 1) * stride + effectiveKernel - (long)input, 0), "SAME padding",
            $"SAME padding for input {input}, effective kernel {effectiveKernel} and stride {stride} is too large; use smaller sizes.");
        return (total / 2, total - total / 2);
    }

    private static void CheckPositive(int input, int kernel, int stride, int dilation)
    {
        if (input < 1) throw new ArgumentException($"The input size must be at least 1, but input={input}.", nameof(input));
        if (kernel < 1) throw new ArgumentException($"The kernel size must be at least 1, but kernel={kernel}.", nameof(kernel));
        if (stride < 1) throw new ArgumentException($"The stride must be at least 1, but stride={stride}. Use 1 for a dense sweep.", nameof(stride));
        if (dilation < 1) throw new ArgumentException($"The dilation must be at least 1, but dilation={dilation}. Use 1 for a contiguous kernel.", nameof(dilation));
    }
}
