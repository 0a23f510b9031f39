using WorkshopKit.Blocks;
using static TorchSharp.torch;

namespace WorkshopKit.Exercises;

/// <summary>
/// Exercises of 05-collaborative-filters: what one big filter costs, how far a branch of the author's block sees,
/// and what a stride does to a branch's cost. Expected answers come from TorchSharp layers and the block's own
/// description, so the notebook never contains them.
/// </summary>
/// <remarks>First used in notebook 05 (Collaborative filters: several filter sizes side by side), section "Exercise 5.1: one big filter".</remarks>
public static class Lesson05
{
    /// <summary>The block the exercises ask about: the author's four branches, 16 → 32 channels, stride 2, on 16x28x28 maps.</summary>
    public static CollaborativeBlock Block() => new(16, 32, stride: 2);

    /// <summary>The input the exercises use: 16 maps of 28x28.</summary>
    public static FeatureShape Input { get; } = new(16, 28, 28);

    /// <summary>Exercise 5.1: the weights (no bias) of one 5x5 convolution from 16 to 32 channels, counted by a TorchSharp layer.</summary>
    public static ExerciseResult CheckBigFilterWeights(long answer)
    {
        using var conv = nn.Conv2d(16, 32, 5, bias: false);
        long expected = conv.weight!.numel();
        return Exercise.Check("5.1", answer, expected,
            $"{expected:N0} weights: every one of the 32 filters has a 5x5 window on each of the 16 input maps.",
            "Each output channel has one 5x5 filter per input channel: kernel height x kernel width x in channels x out channels.",
            new Hint<long>(a => a == 0, "Replace the 0 placeholder with your count (an expression such as 5 * 5 * 2 is fine)."),
            new Hint<long>(a => a == 5 * 5 * 32 || a == 5 * 5 * 16, "A filter spans all 16 input channels, and there are 32 of them: both channel counts multiply."),
            new Hint<long>(a => a == 5 * 5 * 16 * 32 + 32, "The question counts weights without the bias: leave out the 32 biases."),
            new Hint<long>(a => a == 3 * 3 * 16 * 32, "That is a 3x3 convolution; the big filter is 5x5."),
            new Hint<long>(a => a == 5 * 16 * 32, "The window is 5 wide and 5 high: both sides count."));
    }

    /// <summary>Exercise 5.2: the receptive field side of branch 2 (1x1 → 3x3 → 3x3), read from the block's own walk.</summary>
    public static ExerciseResult CheckBranchField(long answer)
    {
        using var block = Block();
        long expected = (long)BranchBreakdown.Of(block, Input).Branches[1].Field.Size;
        return Exercise.Check("5.2", answer, expected,
            $"{expected}x{expected}: two stacked 3x3 windows see as far as one 5x5 window, for fewer weights.",
            "Start from 1 pixel; each k x k layer adds k - 1 pixels (the stride only acts after the last layer, so it does not widen this field).",
            new Hint<long>(a => a == 0, "Replace the 0 placeholder with the side of the window, in pixels."),
            new Hint<long>(a => a == 1 + 3 + 3, "Kernel sizes do not simply add: a 1x1 adds nothing and each 3x3 adds 2 pixels to the side."),
            new Hint<long>(a => a == 3, "That is one 3x3 layer. Branch 2 has two of them in series: the second looks at 3x3 outputs of the first."),
            new Hint<long>(a => a == 9, "Stacking does not multiply the window: each 3x3 layer widens it by 2 pixels."),
            new Hint<long>(a => a == 6 || a == 4, "Count the pixels of the window, not the steps: 1 + 2 + 2."));
    }

    /// <summary>Exercise 5.3: the MACs of branch 4 (a 1x1 convolution, 16 → 8 channels, stride 2) on a 28x28 input, from the block's description.</summary>
    public static ExerciseResult CheckStridedBranchMacs(long answer)
    {
        using var block = Block();
        long expected = BranchBreakdown.Of(block, Input).Branches[3].Macs;
        long full = 28L * 28 * 8 * 16;
        return Exercise.Check("5.3", answer, expected,
            $"{expected:N0} MACs: stride 2 keeps a quarter of the positions (14x14), and each does 16 x 8 multiply-accumulates.",
            "MACs = output positions x output channels x input channels x kernel taps (1 for a 1x1). With stride 2 on 28x28, how many positions are there?",
            new Hint<long>(a => a == 0, "Replace the 0 placeholder with your count."),
            // 28x28 positions x 8 channels and 14x14 positions x 32 channels are the same number: one hint names both slips.
            new Hint<long>(a => a == full, "That is 4 times too many: either you counted all 28x28 positions (stride 2 keeps only every second row and column) or all 32 output channels (branch 4 makes only its share, 32 / 4 branches)."),
            new Hint<long>(a => a == 28L * 28 * 32 * 16, "Two slips: stride 2 keeps a quarter of the 28x28 positions, and branch 4 makes only 32 / 4 branches of the channels."),
            new Hint<long>(a => a == full / 2, "Stride 2 halves the rows AND the columns: a quarter of the positions remain."),
            new Hint<long>(a => a == 14L * 14 * 8, "Each output value sums over all 16 input channels: multiply by 16 too."));
    }

    /// <summary>
    /// Exercise 5.4: a 1x1 convolution computed by hand, as one matrix product over the channels at every pixel,
    /// compared with <c>conv2d</c> of the same input and weights.
    /// </summary>
    /// <param name="answer">The attendee's output, shape (1, out channels, height, width).</param>
    /// <param name="input">The input, shape (1, in channels, height, width).</param>
    /// <param name="weight">The 1x1 weights, shape (out channels, in channels, 1, 1).</param>
    public static ExerciseResult CheckOneByOne(Tensor? answer, Tensor input, Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = NewDisposeScope();
        var expected = nn.functional.conv2d(input, weight);
        long outChannels = expected.shape[1], pixels = expected.shape[2] * expected.shape[3];
        const string Fallback = "At every pixel the output is the weight matrix (out x in) times the pixel's channel vector: " +
            "weight.reshape(out, in).matmul(x.reshape(in, height * width)), then reshape to (1, out, height, width).";
        if (answer is not null && answer.shape.SequenceEqual(new[] { outChannels, pixels }))
            return Exercise.CheckTensor("5.4", answer, expected, "", "That is the product as a matrix, one row per output channel and one column per pixel; reshape it to (1, out, height, width).");
        if (answer is not null && answer.shape.SequenceEqual(new[] { pixels, outChannels }))
            return Exercise.CheckTensor("5.4", answer, expected, "", "One row per pixel: the product is transposed. Multiply the (out x in) weight matrix from the left, so that channels come first, then reshape.");
        return Exercise.CheckTensor("5.4", answer, expected,
            "A 1x1 convolution mixes channels and nothing else: the same small matrix is applied to the channel vector of every pixel.",
            Fallback);
    }
}
