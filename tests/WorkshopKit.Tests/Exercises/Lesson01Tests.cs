using WorkshopKit.Exercises;

namespace WorkshopKit.Tests.Exercises;

public class Lesson01Tests
{
    // Reference answers written out independently of the library: the textbook formulas, evaluated by hand.
    [Fact]
    public void RightAnswersPass()
    {
        Assert.True(Lesson01.CheckOutputSide(12).Passed);                  // floor((28 - 5) / 2) + 1
        Assert.True(Lesson01.CheckParameterCount(5 * 5 * 32 * 64 + 64).Passed);
        Assert.True(Lesson01.CheckRuleOfThumbFlops(2L * 25 * 1024 * 64 * 3).Passed);   // 2 k^2 R^2 M N
        Assert.True(Lesson01.CheckReceptiveField(13).Passed);              // 5 -> 11 -> 13
        Assert.StartsWith(ExerciseResult.CorrectWord, Lesson01.CheckOutputSide(12).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheOutputSideAgreesWithConv2dOnARealImage()
    {
        using var x = zeros(1, 1, Lesson01.OutputSideInput, Lesson01.OutputSideInput);
        using var w = zeros(1, 1, Lesson01.OutputSideKernel, Lesson01.OutputSideKernel);
        using var y = nn.functional.conv2d(x, w, strides: [Lesson01.OutputSideStride, Lesson01.OutputSideStride]);
        Assert.True(Lesson01.CheckOutputSide(y.shape[3]).Passed);
    }

    [Fact]
    public void TheParameterCountAgreesWithARealConv2d()
    {
        using var layer = nn.Conv2d(Lesson01.ParameterInChannels, Lesson01.ParameterOutChannels, Lesson01.ParameterKernel);
        long count = layer.parameters().Sum(p => p.numel());
        Assert.True(Lesson01.CheckParameterCount(count).Passed);
    }

    [Fact]
    public void TheReceptiveFieldAgreesWithTheGradientOfARealStack()
    {
        // 1 input pixel influences exactly the units whose field covers it; conversely the gradient of the centre
        // unit is non-zero on its whole field when all weights are positive (no cancellation, no ReLU).
        using var stack = nn.Sequential(nn.Conv2d(1, 1, 3, bias: false), nn.Conv2d(1, 1, 3, stride: 2, bias: false), nn.Conv2d(1, 1, 5, bias: false));
        using (no_grad()) foreach (var p in stack.parameters()) p.fill_(1.0);
        using var x = ones(1, 1, 32, 32).requires_grad_(true);
        using var y = stack.call(x);
        using var unit = y[0, 0, 2, 2];
        using var g = autograd.grad([unit], [x])[0];
        using var rows = g[0, 0].sum(1).nonzero();
        Assert.True(Lesson01.CheckReceptiveField(rows.shape[0]).Passed);
    }

    [Theory]
    [InlineData(24, "stride-1")]
    [InlineData(11, "+1")]
    [InlineData(14, "SAME")]
    [InlineData(13, "One too many")]
    public void OutputSideMistakesGetTheirHint(long answer, string expectedText)
    {
        var r = Lesson01.CheckOutputSide(answer);
        Assert.False(r.Passed);
        Assert.StartsWith(ExerciseResult.NotYetWord, r.Message, StringComparison.Ordinal);
        Assert.Contains(expectedText, r.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(51200, "bias")]
    [InlineData(51232, "OUTPUT channel")]
    [InlineData(20544, "k^2 weights")]
    public void ParameterMistakesGetTheirHint(long answer, string expectedText) =>
        Assert.Contains(expectedText, Lesson01.CheckParameterCount(answer).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(4_915_200, "factor 2")]
    [InlineData(2L * 25 * 32 * 64 * 3, "square")]
    [InlineData(2L * 25 * 1024 * 64, "M and by N")]
    public void FlopMistakesGetTheirHint(long answer, string expectedText) =>
        Assert.Contains(expectedText, Lesson01.CheckRuleOfThumbFlops(answer).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(9, "ignored the stride")]
    [InlineData(11, "double-counts")]
    [InlineData(45, "overshoots")]
    [InlineData(17, "Too much doubling")]
    [InlineData(15, "counts once")]
    public void ReceptiveFieldMistakesGetTheirHint(long answer, string expectedText) =>
        Assert.Contains(expectedText, Lesson01.CheckReceptiveField(answer).Message, StringComparison.Ordinal);

    [Fact]
    public void PlaceholdersGetAHintAndNoException()
    {
        foreach (var r in new[] { Lesson01.CheckOutputSide(0), Lesson01.CheckParameterCount(0), Lesson01.CheckRuleOfThumbFlops(0), Lesson01.CheckReceptiveField(0) })
        {
            Assert.False(r.Passed);
            Assert.Contains("placeholder", r.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AnUnlistedWrongAnswerGetsTheGeneralHint()
    {
        var r = Lesson01.CheckOutputSide(99);
        Assert.False(r.Passed);
        Assert.Contains("start positions", r.Message, StringComparison.Ordinal);
    }
}
