using WorkshopKit.Geometry;

namespace WorkshopKit.Blocks;

/// <summary>Max pooling, PyTorch's <c>nn.MaxPool2d</c>: the largest value of each window. SAME(TF) padding pads with -∞, so a padded border never wins.</summary>
/// <remarks>Taught in notebook 04 (pooling and upsampling), section 1 "Pooling".</remarks>
public sealed class MaxPool2d : Pool2d
{
    /// <summary>Builds the pooling layer; the stride defaults to the kernel size (non-overlapping windows), the padding to VALID.</summary>
    /// <param name="kernel">Window side.</param>
    /// <param name="stride">Window step; the kernel when null (PyTorch's default).</param>
    /// <param name="padding">VALID, symmetric explicit padding (at most half the window, PyTorch's rule) or SAME(TF).</param>
    /// <param name="ceilMode">PyTorch's <c>ceil_mode</c>: round the output size up, so a last partial window is kept.</param>
    /// <param name="name">Name in diagrams and error messages.</param>
    /// <exception cref="ArgumentOutOfRangeException">A kernel or stride below 1, or padding above half the window.</exception>
    /// <exception cref="ArgumentException">Asymmetric, FULL or PyTorch-SAME padding, or ceil mode with SAME.</exception>
    public MaxPool2d(long kernel, long? stride = null, ConvPadding? padding = null, bool ceilMode = false, string? name = null)
        : base(PoolKind.Max, kernel, stride, padding, ceilMode, name)
    {
    }
}
