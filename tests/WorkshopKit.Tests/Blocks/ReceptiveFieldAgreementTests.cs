using WorkshopKit.Blocks;
using WorkshopKit.ReceptiveFields;

namespace WorkshopKit.Tests.Blocks;

public class ReceptiveFieldAgreementTests
{
    // Two independent computations of the same field: ReceptiveField.Row maps output regions back to the input through
    // a graph written by hand from each block's documented structure (Araujo et al.'s mapping), while Describe builds the
    // field up layer by layer with the recurrence r += (k_eff - 1)·jump.
    private static long CoreSize(RfNode node) => ReceptiveField.Row("x", node).Size.Height;

    [Fact]
    public void CollaborativeBlockFieldIsItsWidestBranch()
    {
        var block = new CollaborativeBlock(8, 16, stride: 2);
        var graph = RfNode.Branches(
            RfNode.Chain(RfLayer.Conv(1), RfLayer.Conv(3, 2, 1)),
            RfNode.Chain(RfLayer.Conv(1), RfLayer.Conv(3, 1, 1), RfLayer.Conv(3, 2, 1)),
            RfNode.Chain(RfLayer.Pool(3, 1, 1), RfLayer.Conv(1, 2)),
            RfLayer.Conv(1, 2));
        Assert.Equal(CoreSize(graph), (long)block.Describe(new FeatureShape(8, 16, 16)).Field.Size);
    }

    [Fact]
    public void ResidualBlockFieldIsItsMainPath()
    {
        var block = new ResidualBlock(8, 16, stride: 2);
        var graph = RfNode.Branches(RfNode.Chain(RfLayer.Conv(3, 2, 1), RfLayer.Conv(3, 1, 1)), RfLayer.Conv(1, 2));
        Assert.Equal(CoreSize(graph), (long)block.Describe(new FeatureShape(8, 16, 16)).Field.Size);
    }

    [Fact]
    public void PlainStackFieldMatchesTheCoreChain()
    {
        var stack = ModelZoo.PlainStack(8);
        // stem, then pairs (stride 2 on the first conv of pairs 0 and 2 of 3... as built), then the last conv.
        var convs = stack.Blocks.OfType<ConvLayer>().Select(c => (RfNode)RfLayer.Conv((int)c.KernelSize.Height, (int)c.Stride.Height, 1)).ToArray();
        Assert.Equal(8, convs.Length);
        var report = stack.Describe(FeatureShape.Mnist);
        var beforeHead = report.Layers[^2];
        Assert.Equal("plain stack (8 conv)/conv8", beforeHead.Name);
        var walked = new BlockSequence("convs", [.. stack.Blocks.OfType<ConvLayer>()]).Describe(FeatureShape.Mnist).Field.Size;
        Assert.Equal(CoreSize(RfNode.Chain(convs)), (long)walked);
    }
}
