using WorkshopKit.Geometry;

namespace WorkshopKit.ReceptiveFields;

/// <summary>A rectangle of input positions (rows and columns), the input region an output unit can see.</summary>
/// <param name="Rows">Row interval.</param>
/// <param name="Columns">Column interval.</param>
/// <remarks>Comes with <see cref="ReceptiveField"/>, first used in notebook 01 (Convolutional layers), section "8. Receptive fields".</remarks>
public readonly record struct Region(Span Rows, Span Columns)
{
    /// <summary>The part inside an input of the given size, or null when it lies entirely in the padding.</summary>
    public Region? Clip(long height, long width) =>
        Rows.Clip(height) is { } r && Columns.Clip(width) is { } c ? new Region(r, c) : null;

    /// <inheritdoc />
    public override string ToString() => $"rows {Rows}, cols {Columns}";
}
