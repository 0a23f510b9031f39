namespace WorkshopKit.Blocks;

/// <summary>
/// Thrown when a block receives an input it cannot process (wrong channel count, maps too small for its strides,
/// branches that cannot be combined). The message names the block, the expected and the actual shapes, and a fix,
/// so a learner never has to decode a raw libtorch error.
/// </summary>
/// <remarks>Every block throws it before any native call; the blocks of notebooks 04 to 08 refuse wrong shapes with it.</remarks>
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
