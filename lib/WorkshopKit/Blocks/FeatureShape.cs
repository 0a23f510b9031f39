namespace WorkshopKit.Blocks;

/// <summary>The shape of one sample's feature maps (channels, height, width): the batch dimension is left out because blocks never change it.</summary>
/// <param name="Channels">Number of feature maps.</param>
/// <param name="Height">Rows of each map.</param>
/// <param name="Width">Columns of each map.</param>
/// <remarks>First used in notebook 05 (Collaborative filters: several filter sizes side by side), section "1 · What "collaborative filters" means here".</remarks>
public readonly record struct FeatureShape(long Channels, long Height, long Width)
{
    /// <summary>One MNIST or Fashion-MNIST image: one 28x28 grey channel, the input every zoo model expects.</summary>
    public static FeatureShape Mnist { get; } = new(1, 28, 28);

    /// <summary>Reads the shape of an (N, C, H, W) tensor, so a block can check what it was given.</summary>
    /// <exception cref="BlockShapeException">The tensor does not have four dimensions.</exception>
    public static FeatureShape Of(TorchSharp.torch.Tensor x, string blockName)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 4)
            throw new BlockShapeException(blockName, "a 4-D tensor (N, C, H, W)", $"a {x.dim()}-D tensor of shape ({string.Join(", ", x.shape)})",
                "add a batch dimension with unsqueeze(0) or reshape the input to (N, C, H, W)");
        return new FeatureShape(x.shape[1], x.shape[2], x.shape[3]);
    }

    /// <summary>Number of values in one sample's maps.</summary>
    public long Elements => Channels * Height * Width;

    /// <inheritdoc />
    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
