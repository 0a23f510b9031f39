using TorchSharp;
using WorkshopKit.Blocks;
using WorkshopKit.Inspection;
using static TorchSharp.torch;

namespace WorkshopKit.Tests.Inspection;

public class ModuleComparisonTests
{
    [Fact]
    public void TheSameLayersAreTheSameComputationAndADifferentWiringIsNot()
    {
        // Reference: two TorchSharp Sequentials of the same layers; a third with the same weights but the ReLU moved.
        manual_seed(3);
        var input = randn(2, 4, 8, 8);
        using var a = nn.Sequential(nn.Conv2d(4, 6, 3, padding: 1), nn.ReLU(), nn.Conv2d(6, 2, 1));
        using var b = nn.Sequential(nn.Conv2d(4, 6, 3, padding: 1), nn.ReLU(), nn.Conv2d(6, 2, 1));
        var same = ModuleComparison.Of("a vs b", a, b, input);
        Assert.True(same.Same, same.ToString());
        Assert.Equal(4 * 6 * 9 + 6 + 6 * 2 + 2, same.Parameters);
        using var moved = nn.Sequential(nn.Conv2d(4, 6, 3, padding: 1), nn.Conv2d(6, 2, 1), nn.ReLU());
        var different = ModuleComparison.Of("moved ReLU", moved, b, input);
        Assert.False(different.Same);
        Assert.True(different.MaxDifference > 0);
        Assert.Contains("NOT the same computation", different.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ModulesThatCannotShareWeightsAreRefusedWithTheShapes()
    {
        using var a = nn.Sequential(nn.Conv2d(4, 6, 3));
        using var b = nn.Sequential(nn.Conv2d(4, 6, 5));
        var e = Assert.Throws<ArgumentException>(() => ModuleComparison.Of("k3 vs k5", a, b, randn(1, 4, 9, 9)));
        Assert.Contains("[6, 4, 3, 3]", e.Message, StringComparison.Ordinal);
        Assert.Contains("[6, 4, 5, 5]", e.Message, StringComparison.Ordinal);
        using var c = nn.Sequential(nn.Conv2d(4, 6, 3), nn.Conv2d(6, 6, 1));
        Assert.Throws<ArgumentException>(() => ModuleComparison.Of("one vs two", a, c, randn(1, 4, 9, 9)));
    }

    [Fact]
    public void TrainingModeIsRestored()
    {
        using var a = new ResidualBlock(4, 4);
        using var b = new ResidualBlock(4, 4);
        a.train();
        b.eval();
        ModuleComparison.Of("modes", a, b, randn(2, 4, 6, 6));
        Assert.True(a.training);
        Assert.False(b.training);
    }
}
