using System.Globalization;

namespace WorkshopKit.ReceptiveFields;

/// <summary>The receptive field of a network's output (after one layer of a chain, when it is a row of a report).</summary>
/// <param name="Name">Layer (or node) name.</param>
/// <param name="Size">Receptive field size (height, width): the largest region any output unit sees.</param>
/// <param name="EffectiveStride">Distance in input positions between neighbouring output units (fractional after transposed convolutions).</param>
/// <param name="EffectivePadding">How far the region of output unit 0 starts before the input (minus its start).</param>
/// <remarks>Taught in notebook 01 (convolutional layers), section 8 "Receptive fields".</remarks>
public sealed record ReceptiveFieldRow(string Name, (long Height, long Width) Size, (double Height, double Width) EffectiveStride, (long Height, long Width) EffectivePadding)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: RF {Size.Height}x{Size.Width}, stride {EffectiveStride.Height:G4}x{EffectiveStride.Width:G4}, padding {EffectivePadding.Height}x{EffectivePadding.Width}");
}
