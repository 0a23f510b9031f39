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

    /// <summary>Exercise 0.2: the column sums of a 2-D tensor, as a tensor; compared with <c>sum(dim: 0)</c>.</summary>
    /// <param name="answer">The attendee's tensor.</param>
    /// <param name="matrix">The 2-D tensor of the exercise.</param>
    public static ExerciseResult CheckColumnSums(Tensor? answer, Tensor matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        using var expected = matrix.sum(dim: 0);
        if (answer is not null && answer.shape.SequenceEqual(new[] { matrix.shape[0] }))
            return Exercise.CheckTensor("0.2", answer, expected, "", "That has one number per row: those are the row sums (dim: 1). Columns run down, across the rows: sum over dim 0.");
        if (answer is not null && answer.numel() == 1)
            return Exercise.CheckTensor("0.2", answer, expected, "", "One number is the sum of everything; give sum a dimension, so one number per column is left.");
        return Exercise.CheckTensor("0.2", answer, expected,
            "sum(dim: 0) adds down each column and removes that dimension: one number per column.",
            "Sum over the dimension that runs down the columns (dim: 0); the result has one number per column.");
    }
}
