using WorkshopKit.Blocks;
using static TorchSharp.torch;

namespace WorkshopKit.Exercises;

/// <summary>
/// Exercises of 06-residual-blocks: when the shortcut needs a projection, what the projection costs, and how much
/// gradient survives a chain of blocks with and without the identity path. Expected answers come from the blocks
/// and from TorchSharp's autograd, so the notebook never contains them.
/// </summary>
/// <remarks>First used in notebook 06 (Residual blocks: learning a correction instead of a whole new map), section "Exercise 6.1: identity or projection?".</remarks>
public static class Lesson06
{
    /// <summary>Exercise 6.1: does <c>ResidualBlock(32, 32, stride: 2)</c> need a projection shortcut? The block itself knows.</summary>
    public static ExerciseResult CheckNeedsProjection(bool? answer)
    {
        using var block = new ResidualBlock(32, 32, stride: 2);
        bool expected = block.HasProjection;
        return Exercise.Check("6.1", answer, (bool?)expected,
            "Yes: the channels match (32 in, 32 out), but stride 2 halves the height and width of F(x) (whatever the input's size: 32x32 would become 16x16), so x must go through a strided 1x1 convolution before the two can be added.",
            "x + F(x) needs both sides to have the same shape. Compare the shape of x with the shape of F(x).",
            new Hint<bool?>(a => a is null, "Replace null with true or false."),
            new Hint<bool?>(a => a == false, "The channels do match (32 and 32), but look at the stride: what does it do to the height and width of F(x)?"));
    }

    /// <summary>
    /// Exercise 6.2: the weights (no bias) of the 1x1 projection in <c>ResidualBlock(24, 48, stride: 2)</c> (not the
    /// 16-to-32 block the notebook prints), counted by a TorchSharp layer of that shape.
    /// </summary>
    public static ExerciseResult CheckProjectionWeights(long answer)
    {
        using var conv = nn.Conv2d(24, 48, 1, stride: 2, bias: false);
        long expected = conv.weight!.numel();
        return Exercise.Check("6.2", answer, expected,
            $"{expected:N0}: one weight per (input channel, output channel) pair; a 1x1 window has a single tap, and the stride costs no weights.",
            "A 1x1 convolution is a weighted sum over channels at each pixel: in channels x out channels weights.",
            new Hint<long>(a => a == 0, "Replace the 0 placeholder with your count. The shapes differ, so the shortcut is not free."),
            new Hint<long>(a => a == 3 * 3 * 24 * 48, "The projection is 1x1, not 3x3: one tap per channel pair."),
            new Hint<long>(a => a == 24 * 48 * 2 || a == 24 * 48 * 4, "The stride changes where the window goes, not how many weights it has."),
            new Hint<long>(a => a == 24 * 48 + 48, "The question counts weights without the bias (a batch norm follows the projection, so it has no bias)."),
            new Hint<long>(a => a == 24 || a == 48, "Each of the 48 outputs mixes all 24 inputs: multiply the channel counts."));
    }

    /// <summary>The local derivative of F at every block in exercise 6.3 (a small value, as for a freshly initialised block).</summary>
    public const double BranchSlope = 0.1;

    /// <summary>The number of blocks in exercise 6.3.</summary>
    public const int Blocks = 10;

    /// <summary>
    /// Exercise 6.3: the factor by which the gradient is multiplied through <see cref="Blocks"/> residual blocks
    /// y = x + F(x), with F(x) = <see cref="BranchSlope"/> x. The expected value is measured by TorchSharp's autograd on that chain.
    /// </summary>
    public static ExerciseResult CheckResidualChainGradient(double answer)
    {
        using var x = tensor(1.0, requires_grad: true);
        var y = x;
        for (int i = 0; i < Blocks; i++) y = y + BranchSlope * y;
        y.backward();
        double expected = x.grad!.item<double>();
        double plain = Math.Pow(BranchSlope, Blocks);
        return Exercise.CheckClose("6.3", answer, expected, 1e-3 * expected,
            $"{expected:0.###}: each block passes the gradient through 1 (identity) + {BranchSlope} (F), and the {Blocks} factors multiply. Without the identity it would be {plain:0E+0}. " +
            $"Note that it grows: 100 such blocks would give {Math.Pow(1 + BranchSlope, 100):N0}. Deep residual networks keep each block's F small at the start (batch normalization, or its last scale initialised to 0) so that the identity dominates.",
            "Each block's derivative is d(x + F(x))/dx = 1 + F'(x); the chain multiplies these per-block factors.",
            new Hint<double>(a => a == 0, "Replace the 0 placeholder with your number (an expression such as Math.Pow(2, 3) is fine)."),
            new Hint<double>(a => Math.Abs(a - plain) <= 1e-3 * plain, "That is the plain chain (F only). The identity path adds 1 to each block's derivative."),
            new Hint<double>(a => Math.Abs(a - (1 + Blocks * BranchSlope)) < 1e-9, "Derivatives of a chain multiply, they do not add: (1 + 0.1) for each block."),
            new Hint<double>(a => Math.Abs(a - (1 + BranchSlope)) < 1e-9, "That is one block; there are ten in the chain."));
    }

    /// <summary>
    /// Exercise 6.4: the learner writes <c>forward</c> of a pre-activation residual block (He et al. 2016, "Identity
    /// mappings in deep residual networks"): F(x) + x, with no activation after the sum. The answer is the library's
    /// <see cref="ResidualBlock"/> with <see cref="ResidualVariant.PreActivation"/>, run on the same weights and input.
    /// </summary>
    public static ExerciseResult CheckPreActivationForward(nn.Module<Tensor, Tensor> written)
    {
        ArgumentNullException.ThrowIfNull(written);
        using var scope = NewDisposeScope();
        manual_seed(64);
        using var library = new ResidualBlock(16, 16, variant: ResidualVariant.PreActivation);
        var input = randn(2, 16, 8, 8);
        string diagnosis;
        try
        {
            var same = Inspection.ModuleComparison.Of("6.4", written, library, input);
            diagnosis = same.Same ? "same" : Diagnose(written, library, input);
        }
        catch (ArgumentException e)
        {
            return Exercise.Check("6.4", e.Message, "same", "", "Keep the fields as given (main, two pre-activation 3x3 convolutions) and write only forward.");
        }
        return Exercise.Check("6.4", diagnosis, "same",
            "F(x) + x and nothing after it: the sum goes on unchanged, and the next block's batch norm and ReLU come first in its own path.",
            "forward should return the main path's output plus the block's input.",
            new Hint<string>(d => d == "main only", "That is F(x) alone: a residual block adds the shortcut, the input itself (+ input)."),
            new Hint<string>(d => d == "relu after sum", "The pre-activation block has no ReLU after the sum: its activations sit inside main, before each convolution."),
            new Hint<string>(d => d == "input only", "That returns the input unchanged; add the main path's output to it."));
    }

    /// <summary>Names the usual wrong forward by comparing its output with each of them on the same weights.</summary>
    private static string Diagnose(nn.Module<Tensor, Tensor> written, ResidualBlock library, Tensor input)
    {
        using var noGrad = no_grad();
        bool writtenTraining = written.training;
        written.eval();
        library.eval();
        var actual = written.call(input);
        written.train(writtenTraining); // the learner's module leaves the check in the mode it came in, as in ModuleComparison
        var main = library.named_children().First(c => c.name == "main").module as nn.Module<Tensor, Tensor>;
        var f = main!.call(input);
        if (actual.allclose(f)) return "main only";
        if (actual.allclose(nn.functional.relu(f + input))) return "relu after sum";
        if (actual.allclose(input)) return "input only";
        return "other";
    }
}
