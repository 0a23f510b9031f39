using WorkshopKit.Geometry;

namespace WorkshopKit.ReceptiveFields;

/// <summary>
/// A description of a network for receptive-field analysis: a layer, a chain of nodes, or parallel branches
/// whose outputs are combined (added or concatenated) position by position.
/// </summary>
/// <remarks>Comes with <see cref="RfLayer"/>, first used in notebook 01 (Convolutional layers), section "8. Receptive fields".</remarks>
public abstract record RfNode
{
    /// <summary>The input region that the output rectangle <paramref name="output"/> depends on.</summary>
    public abstract Region MapBack(Region output);

    /// <summary>Short label for tables.</summary>
    public abstract string Label { get; }

    /// <summary>A chain: the nodes run one after the other.</summary>
    public static RfChain Chain(params RfNode[] nodes) => new(nodes);

    /// <summary>Parallel branches applied to the same input and merged; they must be aligned.</summary>
    public static RfBranches Branches(params RfNode[] branches) => new(branches);
}
