using System.Globalization;
using WorkshopKit.ReceptiveFields;
using WorkshopKit.Visuals;

namespace WorkshopKit.Blocks;

/// <summary>One branch of a collaborative-filter block, described for one input shape.</summary>
/// <param name="Index">Branch number, from 1, in the order the outputs are combined.</param>
/// <param name="Name">The branch's steps, e.g. "1x1 → 3x3".</param>
/// <param name="Output">Shape the branch produces (its share of the combined output).</param>
/// <param name="Parameters">Trainable values in the branch (convolution weights and normalization).</param>
/// <param name="Macs">Multiply-accumulates of the branch for one sample (all kernel taps, as in <see cref="Block.Describe"/>).</param>
/// <param name="Field">Receptive field of one output value of the branch, in input pixels.</param>
/// <remarks>Comes with <see cref="BranchBreakdown"/>, first used in notebook 05 (Collaborative filters: several filter sizes side by side), section "What each branch costs and sees".</remarks>
public sealed record BranchSummary(int Index, string Name, FeatureShape Output, long Parameters, long Macs, ReceptiveField Field);
