using static TorchSharp.torch;

namespace WorkshopKit.Exercises;

/// <summary>
/// The warm-up exercise of 00-setup: a first try of the three-cell exercise format (task, answer, check) on a
/// question about tensor shapes that every later lesson relies on.
/// </summary>
/// <remarks>First used in notebook 00 (Setup: start here), section "Exercise 0.1: how many numbers are in a batch?".</remarks>
public static class Lesson00
{
    /// <summary>The batch the warm-up asks about: 64 grayscale 28x28 images, the shape MNIST batches have.</summary>
    public static readonly long[] BatchShape = [64, 1, 28, 28];

    /// <summary>
    /// Exercise 0.1: how many numbers a batch of shape 64x1x28x28 holds. The expected count comes from a tensor of
    /// that shape (<c>numel</c>), so the notebook does not contain the answer.
    /// </summary>
    public static ExerciseResult CheckBatchElements(long answer)
    {
        using var batch = empty(BatchShape);
        long expected = batch.numel();
        long image = BatchShape[2] * BatchShape[3];
        return Exercise.Check("0.1", answer, expected,
            $"A batch of shape [{string.Join(", ", BatchShape)}] holds {expected:N0} numbers: multiply all the sizes.",
            "A tensor holds the product of all its sizes: batch x channels x height x width.",
            new Hint<long>(a => a == 0, "Replace the 0 placeholder with your count (an expression such as 2 * 3 is fine)."),
            new Hint<long>(a => a == image, "That is one image. The batch has 64 of them."),
            new Hint<long>(a => a == BatchShape[0] * BatchShape[2] || a == BatchShape[0] * BatchShape[3],
                "An image is 28 pixels high and 28 pixels wide: both sides count."),
            new Hint<long>(a => a == BatchShape.Sum(), "Sizes multiply, they do not add."));
    }
}
