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

    /// <summary>The second block of exercise 5.2: it follows <see cref="Block"/> and halves the size again.</summary>
    public static CollaborativeBlock SecondBlock() => new(32, 64, stride: 2);

    /// <summary>
    /// Exercise 5.2: the receptive field side of branch 2 of <see cref="SecondBlock"/> fed by branch 2 of <see cref="Block"/>
    /// (one block's field, 5x5, is printed in the notebook; two in a row is the question). Composed from the two
    /// branches' own walks: the second branch's extra pixels are the first one's outputs, a jump apart.
    /// </summary>
    public static ExerciseResult CheckBranchField(long answer)
    {
        using var first = Block();
        using var second = SecondBlock();
        var firstField = BranchBreakdown.Of(first, Input).Branches[1].Field;
        var secondField = BranchBreakdown.Of(second, new FeatureShape(32, 14, 14)).Branches[1].Field;
        long one = (long)firstField.Size, jump = (long)firstField.Jump;
        long expected = (long)(firstField.Size + (secondField.Size - 1) * firstField.Jump);
        return Exercise.Check("5.2", answer, expected,
            $"{expected}x{expected}: the second branch adds {(long)secondField.Size - 1} of its pixels to the first's {one}x{one} window, and each of them is {jump} input pixels apart (the first block's stride).",
            $"Start from the first block's {one}x{one} window; each extra pixel of the second branch's field is one output of the first block, and those sit {jump} input pixels apart.",
            new Hint<long>(a => a == 0, "Replace the 0 placeholder with the side of the window, in input pixels."),
            new Hint<long>(a => a == one, "That is one block's window. The second block looks at several outputs of the first, so the window grows."),
            new Hint<long>(a => a == one + (long)secondField.Size, "Fields do not add in input pixels: the second block's pixels are outputs of the first, which sit a stride apart."),
            new Hint<long>(a => a == one * (long)secondField.Size, "Stacking does not multiply the window: it widens it by (second field - 1) x the first block's stride."),
            new Hint<long>(a => a == 1 + 2 + 2 + 2 + 2, "Right layers, wrong spacing: after the first block's stride 2, every 3x3 layer of the second block adds 2 x 2 = 4 input pixels, not 2."));
    }

    /// <summary>The block and input of exercise 5.3 (not the 16-to-32 block whose branch costs the notebook prints).</summary>
    public static CollaborativeBlock CostBlock() => new(24, 48, stride: 2);

    /// <summary>Exercise 5.3: the MACs of branch 4 (a 1x1 convolution, 24 → 12 channels, stride 2) on a 24x28x28 input, from the block's description.</summary>
    public static ExerciseResult CheckStridedBranchMacs(long answer)
    {
        using var block = CostBlock();
        long expected = BranchBreakdown.Of(block, new FeatureShape(24, 28, 28)).Branches[3].Macs;
        long full = 28L * 28 * 12 * 24;
        return Exercise.Check("5.3", answer, expected,
            $"{expected:N0} MACs: stride 2 keeps a quarter of the positions (14x14), and each does 24 x 12 multiply-accumulates.",
            "MACs = output positions x output channels x input channels x kernel taps (1 for a 1x1). With stride 2 on 28x28, how many positions are there?",
            new Hint<long>(a => a == 0, "Replace the 0 placeholder with your count."),
            // 28x28 positions x 12 channels and 14x14 positions x 48 channels are the same number: one hint names both slips.
            new Hint<long>(a => a == full, "That is 4 times too many: either you counted all 28x28 positions (stride 2 keeps only every second row and column) or all 48 output channels (branch 4 makes only its share, 48 / 4 branches)."),
            new Hint<long>(a => a == 28L * 28 * 48 * 24, "Two slips: stride 2 keeps a quarter of the 28x28 positions, and branch 4 makes only 48 / 4 branches of the channels."),
            new Hint<long>(a => a == full / 2, "Stride 2 halves the rows AND the columns: a quarter of the positions remain."),
            new Hint<long>(a => a == 14L * 14 * 12, "Each output value sums over all 24 input channels: multiply by 24 too."));
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
