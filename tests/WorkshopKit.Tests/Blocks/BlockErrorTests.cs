using WorkshopKit.Blocks;
using WorkshopKit.Geometry;

namespace WorkshopKit.Tests.Blocks;

public class BlockErrorTests
{
    [Fact]
    public void ChannelMismatchNamesTheBlockTheExpectedAndTheActualShape()
    {
        var block = new CollaborativeBlock(16, 32, name: "collab1");
        var e = Assert.Throws<BlockShapeException>(() => block.call(zeros(1, 3, 28, 28)));
        Assert.Contains("collab1", e.Message, StringComparison.Ordinal);
        Assert.Contains("16 input channels", e.Message, StringComparison.Ordinal);
        Assert.Contains("3x28x28", e.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANestedMismatchIsReportedByTheInnermostBlockWithItsShapes()
    {
        var model = new BlockSequence("net", new ConvLayer(1, 8, 3, name: "first"), new ResidualBlock(16, 16, name: "res"));
        var e = Assert.Throws<BlockShapeException>(() => model.OutputShape(new FeatureShape(1, 28, 28)));
        Assert.Equal("res", e.BlockName);
        Assert.Contains("8x28x28", e.Actual, StringComparison.Ordinal);
    }

    [Fact]
    public void MapsTooSmallForTheStridesAreRefusedBeforeLibTorchSeesThem()
    {
        // Two VALID 3x3 stride-2 convolutions need 7 pixels; a 5x5 input leaves 2x2 for the second conv... then 3x3 fails.
        var net = new BlockSequence("net", new ConvLayer(1, 1, 3, 2, ConvPadding.Valid, name: "a"), new ConvLayer(1, 1, 3, 2, ConvPadding.Valid, name: "b"));
        var e = Assert.Throws<BlockShapeException>(() => net.call(zeros(1, 1, 5, 5)));
        Assert.Equal("b", e.BlockName);
        Assert.Contains("at least 3x3", e.Message, StringComparison.Ordinal);
        Assert.Contains("1x2x2", e.Message, StringComparison.Ordinal);
        var pool = new TransitionLayer(8);
        var p = Assert.Throws<BlockShapeException>(() => pool.call(zeros(1, 8, 1, 1)));
        Assert.Contains("avgpool2x2", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AShapeThatFitsDoesNotExcuseALaterOneThatDoesNot()
    {
        // Each block remembers the last sample shape it traced (so a training loop traces once); a new shape is traced again.
        var net = new BlockSequence("net", new ConvLayer(1, 1, 3, 2, ConvPadding.Valid, name: "a"), new ConvLayer(1, 1, 3, 2, ConvPadding.Valid, name: "b"));
        using (var y = net.call(zeros(2, 1, 9, 9))) Assert.Equal([2L, 1, 1, 1], y.shape);
        using (var y = net.call(zeros(5, 1, 9, 9))) Assert.Equal([5L, 1, 1, 1], y.shape);
        var e = Assert.Throws<BlockShapeException>(() => net.call(zeros(1, 1, 5, 5)));
        Assert.Equal("b", e.BlockName);
        var c = Assert.Throws<BlockShapeException>(() => net.call(zeros(1, 2, 9, 9)));
        Assert.Equal("a", c.BlockName);
    }

    [Fact]
    public void GrowthRateBelowOneIsRefusedWithTheRule()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DenseBlock(8, 4, 0));
        Assert.Contains("dense block", e.Message, StringComparison.Ordinal);
        Assert.Contains("growth rate", e.Message, StringComparison.Ordinal);
        Assert.Contains("got 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BranchesThatCannotBeConcatenatedAreNamed()
    {
        var valid3 = new Branch("3x3 valid", [new BranchOp(BranchOpKind.Conv, 3, Padding: ConvPadding.Valid)]);
        var block = new CollaborativeBlock(4, 8, branches: [Branch.Of(BranchOp.Conv(1)), valid3]);
        var e = Assert.Throws<BlockShapeException>(() => block.call(zeros(1, 4, 10, 10)));
        Assert.Contains("3x3 valid", e.Message, StringComparison.Ordinal);
        Assert.Contains("4x8x8", e.Message, StringComparison.Ordinal);
        Assert.Contains("4x10x10", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputChannelsThatDoNotSplitOverTheBranchesAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new CollaborativeBlock(4, 10));
        Assert.Contains("10 output channels", e.Message, StringComparison.Ordinal);
        Assert.Contains("4 concatenated branches", e.Message, StringComparison.Ordinal);
        Assert.Contains("12", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TransposedBranchEndingInPoolingIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new CollaborativeBlock(4, 8, 2, [Branch.Of(BranchOp.Conv(1), BranchOp.MaxPool(3))], transposed: true));
        Assert.Contains("max pool", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThreeDimensionalInputAsksForABatchDimension()
    {
        var e = Assert.Throws<BlockShapeException>(() => new ConvLayer(1, 1, 3).call(zeros(1, 28, 28)));
        Assert.Contains("unsqueeze(0)", e.Message, StringComparison.Ordinal);
    }
}
