using WorkshopKit.Exercises;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Tests.Exercises;

public class Lesson04Tests
{
    [Fact]
    public void CeilModePoolSizeAcceptsWhatTorchProducesAndExplainsFloorMode()
    {
        // Independent reference: libtorch's own max_pool2d in ceil mode.
        using var x = ones(1, 1, Lesson04.PoolInput, Lesson04.PoolInput);
        using var pooled = F.max_pool2d(x, [3, 3], [2, 2], ceil_mode: true);
        using var floorPooled = F.max_pool2d(x, [3, 3], [2, 2]);
        Assert.True(Lesson04.CheckCeilModePoolSize(pooled.shape[2]).Passed);

        var floor = Lesson04.CheckCeilModePoolSize(floorPooled.shape[2]);
        Assert.False(floor.Passed);
        Assert.Contains("floor mode", floor.Message, StringComparison.Ordinal);
        Assert.Contains("forget the + 1", Lesson04.CheckCeilModePoolSize(12).Message, StringComparison.Ordinal);
        Assert.Contains("by the stride", Lesson04.CheckCeilModePoolSize(9).Message, StringComparison.Ordinal);
        var placeholder = Lesson04.CheckCeilModePoolSize(0);
        Assert.False(placeholder.Passed);
        Assert.Contains("Replace the 0", placeholder.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(9)]
    public void KernelsThatThreeDividesOverlapEvenlyWithStrideThree(long kernel) =>
        Assert.True(Lesson04.CheckEvenOverlapKernel(kernel).Passed);

    [Theory]
    [InlineData(4, "overlaps unevenly")]
    [InlineData(5, "overlaps unevenly")]
    [InlineData(1, "no tap at all")]
    [InlineData(2, "no tap at all")]
    [InlineData(0, "Replace the 0")]
    [InlineData(-3, "small positive number")]
    public void UnevenKernelsGetTheirHint(long kernel, string hint)
    {
        var result = Lesson04.CheckEvenOverlapKernel(kernel);
        Assert.False(result.Passed);
        Assert.Contains(hint, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TransposedOutputSizeAcceptsTorchsSizeAndNamesTheMissingTerm()
    {
        var (n, k, s, p, op) = Lesson04.TransposedSetting;
        // Independent reference: libtorch's conv_transpose2d with the same arguments.
        using var x = ones(1, 1, n, n);
        using var w = ones(1, 1, k, k);
        using var y = F.conv_transpose2d(x, w, strides: [s, s], padding: [p, p], output_padding: [op, op]);
        Assert.True(Lesson04.CheckTransposedOutputSize(y.shape[2]).Passed);

        Assert.Contains("output padding", Lesson04.CheckTransposedOutputSize(y.shape[2] - op).Message, StringComparison.Ordinal);
        Assert.Contains("CROPS", Lesson04.CheckTransposedOutputSize(y.shape[2] + 2 * p).Message, StringComparison.Ordinal);
        Assert.Contains("forward convolution", Lesson04.CheckTransposedOutputSize(4).Message, StringComparison.Ordinal);
        Assert.Contains("Replace the 0", Lesson04.CheckTransposedOutputSize(0).Message, StringComparison.Ordinal);
        Assert.False(Lesson04.CheckTransposedOutputSize(99).Passed);
    }
}
