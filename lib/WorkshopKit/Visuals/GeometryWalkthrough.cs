using WorkshopKit.Geometry;
using static TorchSharp.torch;

namespace WorkshopKit.Visuals;

/// <summary>
/// Connects the padding arithmetic to the animation: the stride and the padding amounts that a rule such as
/// TensorFlow's SAME computes go straight into a <see cref="ConvolutionWalkthrough"/>, so the zeros a notebook
/// prints are the zeros it draws.
/// </summary>
/// <remarks>Comes with <see cref="ConvGeometry"/>, first used in notebook 02 (Hardware and precision), section "1.2 The im2col view and its memory cost".</remarks>
public static class GeometryWalkthrough
{
    /// <summary>The window-by-window walkthrough of a convolution with this geometry's stride and padding.</summary>
    /// <param name="geometry">A 2D convolution geometry from <see cref="ConvGeometry.Conv2d"/>, without dilation.</param>
    /// <param name="input">A 2-D input whose size matches the geometry's input.</param>
    /// <param name="kernel">A 2-D kernel whose size matches the geometry's kernel.</param>
    /// <exception cref="ArgumentException">Not a convolution geometry, a dilation above 1, or an input or kernel whose size differs from the geometry's.</exception>
    public static ConvolutionWalkthrough Walkthrough(this Geometry2d geometry, Tensor input, Tensor kernel)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(kernel);
        var (h, w) = (geometry.Height, geometry.Width);
        if (h.Kind != OperationKind.Convolution || w.Kind != OperationKind.Convolution)
            throw new ArgumentException($"A walkthrough draws a convolution, but the geometry describes a {h.Kind}. Use ConvGeometry.Conv2d.", nameof(geometry));
        if (h.Dilation != 1 || w.Dilation != 1)
            throw new ArgumentException($"The walkthrough draws contiguous kernels, but the geometry has dilation ({h.Dilation}, {w.Dilation}). Use dilation 1 (DilationFootprint draws dilated kernels).", nameof(geometry));
        if (input.dim() < 2 || input.shape[^2] != h.Input || input.shape[^1] != w.Input)
            throw new ArgumentException($"The input has shape [{string.Join(", ", input.shape)}] but the geometry is for a {h.Input}x{w.Input} input. Compute the geometry for this input's size.", nameof(input));
        if (kernel.dim() != 2 || kernel.shape[0] != h.Kernel || kernel.shape[1] != w.Kernel)
            throw new ArgumentException($"The kernel has shape [{string.Join(", ", kernel.shape)}] but the geometry is for a {h.Kernel}x{w.Kernel} kernel. Compute the geometry for this kernel's size.", nameof(kernel));
        return ConvolutionWalkthrough.Create(input, kernel, (h.Stride, w.Stride), (h.PadBefore, h.PadAfter, w.PadBefore, w.PadAfter));
    }
}
