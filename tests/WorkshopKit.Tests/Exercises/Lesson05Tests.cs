using WorkshopKit.Exercises;

namespace WorkshopKit.Tests.Exercises;

public class Lesson05Tests
{
    [Fact]
    public void RightAnswersPass()
    {
        // Independent references: the weight count by the k*k*N*M formula of the outline; the field of
        // 1x1 -> 3x3 -> 3x3 by the rule "each k x k layer adds k - 1"; the MACs of a stride-2 1x1 conv from
        // a loop over its output positions (14x14, SAME) times channels.
        long macs = 0;
        for (int r = 0; r < 28; r += 2)
            for (int c = 0; c < 28; c += 2)
                macs += 8 * 16;
        foreach (var result in new[]
                 {
                     Lesson05.CheckBigFilterWeights(5 * 5 * 16 * 32),
                     Lesson05.CheckBranchField(1 + 0 + 2 + 2),
                     Lesson05.CheckStridedBranchMacs(macs),
                 })
        {
            Assert.True(result.Passed, result.Message);
            Assert.StartsWith(ExerciseResult.CorrectWord, result.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0L, "placeholder")]
    [InlineData(800L, "both channel counts multiply")]
    [InlineData(12832L, "without the bias")]
    [InlineData(4608L, "3x3 convolution")]
    [InlineData(2560L, "both sides count")]
    [InlineData(1L, "kernel height x kernel width")]
    public void BigFilterMistakesGetTheirHint(long answer, string hint) => AssertHint(Lesson05.CheckBigFilterWeights(answer), hint);

    [Theory]
    [InlineData(0L, "placeholder")]
    [InlineData(7L, "do not simply add")]
    [InlineData(3L, "two of them in series")]
    [InlineData(9L, "does not multiply")]
    [InlineData(4L, "1 + 2 + 2")]
    [InlineData(11L, "each k x k layer adds k - 1")]
    public void BranchFieldMistakesGetTheirHint(long answer, string hint) => AssertHint(Lesson05.CheckBranchField(answer), hint);

    [Theory]
    [InlineData(0L, "placeholder")]
    [InlineData(100352L, "all 28x28 positions")]   // also 14x14 positions x all 32 channels: the hint names both
    [InlineData(28L * 28 * 32 * 16, "Two slips")]
    [InlineData(100352L / 2, "a quarter")]
    [InlineData(14L * 14 * 8, "multiply by 16")]
    [InlineData(5L, "output positions x output channels")]
    public void StridedBranchMistakesGetTheirHint(long answer, string hint) => AssertHint(Lesson05.CheckStridedBranchMacs(answer), hint);

    private static void AssertHint(ExerciseResult result, string hint)
    {
        Assert.False(result.Passed);
        Assert.StartsWith(ExerciseResult.NotYetWord, result.Message, StringComparison.Ordinal);
        Assert.Contains(hint, result.Message, StringComparison.Ordinal);
    }
}
