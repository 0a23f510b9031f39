namespace WorkshopKit.Blocks;

/// <summary>The shape of one sample's feature maps (channels, height, width): the batch dimension is left out because blocks never change it.</summary>
/// <param name="Channels">Number of feature maps.</param>
/// <param name="Height">Rows of each map.</param>
/// <param name="Width">Columns of each map.</param>
public readonly record struct FeatureShape(long Channels, long Height, long Width)
{
    /// <summary>Reads the shape of an (N, C, H, W) tensor, so a block can check what it was given.</summary>
    /// <exception cref="ArgumentException">The tensor does not have four dimensions.</exception>
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

/// <summary>
/// Thrown when a block receives an input it cannot process (wrong channel count, maps too small for its strides,
/// branches that cannot be combined). The message names the block, the expected and the actual shapes, and a fix,
/// so a learner never has to decode a raw libtorch error.
/// </summary>
public sealed class BlockShapeException : ArgumentException
{
    /// <summary>Builds the message from the block's name, what it expected, what it got and how to fix it.</summary>
    public BlockShapeException(string blockName, string expected, string actual, string fix)
        : base($"{blockName}: expected {expected}, but got {actual}. Fix: {fix}.")
    {
        BlockName = blockName;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The block that refused the input.</summary>
    public string BlockName { get; }

    /// <summary>What the block expected, in words.</summary>
    public string Expected { get; }

    /// <summary>What it received, in words.</summary>
    public string Actual { get; }
}
