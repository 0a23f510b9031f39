using WorkshopKit.Exercises;

namespace WorkshopKit.Tests.Exercises;

public class Lesson05Tests
{
    [Fact]
    public void RightAnswersPass()
    {
        // Independent references: the weight count by the k*k*N*M formula of the outline; the field of branch 2 twice
        // (1x1, 3x3, 3x3 with stride 2 on the last, then the same again) by the recurrence r += (k - 1) * jump,
        // jump *= stride, over the six layers; the MACs of a stride-2 1x1 conv from a loop over its output positions
        // (14x14, SAME) times channels (24 in, 48 / 4 out).
        long field = 1, jump = 1;
        foreach (var (k, s) in new (long, long)[] { (1, 1), (3, 1), (3, 2), (1, 1), (3, 1), (3, 2) })
        {
            field += (k - 1) * jump;
            jump *= s;
        }
        Assert.Equal(13, field);
        long macs = 0;
        for (int r = 0; r < 28; r += 2)
            for (int c = 0; c < 28; c += 2)
                macs += 12 * 24;
        foreach (var result in new[]
                 {
                     Lesson05.CheckBigFilterWeights(5 * 5 * 16 * 32),
                     Lesson05.CheckBranchField(field),
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
    [InlineData(5L, "one block's window")]
    [InlineData(10L, "do not add in input pixels")]
    [InlineData(25L, "does not multiply")]
    [InlineData(9L, "wrong spacing")]
    [InlineData(11L, "sit 2 input pixels apart")]
    public void BranchFieldMistakesGetTheirHint(long answer, string hint) => AssertHint(Lesson05.CheckBranchField(answer), hint);

    [Theory]
    [InlineData(0L, "placeholder")]
    [InlineData(225792L, "all 28x28 positions")]   // also 14x14 positions x all 48 channels: the hint names both
    [InlineData(28L * 28 * 48 * 24, "Two slips")]
    [InlineData(225792L / 2, "a quarter")]
    [InlineData(14L * 14 * 12, "multiply by 24")]
    [InlineData(5L, "output positions x output channels")]
    public void StridedBranchMistakesGetTheirHint(long answer, string hint) => AssertHint(Lesson05.CheckStridedBranchMacs(answer), hint);

    private static void AssertHint(ExerciseResult result, string hint)
    {
        Assert.False(result.Passed);
        Assert.StartsWith(ExerciseResult.NotYetWord, result.Message, StringComparison.Ordinal);
        Assert.Contains(hint, result.Message, StringComparison.Ordinal);
    }
}
