using WorkshopKit.Exercises;

namespace WorkshopKit.Tests.Exercises;

/// <summary>
/// The checkers of notebook 07: right answers (computed here by DenseNet's rules or by running a block, not by the
/// checker) pass; typical mistakes get their own hint; placeholders get a hint and no exception.
/// </summary>
public class Lesson07Tests
{
    private static void AssertHint(ExerciseResult result, string phrase)
    {
        Assert.False(result.Passed);
        Assert.StartsWith(ExerciseResult.NotYetWord, result.Message, StringComparison.Ordinal);
        Assert.Contains(phrase, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChannelsAfterBlock_RightAnswerPasses_TypicalMistakesGetTheirHint()
    {
        // Run a real block: 32 maps in, 5 layers of growth 16.
        using var block = new WorkshopKit.Blocks.DenseBlock(32, 5, 16);
        block.eval();
        long right;
        using (no_grad()) using (var y = block.call(zeros(1, 32, 4, 4))) right = y.shape[1];
        Assert.Equal(112, right);
        Assert.True(Lesson07.CheckChannelsAfterBlock(right).Passed);
        AssertHint(Lesson07.CheckChannelsAfterBlock(0), "Replace 0");
        AssertHint(Lesson07.CheckChannelsAfterBlock(80), "input is part of the concatenation");
        AssertHint(Lesson07.CheckChannelsAfterBlock(96), "Off by one");
        AssertHint(Lesson07.CheckChannelsAfterBlock(16), "single layer");
        AssertHint(Lesson07.CheckChannelsAfterBlock(160), "do not multiply");
        AssertHint(Lesson07.CheckChannelsAfterBlock(352), "bottleneck");
        AssertHint(Lesson07.CheckChannelsAfterBlock(50), "concatenation of its input");
    }

    [Fact]
    public void TransitionParameters_RightAnswerPasses_TypicalMistakesGetTheirHint()
    {
        // BN over 96 channels (scale + shift), 1x1 conv 96 -> 48 with bias, average pool: no parameters.
        long right = 2 * 96 + 96 * 48 + 48;
        Assert.True(Lesson07.CheckTransitionParameters(right).Passed);
        AssertHint(Lesson07.CheckTransitionParameters(0), "Replace 0");
        AssertHint(Lesson07.CheckTransitionParameters(96 * 48 + 48), "starts with batch norm");
        AssertHint(Lesson07.CheckTransitionParameters(96 * 48 + 192), "bias");
        AssertHint(Lesson07.CheckTransitionParameters(96 * 48), "weights only");
        AssertHint(Lesson07.CheckTransitionParameters(96 * 96 + 96 + 192), "Compression");
        AssertHint(Lesson07.CheckTransitionParameters(right + 4 * 96 * 48), "no weights");
        AssertHint(Lesson07.CheckTransitionParameters(96 + 96 * 48 + 48), "normalizes the 96 input channels");
        AssertHint(Lesson07.CheckTransitionParameters(7), "Add up three parts");
    }

    [Fact]
    public void ConcatenatedBytes_RightAnswerPasses_TypicalMistakesGetTheirHint()
    {
        // Copies: inputs of layers 2..4 (36, 48, 60 maps) and the output (72 maps), 28x28 float32.
        long right = (36 + 48 + 60 + 72) * 28 * 28 * 4;
        Assert.True(Lesson07.CheckConcatenatedBytes(right).Passed);
        AssertHint(Lesson07.CheckConcatenatedBytes(0), "Replace 0");
        AssertHint(Lesson07.CheckConcatenatedBytes(right / 4), "4 bytes");
        AssertHint(Lesson07.CheckConcatenatedBytes(72 * 784 * 4), "only the block's output");
        AssertHint(Lesson07.CheckConcatenatedBytes(right + 24 * 784 * 4), "Layer 1 receives");
        AssertHint(Lesson07.CheckConcatenatedBytes(48 * 784 * 4), "only the new maps");
        AssertHint(Lesson07.CheckConcatenatedBytes((36 + 48 + 60) * 784 * 4), "one more concatenation");
        AssertHint(Lesson07.CheckConcatenatedBytes(123), "List the concatenated tensors");
    }
}
