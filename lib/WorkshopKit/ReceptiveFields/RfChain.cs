using WorkshopKit.Geometry;

namespace WorkshopKit.ReceptiveFields;

/// <summary>Nodes applied one after the other (a Sequential).</summary>
/// <param name="Nodes">The nodes, input side first.</param>
/// <remarks>Taught in notebook 01 (convolutional layers), section 8 "Receptive fields", with RfNode.Chain and RfNode.Branches.</remarks>
public sealed record RfChain(IReadOnlyList<RfNode> Nodes) : RfNode
{
    /// <summary>The layers, input side first; at least one.</summary>
    public IReadOnlyList<RfNode> Nodes { get; init => field = NonEmpty(value); } = NonEmpty(Nodes);

    private static IReadOnlyList<RfNode> NonEmpty(IReadOnlyList<RfNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.Count == 0)
            throw new ArgumentException("A receptive-field chain needs at least one layer, but it has none. Pass the layers, e.g. ReceptiveField.Analyze(RfLayer.Conv(3), RfLayer.Conv(3)).", nameof(Nodes));
        if (nodes.Any(n => n is null)) throw new ArgumentException("A receptive-field chain has a null layer.", nameof(Nodes));
        return nodes;
    }

    /// <inheritdoc />
    public override string Label => string.Join(" -> ", Nodes.Select(n => n.Label));

    /// <inheritdoc />
    public override Region MapBack(Region output)
    {
        for (int i = Nodes.Count - 1; i >= 0; i--) output = Nodes[i].MapBack(output);
        return output;
    }
}
