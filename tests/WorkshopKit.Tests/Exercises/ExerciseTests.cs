using WorkshopKit.Exercises;

namespace WorkshopKit.Tests.Exercises;

public class ExerciseTests
{
    [Fact]
    public void ARightAnswerIsCorrectAndAWrongOneGetsTheMatchingHint()
    {
        var hints = new[] { new Hint<int>(a => a == 28, "That is the input size: the window cannot start at the last 4 pixels.") };
        Assert.True(Exercise.Check("1", 24, 24, "24 = 28 - 5 + 1.", "Count window positions.", hints).Passed);

        var wrong = Exercise.Check("1", 28, 24, "", "Count window positions.", hints);
        Assert.False(wrong.Passed);
        Assert.StartsWith(ExerciseResult.NotYetWord, wrong.Message, StringComparison.Ordinal);
        Assert.Contains("cannot start at the last 4 pixels", wrong.Message, StringComparison.Ordinal);

        var other = Exercise.Check("1", 7, 24, "", "Count window positions.", hints);
        Assert.Contains("Count window positions.", other.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CloseAnswersPassWithinToleranceOnlyAndNaNNeverPasses()
    {
        Assert.True(Exercise.CheckClose("2", 0.30000000000000004, 0.3, 1e-9, "", "h").Passed);
        Assert.False(Exercise.CheckClose("2", 0.31, 0.3, 1e-9, "", "h").Passed);
        Assert.False(Exercise.CheckClose("2", double.NaN, 0.3, 1e-9, "", "h").Passed);
    }

    [Fact]
    public void TensorChecksReportShapeBeforeValues()
    {
        using var expected = ones(2, 3);
        using var wrongShape = ones(3, 2);
        using var wrongValues = zeros(2, 3);
        Assert.Contains("shape [3, 2]", Exercise.CheckTensor("3", wrongShape, expected, "", "h").Message, StringComparison.Ordinal);
        Assert.Contains("largest difference 1", Exercise.CheckTensor("3", wrongValues, expected, "", "h").Message, StringComparison.Ordinal);
        Assert.True(Exercise.CheckTensor("3", ones(2, 3), expected, "", "h").Passed);
        Assert.False(Exercise.CheckTensor("3", null, expected, "", "h").Passed);
    }

    [Fact]
    public void AComplexTensorIsNotTakenForItsRealPart()
    {
        using var expected = zeros(1);
        using var complexAnswer = complex(zeros(1), full(1, 5f));
        var r = Exercise.CheckTensor("c", complexAnswer, expected, "", "h");
        Assert.False(r.Passed); // 0+5i is not 0, although its real part is
        Assert.Contains("ComplexFloat32", r.Message, StringComparison.Ordinal);
        using var expectedComplex = complexAnswer.clone();
        Assert.True(Exercise.CheckTensor("c", complexAnswer, expectedComplex, "", "h").Passed);
        using var otherComplex = complex(zeros(1), full(1, 4f));
        Assert.Contains("largest difference 1", Exercise.CheckTensor("c", otherComplex, expectedComplex, "", "h").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheVerdictRendersAsHtmlWithTheMessageEscaped()
    {
        var r = Exercise.Check("4", "a<b", "x", "", "compare <, not >");
        Assert.Contains("compare &lt;, not &gt;", r.ToHtml(), StringComparison.Ordinal);
        Assert.Equal("Exercise 4: " + r.Message, r.ToString());
    }
}
