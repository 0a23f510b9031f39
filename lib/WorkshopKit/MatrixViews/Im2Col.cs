using WorkshopKit.Geometry;
using WorkshopKit.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.MatrixViews;

/// <summary>Convolution as one matrix product over unfolded windows (how GEMM-based GPU kernels such as early cuDNN paths work).</summary>
/// <remarks>First used in notebook 02 (Hardware and precision), section "1.2 The im2col view and its memory cost".</remarks>
public static class Im2Col
{
    /// <summary>Unfolds <paramref name="x"/> with <c>torch.nn.functional.unfold</c> and multiplies by the reshaped weight (groups = 1).</summary>
    public static Im2ColView Convolve(Tensor x, Tensor weight, (int Height, int Width)? stride = null, ConvPadding? padding = null, (int Height, int Width)? dilation = null)
    {
        // libtorch's matmul aborts the process (c10::Error) on mixed dtypes and refuses integer ones with raw text: check first.
        Guard.FloatingTensor(x, nameof(x));
        Guard.FloatingTensor(weight, nameof(weight));
        Guard.SameDtypeAndDevice(x, nameof(x), weight, nameof(weight));
        if (x.dim() != 4 || weight.dim() != 4 || x.shape[1] != weight.shape[1])
            throw new ArgumentException($"im2col needs x (N, C, H, W) and weight (out, C, kh, kw) with the same C (groups = 1); got [{string.Join(", ", x.shape)}] and [{string.Join(", ", weight.shape)}].", nameof(weight));
        var s = stride ?? (1, 1);
        var d = dilation ?? (1, 1);
        var g = ConvGeometry.Conv2d(((int)x.shape[2], (int)x.shape[3]), ((int)weight.shape[2], (int)weight.shape[3]), s, padding, d);
        if (x.device.type == DeviceType.CPU)
            Guard.MemoryFits(Guard.Product("unfolded columns (bytes)", x.shape[0], x.shape[1], weight.shape[2], weight.shape[3], g.Height.Output, g.Width.Output, 2 * x.element_size()),
                $"im2col of x [{string.Join(", ", x.shape)}] with a {weight.shape[2]}x{weight.shape[3]} kernel", "Use a smaller batch or image (the unfolded matrix holds every window).");
        using var scope = NewDisposeScope();
        var padded = F.pad(x, g.PadArgument);
        var cols = F.unfold(padded, (weight.shape[2], weight.shape[3]), (d.Height, d.Width), (0, 0), (s.Height, s.Width));
        var y = weight.reshape(weight.shape[0], -1).matmul(cols).view(x.shape[0], weight.shape[0], g.Height.Output, g.Width.Output);
        return new Im2ColView(cols.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope(), x.numel(), cols.numel());
    }
}
