using WorkshopKit.Exercises;

namespace WorkshopKit.Tests.Exercises;

public class Lesson06Tests
{
    [Fact]
    public void RightAnswersPass()
    {
        // Independent references: stride 2 changes the spatial size, so the shapes of x and F(x) differ (true);
        // a 1x1 conv has in*out weights (24*48); the chain rule gives (1 + 0.1)^10 for ten blocks x + 0.1x.
        foreach (var result in new[]
                 {
                     Lesson06.CheckNeedsProjection(true),
                     Lesson06.CheckProjectionWeights(24 * 48),
                     Lesson06.CheckResidualChainGradient(Math.Pow(1.1, 10)),
                 })
        {
            Assert.True(result.Passed, result.Message);
            Assert.StartsWith(ExerciseResult.CorrectWord, result.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null, "Replace null")]
    [InlineData(false, "look at the stride")]
    public void ProjectionMistakesGetTheirHint(bool? answer, string hint) => AssertHint(Lesson06.CheckNeedsProjection(answer), hint);

    [Theory]
    [InlineData(0L, "placeholder")]
    [InlineData(10368L, "1x1, not 3x3")]
    [InlineData(2304L, "not how many weights")]
    [InlineData(1200L, "without the bias")]
    [InlineData(24L, "multiply the channel counts")]
    [InlineData(7L, "in channels x out channels")]
    public void ProjectionWeightMistakesGetTheirHint(long answer, string hint) => AssertHint(Lesson06.CheckProjectionWeights(answer), hint);

    [Theory]
    [InlineData(0.0, "placeholder")]
    [InlineData(1e-10, "plain chain")]
    [InlineData(2.0, "do not add")]
    [InlineData(1.1, "ten in the chain")]
    [InlineData(double.NaN, "per-block factors")]
    [InlineData(5.0, "per-block factors")]
    public void ChainGradientMistakesGetTheirHint(double answer, string hint) => AssertHint(Lesson06.CheckResidualChainGradient(answer), hint);

    private static void AssertHint(ExerciseResult result, string hint)
    {
        Assert.False(result.Passed);
        Assert.StartsWith(ExerciseResult.NotYetWord, result.Message, StringComparison.Ordinal);
        Assert.Contains(hint, result.Message, StringComparison.Ordinal);
    }
}
