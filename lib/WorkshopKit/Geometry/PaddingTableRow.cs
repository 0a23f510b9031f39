using System.Globalization;
using WorkshopKit.Visuals;

namespace WorkshopKit.Geometry;

/// <summary>
/// One row of a <see cref="PaddingTable"/>: a padding rule applied to one input size, with the geometry it
/// produces, or the reason the rule refuses that configuration (PyTorch's "same" with a stride above 1).
/// </summary>
/// <param name="Rule">The padding rule.</param>
/// <param name="Input">Input size along one dimension.</param>
/// <param name="Kernel">Kernel size.</param>
/// <param name="Stride">Stride.</param>
/// <param name="Dilation">Dilation.</param>
/// <param name="Geometry">The geometry, or null when the rule refuses the configuration.</param>
/// <param name="Refusal">Why the rule refuses the configuration (the library's message), or null.</param>
/// <remarks>Comes with <see cref="PaddingTable"/>, first used in notebook 03 (Strides and padding), section "1. Stride: how far the window jumps".</remarks>
public sealed record PaddingTableRow(ConvPadding Rule, int Input, int Kernel, int Stride, int Dilation, AxisGeometry? Geometry, string? Refusal)
{
    /// <summary>Where an odd total of zeros puts its extra zero (after the input for TensorFlow's SAME); null when the rule refuses the configuration.</summary>
    public WorkshopKit.Geometry.ExtraZero? ExtraZero => Geometry is null ? null :
        Geometry.PadAfter > Geometry.PadBefore ? WorkshopKit.Geometry.ExtraZero.End : Geometry.PadBefore > Geometry.PadAfter ? WorkshopKit.Geometry.ExtraZero.Start : WorkshopKit.Geometry.ExtraZero.None;
}
