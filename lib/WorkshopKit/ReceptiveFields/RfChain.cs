using WorkshopKit.Geometry;

namespace WorkshopKit.ReceptiveFields;

/// <summary>Nodes applied one after the other (a Sequential).</summary>
/// <param name="Nodes">The nodes, input side first.</param>
/// <remarks>Taught in notebook 01 (convolutional layers), section 8 "Receptive fields", with RfNode.Chain and RfNode.Branches.</remarks>
public sealed record RfChain(IReadOnlyList<RfNode> Nodes) : RfNode
{
    /// <inheritdoc />
    public override string Label => string.Join(" -> ", Nodes.Select(n => n.Label));

    /// <inheritdoc />
    public override Region MapBack(Region output)
    {
        for (int i = Nodes.Count - 1; i >= 0; i--) output = Nodes[i].MapBack(output);
        return output;
    }
}
