using WorkshopKit.Exercises;

namespace WorkshopKit.Tests.Exercises;

/// <summary>
/// The checkers of notebook 08: right answers (from the MAC formula, a linear layer's weight count, or a ratio
/// computed here from the profiler) pass; typical mistakes get their own hint; placeholders get a hint and no exception.
/// </summary>
public class Lesson08Tests
{
    private static void AssertHint(ExerciseResult result, string phrase)
    {
        Assert.False(result.Passed);
        Assert.StartsWith(ExerciseResult.NotYetWord, result.Message, StringComparison.Ordinal);
        Assert.Contains(phrase, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FirstConvMacs_RightAnswerPasses_TypicalMistakesGetTheirHint()
    {
        long right = 28 * 28 * 32 * 5 * 5 * 1; // SAME keeps 28x28; 32 maps; 25 taps on 1 channel
        Assert.True(Lesson08.CheckFirstConvMacs(right).Passed);
        AssertHint(Lesson08.CheckFirstConvMacs(0), "Replace 0");
        AssertHint(Lesson08.CheckFirstConvMacs(800), "weight count");
        AssertHint(Lesson08.CheckFirstConvMacs(24 * 24 * 800), "VALID");
        AssertHint(Lesson08.CheckFirstConvMacs(28 * 28 * 25), "32 output channels");
        AssertHint(Lesson08.CheckFirstConvMacs(2 * right), "FLOP");
        AssertHint(Lesson08.CheckFirstConvMacs(14 * 14 * 800), "max pool");
        AssertHint(Lesson08.CheckFirstConvMacs(5), "output positions");
    }

    [Fact]
    public void HeadParameters_RightAnswerPasses_TypicalMistakesGetTheirHint()
    {
        long right = 64 * 10 + 10;
        Assert.True(Lesson08.CheckHeadParameters(right).Passed);
        AssertHint(Lesson08.CheckHeadParameters(0), "Replace 0");
        AssertHint(Lesson08.CheckHeadParameters(640), "biases");
        AssertHint(Lesson08.CheckHeadParameters(64 * 49 * 10 + 10), "flattens");
        AssertHint(Lesson08.CheckHeadParameters(10), "Those are the biases");
        AssertHint(Lesson08.CheckHeadParameters(99), "one value per channel");
    }

    [Fact]
    public void MostMacsPerParameter_RightAnswerPasses_TypicalMistakesGetTheirHint()
    {
        // Ratios computed here from the profiler (all-taps MACs) and the modules' parameter lists, not from Describe.
        var ratios = WorkshopKit.Blocks.ModelZoo.Names.ToDictionary(n => n, n =>
        {
            using var m = WorkshopKit.Blocks.ModelZoo.Create(n);
            return WorkshopKit.Costs.ModelProfiler.Profile(m, [1, 1, 28, 28]).MacsAllTaps / (double)m.parameters().Sum(p => p.numel());
        });
        string right = ratios.MaxBy(r => r.Value).Key;
        Assert.Equal("densenet", right); // wide full-resolution maps; stated in the notebook's table as 33 M MACs for 103 k parameters
        Assert.True(Lesson08.CheckMostMacsPerParameter(right).Passed);
        Assert.True(Lesson08.CheckMostMacsPerParameter(" DenseNet ").Passed);
        AssertHint(Lesson08.CheckMostMacsPerParameter(""), "zoo name");
        AssertHint(Lesson08.CheckMostMacsPerParameter(null), "zoo name");
        AssertHint(Lesson08.CheckMostMacsPerParameter("vgg"), "Use one of the zoo names");
        AssertHint(Lesson08.CheckMostMacsPerParameter("plain"), "lowest ratio");
        AssertHint(Lesson08.CheckMostMacsPerParameter("resnet"), "fewest parameters");
        AssertHint(Lesson08.CheckMostMacsPerParameter("collaborative"), "Divide each model's MACs");
    }
}
