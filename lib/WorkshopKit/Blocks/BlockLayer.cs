using WorkshopKit.Costs;

namespace WorkshopKit.Blocks;

/// <summary>One layer of a block as <see cref="Block.Describe"/> records it: where it sits, the shapes around it and its <see cref="LayerCost"/>.</summary>
/// <remarks>Taught in notebook 05 (collaborative filters), section 2.1, where a block's cost is split by layer.</remarks>
/// <param name="Name">Path of the layer inside the block (e.g. <c>branch 2/conv3x3</c>).</param>
/// <param name="Input">Shape entering the layer (one sample).</param>
/// <param name="Output">Shape leaving the layer (one sample).</param>
/// <param name="Cost">The layer's counts for one sample, from <see cref="LayerCosts"/> (a convolution with its normalization and activation is one row).</param>
public sealed record BlockLayer(string Name, FeatureShape Input, FeatureShape Output, LayerCost Cost)
{
    /// <summary>Trainable values of the layer (weights, biases, normalization scale and shift).</summary>
    public long Parameters => Cost.Parameters;

    /// <summary>Multiply-accumulates for one sample, every kernel tap counted (<see cref="LayerCost.MacsAllTaps"/>, the fvcore and thop convention); normalization, activations and pooling count zero.</summary>
    public long Macs => Cost.MacsAllTaps;
}
