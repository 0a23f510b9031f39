using System.Globalization;
using Plotly.NET;
using WorkshopKit.Visuals;

namespace WorkshopKit.Blocks;

/// <summary>One step of a network as <see cref="ChannelGrowth"/> sees it: a block, or one layer of a dense block.</summary>
/// <param name="Label">The block's name, or "dense1 layer 3" for a layer inside a dense block.</param>
/// <param name="Output">Shape of one sample after this step (for a dense layer: the concatenation so far).</param>
/// <param name="Parameters">Trainable values of the step.</param>
/// <param name="Macs">Multiply-accumulates of the step for one sample (the convention of <see cref="Block.Describe"/>).</param>
/// <param name="MergedBytes">Bytes (float32, one sample) of the tensors the step creates by concatenating or adding maps,
/// which a per-layer profile does not see because no layer produces them.</param>
/// <remarks>Comes with <see cref="ChannelGrowth"/>, first used in notebook 07 (Dense blocks: every layer sees every earlier map), section "How channels grow, layer by layer".</remarks>
public sealed record ChannelStep(string Label, FeatureShape Output, long Parameters, long Macs, long MergedBytes);
