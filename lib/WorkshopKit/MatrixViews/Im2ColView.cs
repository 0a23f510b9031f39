using System.Globalization;
using static TorchSharp.torch;

namespace WorkshopKit.MatrixViews;

/// <summary>The im2col view of a convolution: all windows copied into the columns of one matrix, then one GEMM.</summary>
/// <param name="Columns">Unfolded input (batch, in x kh x kw, windows).</param>
/// <param name="Output">weight (out, in x kh x kw) @ columns, reshaped to (batch, out, oh, ow).</param>
/// <param name="InputElements">Elements of the input.</param>
/// <param name="ColumnElements">Elements of the unfolded matrix.</param>
/// <remarks>First used in notebook 02 (Hardware and precision), section "1.2 The im2col view and its memory cost".</remarks>
public sealed record Im2ColView(Tensor Columns, Tensor Output, long InputElements, long ColumnElements)
{
    /// <summary>How much larger the unfolded matrix is than the input (about k^2 / stride^2): the memory GEMM-based kernels pay.</summary>
    public double BlowUpFactor => ColumnElements / (double)InputElements;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"im2col: [{string.Join(", ", Columns.shape)}] columns, {ColumnElements:N0} elements vs {InputElements:N0} input elements (x{BlowUpFactor:F2})");
}
