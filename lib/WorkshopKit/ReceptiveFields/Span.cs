using WorkshopKit.Geometry;

namespace WorkshopKit.ReceptiveFields;

/// <summary>An inclusive interval of positions along one dimension; may extend into the padding (negative or past the end).</summary>
/// <param name="Start">First position.</param>
/// <param name="End">Last position (inclusive).</param>
/// <remarks>Comes with <see cref="ReceptiveField"/>, first used in notebook 01 (Convolutional layers), section "8. Receptive fields".</remarks>
public readonly record struct Span(long Start, long End)
{
    /// <summary>Number of positions, End - Start + 1.</summary>
    public long Size => End - Start + 1;

    /// <summary>The part inside [0, length), or null when nothing is left.</summary>
    public Span? Clip(long length) => Math.Max(0, Start) <= Math.Min(length - 1, End) ? new Span(Math.Max(0, Start), Math.Min(length - 1, End)) : null;

    /// <inheritdoc />
    public override string ToString() => $"[{Start}, {End}]";
}
