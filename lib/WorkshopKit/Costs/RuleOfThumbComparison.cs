using System.Globalization;
using WorkshopKit.Visuals;

namespace WorkshopKit.Costs;

/// <summary>The slide's rule of thumb 2 k^2 R^2 M N next to the exact count for the same convolution.</summary>
/// <param name="RuleOfThumbFlops">2 k^2 R^2 M N: every tap at every one of R^2 outputs, one multiply and one add each.</param>
/// <param name="ExactFlops">Multiplications + additions + bias additions with padding taps excluded and the real output size.</param>
/// <param name="RealTapsPerChannelPair">Non-padding taps summed over the output positions, for one input/output channel pair.</param>
/// <param name="RuleOfThumbTapsPerChannelPair">k^2 R^2: taps per channel pair by the rule of thumb.</param>
/// <remarks>Comes with <see cref="LayerCosts"/>, first used in notebook 01 (Convolutional layers), section "5. What does it cost? Counting FLOPs, then timing".</remarks>
public sealed record RuleOfThumbComparison(long RuleOfThumbFlops, long ExactFlops, long RealTapsPerChannelPair, long RuleOfThumbTapsPerChannelPair)
{
    /// <summary>Exact / rule of thumb: below 1 when padding zeros or the stride reduce the work.</summary>
    public double Ratio => ExactFlops / (double)RuleOfThumbFlops;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"rule of thumb {LayerCost.N(RuleOfThumbFlops)} FLOPs, exact {LayerCost.N(ExactFlops)} FLOPs (ratio {Ratio:F4}); taps per channel pair {RealTapsPerChannelPair} vs {RuleOfThumbTapsPerChannelPair}");
}
