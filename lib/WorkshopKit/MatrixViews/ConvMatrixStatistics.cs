using System.Globalization;
using WorkshopKit.Visuals;

namespace WorkshopKit.MatrixViews;

/// <summary>Numbers that describe a convolution matrix: how big, how empty, how repetitive.</summary>
/// <param name="Rows">Output elements (out channels x output height x output width).</param>
/// <param name="Columns">Input elements (in channels x height x width).</param>
/// <param name="NonZeros">Stored entries: one per (output, real input tap) pair; equals the exact MAC count of one image.</param>
/// <param name="DistinctValues">Different values among the entries: at most the number of weights, although the matrix is huge.</param>
/// <remarks>First used in notebook 01 (Convolutional layers), section "4. The same convolution as a matrix".</remarks>
public sealed record ConvMatrixStatistics(long Rows, long Columns, long NonZeros, long DistinctValues) : IHtmlDisplay
{
    /// <summary>Fraction of entries that are stored: non-zeros / (rows x columns).</summary>
    public double Density => NonZeros / ((double)Rows * Columns);

    private HtmlTable Table() => new(["rows", "columns", "non-zeros", "density", "distinct values"],
        [[Rows.ToString("N0", CultureInfo.InvariantCulture), Columns.ToString("N0", CultureInfo.InvariantCulture),
          NonZeros.ToString("N0", CultureInfo.InvariantCulture), Density.ToString("G4", CultureInfo.InvariantCulture),
          DistinctValues.ToString("N0", CultureInfo.InvariantCulture)]], "Convolution as a matrix");

    /// <inheritdoc />
    public string ToHtml() => Table().ToHtml();

    /// <inheritdoc />
    public override string ToString() => Table().ToString();
}
