using WorkshopKit.Blocks;

namespace WorkshopKit.Tests.Blocks;

public class BranchBreakdownTests
{
    [Fact]
    public void AuthorBlockBranchesHaveTheTextbookFieldsAndCosts()
    {
        using var block = new CollaborativeBlock(16, 32, stride: 2);
        var b = BranchBreakdown.Of(block, new FeatureShape(16, 28, 28));

        // Receptive fields by the rule "each k x k step adds k - 1 input pixels" (stride acts only after the last step):
        // 1x1->3x3 = 3, 1x1->3x3->3x3 = 5, 3x3 pool->1x1 = 3, 1x1 = 1.
        Assert.Equal([3.0, 5.0, 3.0, 1.0], b.Branches.Select(x => x.Field.Size));
        Assert.All(b.Branches, x => Assert.Equal(new FeatureShape(8, 14, 14), x.Output));

        // Parameters by hand: conv weights k*k*in*out (no bias, a batch norm follows) + 2 per BN channel.
        long Conv(long k, long i, long o) => k * k * i * o + 2 * o;
        Assert.Equal(Conv(1, 16, 8) + Conv(3, 8, 8), b.Branches[0].Parameters);
        Assert.Equal(Conv(1, 16, 8) + Conv(3, 8, 8) + Conv(3, 8, 8), b.Branches[1].Parameters);
        Assert.Equal(Conv(1, 16, 8), b.Branches[2].Parameters);
        Assert.Equal(Conv(1, 16, 8), b.Branches[3].Parameters);

        // MACs by hand: output positions x k*k*in*out; the stride-2 step gives 14x14, the others 28x28.
        Assert.Equal(28 * 28 * 16 * 8 + 14 * 14 * 9 * 8 * 8, b.Branches[0].Macs);
        Assert.Equal(28 * 28 * 16 * 8 + 28 * 28 * 9 * 8 * 8 + 14 * 14 * 9 * 8 * 8, b.Branches[1].Macs);
        Assert.Equal(14 * 14 * 16 * 8, b.Branches[2].Macs);
        Assert.Equal(14 * 14 * 16 * 8, b.Branches[3].Macs);
    }

    [Fact]
    public void BranchesAddUpToTheBlockAndToTorchSharpsParameterCount()
    {
        using var block = new CollaborativeBlock(16, 32, branches: Branches.DilatedExtension);
        var b = BranchBreakdown.Of(block, new FeatureShape(16, 20, 20));
        long torchCount = block.parameters().Sum(p => p.numel());
        Assert.Equal(torchCount, b.Branches.Sum(x => x.Parameters));
        Assert.Equal(b.Total.Macs, b.Branches.Sum(x => x.Macs));
        // Dilated 3x3 with dilation d spans 2d + 1 pixels: 5 and 7 after the 1x1.
        Assert.Equal(5.0, b.Branches[0].Field.Size);
        Assert.Equal(7.0, b.Branches[1].Field.Size);
        Assert.Contains("whole block", b.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TransposedTwinBranchesDoubleTheSize()
    {
        using var block = new CollaborativeBlock(32, 16, stride: 2, transposed: true, branches: [Branch.Of(BranchOp.Conv(1), BranchOp.Conv(3)), Branch.Of(BranchOp.Conv(1))]);
        var b = BranchBreakdown.Of(block, new FeatureShape(32, 7, 7));
        Assert.All(b.Branches, x => Assert.Equal(new FeatureShape(8, 14, 14), x.Output));
        using var y = block.call(torch.zeros(1, 32, 7, 7));
        Assert.Equal([1L, 16, 14, 14], y.shape);
    }
}
