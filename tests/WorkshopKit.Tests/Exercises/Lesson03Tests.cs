using WorkshopKit.Exercises;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Tests.Exercises;

/// <summary>
/// The checkers of notebook 03: right answers (computed here from TorchSharp's output shapes or TensorFlow's
/// published SAME formula, not from the checker) pass; typical mistakes get their own hint; placeholders get a hint.
/// </summary>
public class Lesson03Tests
{
    private static (int, int) ConvShape(int size, int kernel, (int Height, int Width) stride, int dilation = 1)
    {
        using var scope = NewDisposeScope();
        var y = F.conv2d(zeros(1, 1, size, size), zeros(1, 1, kernel, kernel), strides: [stride.Height, stride.Width], dilation: [dilation, dilation]);
        return ((int)y.shape[2], (int)y.shape[3]);
    }

    // TensorFlow's documented SAME rule: out = ceil(in / s), total = max((out - 1) s + k - in, 0), before = total / 2.
    private static (int Output, int Before, int After) TensorFlowSame(int input, int kernel, int stride)
    {
        int output = (int)Math.Ceiling(input / (double)stride);
        int total = Math.Max((output - 1) * stride + kernel - input, 0);
        return (output, total / 2, total - total / 2);
    }

    private static void AssertHint(ExerciseResult result, string phrase)
    {
        Assert.False(result.Passed);
        Assert.StartsWith(ExerciseResult.NotYetWord, result.Message, StringComparison.Ordinal);
        Assert.Contains(phrase, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StridedOutput_RightAnswerPasses_TypicalMistakesGetTheirHint()
    {
        var right = ConvShape(28, 5, (2, 3));
        Assert.Equal((12, 8), right); // floor(23/2)+1, floor(23/3)+1
        Assert.True(Lesson03.CheckStridedOutput(right).Passed);
        AssertHint(Lesson03.CheckStridedOutput((0, 0)), "Replace (0, 0)");
        AssertHint(Lesson03.CheckStridedOutput((8, 12)), "swapped");
        AssertHint(Lesson03.CheckStridedOutput((24, 24)), "stride-1 answer");
        AssertHint(Lesson03.CheckStridedOutput((14, 10)), "SAME rule");
        AssertHint(Lesson03.CheckStridedOutput((11, 7)), "Off by one");
        AssertHint(Lesson03.CheckStridedOutput((13, 9)), "rounded");
        AssertHint(Lesson03.CheckStridedOutput((12, 12)), "own stride");
        AssertHint(Lesson03.CheckStridedOutput((5, 3)), "Count where a window can start");
    }

    [Fact]
    public void SamePadding_RightAnswerPasses_WrongSideAndWrongTotalGetTheirHint()
    {
        var right = TensorFlowSame(28, 7, 2);
        Assert.Equal((14, 2, 3), right);
        Assert.True(Lesson03.CheckSamePadding(right).Passed);
        AssertHint(Lesson03.CheckSamePadding((0, 0, 0)), "Replace (0, 0, 0)");
        AssertHint(Lesson03.CheckSamePadding((14, 3, 2)), "wrong side");
        AssertHint(Lesson03.CheckSamePadding((14, 3, 3)), "kernel // 2");
        AssertHint(Lesson03.CheckSamePadding((14, 1, 1)), "total padding");
        AssertHint(Lesson03.CheckSamePadding((ConvShape(28, 7, (2, 2)).Item1, 0, 0)), "VALID");
        AssertHint(Lesson03.CheckSamePadding((28, 3, 3)), "ignores the stride");
        AssertHint(Lesson03.CheckSamePadding((15, 2, 3)), "ceil(input / stride)");
    }

    [Fact]
    public void PortedPadding_TheRightAmountsReproduceTensorFlowValues_SymmetricPaddingGetsItsHint()
    {
        var tf = TensorFlowSame(28, 5, 2);
        Assert.True(Lesson03.CheckPortedPadding((tf.Before, tf.After)).Passed);
        AssertHint(Lesson03.CheckPortedPadding((2, 2)), "padding=2");
        AssertHint(Lesson03.CheckPortedPadding((2, 1)), "wrong side");
        AssertHint(Lesson03.CheckPortedPadding((0, 0)), "Without zeros");
        AssertHint(Lesson03.CheckPortedPadding((0, 3)), "total is right");
        AssertHint(Lesson03.CheckPortedPadding((5, 5)), "ceil(28 / 2)");

        // The hint's claim: symmetric padding 2 gives the same size but different values (windows shifted by one cell).
        using var scope = NewDisposeScope();
        manual_seed(3);
        var x = rand(1, 1, 28, 28);
        var w = rand(1, 1, 5, 5);
        var asTf = F.conv2d(F.pad(x, [tf.Before, tf.After, tf.Before, tf.After]), w, strides: [2, 2]);
        var symmetric = F.conv2d(x, w, strides: [2, 2], padding: [2, 2]);
        Assert.Equal(asTf.shape, symmetric.shape);
        Assert.False(asTf.allclose(symmetric));
    }

    [Fact]
    public void Dilation_RightAnswerPasses_CommonMiscountsGetTheirHint()
    {
        int output = ConvShape(28, 3, (1, 1), dilation: 3).Item1;
        Assert.Equal(22, output);
        Assert.True(Lesson03.CheckDilation((3 * (3 - 1) + 1, output)).Passed);
        AssertHint(Lesson03.CheckDilation((0, 0)), "Replace (0, 0)");
        AssertHint(Lesson03.CheckDilation((9, 20)), "d * k");
        AssertHint(Lesson03.CheckDilation((6, 23)), "last tap's own cell");
        AssertHint(Lesson03.CheckDilation((3, 26)), "spreads them apart");
        AssertHint(Lesson03.CheckDilation((7, 26)), "undilated");
        AssertHint(Lesson03.CheckDilation((7, 21)), "Off by one");
        AssertHint(Lesson03.CheckDilation((7, 28)), "VALID adds no zeros");
    }
}
