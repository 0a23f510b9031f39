using WorkshopKit.Exercises;

namespace WorkshopKit.Tests.Exercises;

public class Lesson00Tests
{
    [Fact]
    public void BatchElementCountIsTheProductOfTheSizes()
    {
        // Independent reference: count the elements of a 64x1x28x28 batch with a loop over every index.
        long count = 0;
        for (int n = 0; n < 64; n++)
            for (int c = 0; c < 1; c++)
                for (int h = 0; h < 28; h++)
                    for (int w = 0; w < 28; w++)
                        count++;

        var right = Lesson00.CheckBatchElements(count);

        Assert.True(right.Passed, right.Message);
        Assert.StartsWith(ExerciseResult.CorrectWord, right.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L, "placeholder")]
    [InlineData(784L, "one image")]
    [InlineData(1792L, "both sides count")]
    [InlineData(121L, "multiply, they do not add")]
    [InlineData(12345L, "product of all its sizes")]
    public void WrongAnswersGetTheHintForTheirMistake(long answer, string hint)
    {
        var result = Lesson00.CheckBatchElements(answer);

        Assert.False(result.Passed);
        Assert.StartsWith(ExerciseResult.NotYetWord, result.Message, StringComparison.Ordinal);
        Assert.Contains(hint, result.Message, StringComparison.Ordinal);
    }
}
