using System.Globalization;
using WorkshopKit.Visuals;

namespace WorkshopKit.Geometry;

/// <summary>Which operation an <see cref="AxisGeometry"/> describes.</summary>
/// <remarks>Comes with <see cref="ConvGeometry"/>, first used in notebook 02 (Hardware and precision), section "1.2 The im2col view and its memory cost".</remarks>
public enum OperationKind
{
    /// <summary>A (possibly strided, dilated, padded) convolution.</summary>
    Convolution,
    /// <summary>A transposed convolution (the adjoint of a convolution).</summary>
    TransposedConvolution,
    /// <summary>Max or average pooling, which slides a window like a convolution but may round up (ceil mode).</summary>
    Pooling,
}
