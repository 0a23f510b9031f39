using WorkshopKit.Runtime;
using static TorchSharp.torch;

namespace WorkshopKit.Data;

/// <summary>
/// A stand-in for MNIST with the same shapes (N x 1 x 28 x 28 in [0, 1], 10 classes) for quick runs and tests:
/// ten fixed smooth prototype images, each example a prototype plus strong pixel noise and a small horizontal shift.
/// Learnable by a small perceptron, but not trivially.
/// </summary>
/// <remarks>Not used in a notebook: the stand-in data set of the precision tests and of <c>experiments/precision.cs --synthetic</c>, behind notebook 02 (Hardware and precision), section "2.4 Limited-precision training (saved results)".</remarks>
internal static class SyntheticDigits
{
    /// <summary>Creates <paramref name="count"/> examples; the prototypes are the same for every seed, the noise is not.</summary>
    /// <param name="count">Number of examples.</param>
    /// <param name="seed">Seed of labels, noise and shifts.</param>
    /// <param name="noise">Standard deviation of the pixel noise (0.6 makes a float32 perceptron err on about a tenth).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public static (Tensor Images, Tensor Labels) Create(int count, long seed, double noise = 0.6)
    {
        Guard.AtLeast(count, 1, nameof(count), "Pass how many examples to create, e.g. 3000 (experiments/precision.cs --synthetic uses 3000 to train, 1000 to test).");
        using var scope = NewDisposeScope();
        Tensor prototypes = nn.functional.avg_pool2d(rand(10, 1, 36, 36, generator: new Generator(12345)), 9, 1); // smooth 10x1x28x28
        prototypes = (prototypes - prototypes.mean()) * 8 + 0.5;
        var g = new Generator((ulong)seed);
        Tensor labels = randint(0, 10, [count], generator: g);
        Tensor images = prototypes.index_select(0, labels) + randn(count, 1, 28, 28, generator: g) * noise;
        images = images.roll([randint(-2, 3, [1], generator: g).item<long>()], [3]).clamp(0, 1);
        return (images.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }
}
