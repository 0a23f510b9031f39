using System.Globalization;
using System.Text;
using TorchSharp;
using WorkshopKit.Geometry;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Blocks;

/// <summary>Shows why transposed convolutions can produce checkerboard artifacts: counts how many kernel taps land on each output pixel.</summary>
/// <remarks>Taught in notebook 04 (pooling and upsampling), section 2 "Upsampling".</remarks>
public static class Checkerboard
{
    /// <summary>
    /// The output of a transposed convolution with an all-ones kernel on an all-ones single-channel input (no padding):
    /// each value is the number of (input pixel, kernel tap) pairs that write to that output pixel. With kernel 3 and
    /// stride 2 the interior alternates 4, 2, 2, 1: uneven overlap, the checkerboard.
    /// </summary>
    public static Tensor TransposedConvOverlap(long inputSize = 5, long kernel = 3, long stride = 2)
    {
        Require.Positive(inputSize, nameof(inputSize));
        Require.Positive(kernel, nameof(kernel));
        Require.Positive(stride, nameof(stride));
        using var scope = NewDisposeScope();
        var x = ones(1, 1, inputSize, inputSize);
        var w = ones(1, 1, kernel, kernel);
        return TransposedConv(x, w, stride, 0, 0)[0, 0].MoveToOuterDisposeScope();
    }

    /// <summary>The same count for resize-then-convolve (nearest ×stride, then a SAME all-ones convolution): the interior is uniform, no checkerboard.</summary>
    public static Tensor ResizeConvOverlap(long inputSize = 5, long kernel = 3, long stride = 2)
    {
        using var scope = NewDisposeScope();
        var x = F.interpolate(ones(1, 1, inputSize, inputSize), scale_factor: [stride, stride], mode: InterpolationMode.Nearest);
        var same = ConvGeometry.Conv2d(((int)x.shape[2], (int)x.shape[3]), ((int)kernel, (int)kernel), padding: ConvPadding.SameTensorFlow);
        var y = F.conv2d(F.pad(x, same.PadArgument), ones(1, 1, kernel, kernel));
        return y[0, 0].MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Upsamples images with a transposed convolution whose kernel is all ones, scaled by s²/k² so that the AVERAGE
    /// output equals the input's: an untrained layer whose only structure is the overlap pattern. Padding and output
    /// padding are those of <see cref="TransposedConvLayer"/> (output = input × stride). A smooth image comes out with
    /// the checkerboard printed on it, because neighbouring output pixels receive different numbers of taps.
    /// </summary>
    /// <param name="images">Images as (N, C, H, W); each channel is upsampled on its own.</param>
    /// <param name="kernel">Kernel side (at least the stride).</param>
    /// <param name="stride">Upsampling factor (at least 2).</param>
    /// <exception cref="ArgumentException">Images that are not 4-D, a stride below 2, or a kernel smaller than the stride.</exception>
    public static Tensor TransposedConvUpsample(Tensor images, long kernel = 3, long stride = 2)
    {
        CheckUpsample(images, kernel, stride, nameof(TransposedConvUpsample));
        using var scope = NewDisposeScope();
        var (pad, outputPad) = ConvGeometry.ConvTransposeSame((int)kernel, (int)stride);
        var (n, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3]);
        var weight = full(1, 1, kernel, kernel, (double)(stride * stride) / (kernel * kernel), dtype: images.dtype, device: images.device);
        var y = TransposedConv(images.reshape(n * c, 1, h, w), weight, stride, pad, outputPad);
        return y.reshape(n, c, h * stride, w * stride).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The resize-then-convolve counterpart of <see cref="TransposedConvUpsample"/>: nearest-neighbour enlargement by
    /// the stride, then a SAME k×k mean filter. Every output pixel averages the same number of taps, so a smooth image
    /// stays smooth (only the border, where SAME pads zeros, is darker).
    /// </summary>
    /// <param name="images">Images as (N, C, H, W); each channel is upsampled on its own.</param>
    /// <param name="kernel">Side of the mean filter.</param>
    /// <param name="stride">Upsampling factor (at least 2).</param>
    /// <exception cref="ArgumentException">Images that are not 4-D, or a stride below 2.</exception>
    public static Tensor ResizeConvUpsample(Tensor images, long kernel = 3, long stride = 2)
    {
        CheckUpsample(images, Math.Max(kernel, stride), stride, nameof(ResizeConvUpsample));
        Require.Positive(kernel, nameof(kernel));
        using var scope = NewDisposeScope();
        var (n, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3]);
        var big = F.interpolate(images.reshape(n * c, 1, h, w), size: [h * stride, w * stride], mode: InterpolationMode.Nearest);
        var same = ConvGeometry.Conv2d(((int)(h * stride), (int)(w * stride)), ((int)kernel, (int)kernel), padding: ConvPadding.SameTensorFlow);
        var weight = full(1, 1, kernel, kernel, 1.0 / (kernel * kernel), dtype: images.dtype, device: images.device);
        var y = F.conv2d(F.pad(big, same.PadArgument), weight);
        return y.reshape(n, c, h * stride, w * stride).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// True when every interior pixel of <see cref="TransposedConvOverlap"/> receives the same number of taps (no
    /// checkerboard). The interior leaves out kernel - 1 pixels at each border, where fewer input pixels reach.
    /// For stride s this holds exactly when s divides the kernel size.
    /// </summary>
    public static bool HasEvenOverlap(long kernel, long stride = 2)
    {
        Require.Positive(kernel, nameof(kernel));
        Require.Positive(stride, nameof(stride));
        long inputSize = kernel + 3;
        using var counts = TransposedConvOverlap(inputSize, kernel, stride);
        long size = counts.shape[0], border = kernel - 1;
        using var interior = counts.narrow(0, border, size - 2 * border).narrow(1, border, size - 2 * border);
        return interior.min().item<float>() == interior.max().item<float>();
    }

    // libtorch's own transposed convolution. An earlier version wrote it as zero insertion + conv2d because
    // conv_transpose2d returned NaN on one development host; ConvSelfCheck (run by doctor and the tests) now checks
    // this exact shape (1 channel, kernel 4, stride 2) on the host instead.
    private static Tensor TransposedConv(Tensor x, Tensor weight, long stride, long padding, long outputPadding) =>
        F.conv_transpose2d(x, weight, null, [stride, stride], [padding, padding], [outputPadding, outputPadding]);

    private static void CheckUpsample(Tensor images, long kernel, long stride, string method)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4)
            throw new ArgumentException($"{method} expects images as (N, C, H, W), but got shape ({string.Join(", ", images.shape)}). For one 28x28 image use image.reshape(1, 1, 28, 28).", nameof(images));
        if (stride < 2)
            throw new ArgumentException($"{method} upsamples: the stride must be at least 2, but got {stride}.", nameof(stride));
        if (kernel < stride)
            throw new ArgumentException($"{method}: the kernel ({kernel}) must be at least the stride ({stride}); a smaller kernel leaves output pixels that no tap reaches. Use kernel >= {stride}.", nameof(kernel));
    }

    /// <summary>A 2-D tensor as a text grid, one row per line, for consoles and notebook output.</summary>
    public static string ToText(Tensor grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        if (grid.dim() != 2) throw new ArgumentException($"ToText expects a 2-D tensor; got shape ({string.Join(", ", grid.shape)}). Index one channel first, e.g. t[0, 0].", nameof(grid));
        using var asFloat = grid.to(ScalarType.Float32);
        var values = asFloat.data<float>().ToArray();
        long cols = grid.shape[1];
        var sb = new StringBuilder();
        for (int i = 0; i < values.Length; i++)
        {
            sb.Append(values[i].ToString("0", CultureInfo.InvariantCulture).PadLeft(3));
            if ((i + 1) % cols == 0) sb.AppendLine();
        }
        return sb.ToString().TrimEnd();
    }
}
