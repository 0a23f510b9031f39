using TorchSharp;
using static TorchSharp.torch;

namespace WorkshopKit.Runtime;

/// <summary>
/// Checks this host's float32 CPU convolutions against float64 on seeded random inputs: conv2d forward, conv2d's
/// backward pass (input and weight gradients) and conv_transpose2d, with few and many channels. It exists because one
/// machine returned sporadically wrong or non-finite float32 results in exactly these cases (environment.md); running
/// it says whether this host does, instead of assuming. <c>doctor</c> prints it; the tests assert it.
/// </summary>
/// <remarks>Runtime plumbing: readers can skip it.</remarks>
public static class ConvSelfCheck
{
    /// <summary>
    /// Largest accepted error of a float32 result, relative to the float64 result's largest magnitude. An element here
    /// sums at most 1,568 products (a weight gradient over 8 images of 14x14); float32 rounding grows like the square
    /// root of that count times 6e-8, about 2e-6, which is the worst error measured on correct hosts (2.4e-6, AMD EPYC,
    /// 1,800 trials). The wrong results this looks for are off by far more; 1e-4 leaves a 40-fold margin.
    /// </summary>
    public const double Tolerance = 1e-4;

    /// <summary>Runs every case <paramref name="trials"/> times on the CPU, seeded by <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trials"/> is not between 1 and 10,000.</exception>
    public static ConvSelfCheckResult Run(int trials = 50, long seed = 1) => Run(trials, seed, corrupt: null);

    /// <summary>As <see cref="Run(int, long)"/>; <paramref name="corrupt"/>, when given, alters every float32 result
    /// before the comparison, so a test can prove that wrong and non-finite results are counted.</summary>
    internal static ConvSelfCheckResult Run(int trials, long seed, Func<Tensor, Tensor>? corrupt)
    {
        if (trials is < 1 or > 10_000) throw new ArgumentOutOfRangeException(nameof(trials), trials, "The self-check runs 1 to 10,000 trials per case; 50 takes about a second.");
        TorchRuntime.Initialize();
        var generator = new Generator((ulong)seed, CPU);
        var cases = new List<ConvSelfCheckCase>
        {
            Measure(corrupt, "conv2d forward, 16 -> 8 channels", trials, generator, g => Conv2dForward(g, 16, 8)),
            Measure(corrupt, "conv2d backward, 16 -> 8 channels", trials, generator, g => Conv2dBackward(g, 16, 8, sliced: false)),
            Measure(corrupt, "conv2d backward, 16 -> 8 channels, sliced gradient", trials, generator, g => Conv2dBackward(g, 16, 8, sliced: true)),
            Measure(corrupt, "conv2d backward, 4 -> 2 channels", trials, generator, g => Conv2dBackward(g, 4, 2, sliced: false)),
            Measure(corrupt, "conv_transpose2d forward, 4 -> 2 channels", trials, generator, g => ConvTransposeForward(g, 4, 2, 3)),
            Measure(corrupt, "conv_transpose2d forward, 16 -> 8 channels", trials, generator, g => ConvTransposeForward(g, 16, 8, 3)),
            Measure(corrupt, "conv_transpose2d forward, 1 -> 1 channel, 4x4 kernel", trials, generator, g => ConvTransposeForward(g, 1, 1, 4)),
        };
        return new ConvSelfCheckResult(cases, trials, seed);
    }

    /// <summary>
    /// The error of a float32 <paramref name="result"/> against its float64 <paramref name="reference"/>: the largest
    /// absolute difference over the reference's largest magnitude; positive infinity when the result holds a NaN or an
    /// infinity that the reference does not.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static double RelativeError(Tensor result, Tensor reference)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(reference);
        if (!result.shape.SequenceEqual(reference.shape))
            throw new ArgumentException($"The result has shape [{string.Join(", ", result.shape)}] and the reference [{string.Join(", ", reference.shape)}]; compare tensors of one shape.", nameof(result));
        using var scope = NewDisposeScope();
        var r = result.to(ScalarType.Float64);
        var expected = reference.to(ScalarType.Float64);
        if (!r.isfinite().all().item<bool>() && expected.isfinite().all().item<bool>()) return double.PositiveInfinity;
        double scale = expected.abs().max().item<double>();
        double difference = (r - expected).abs().max().item<double>();
        return scale == 0 ? difference : difference / scale;
    }

    private static ConvSelfCheckCase Measure(Func<Tensor, Tensor>? corrupt, string name, int trials, Generator generator, Func<Generator, IEnumerable<(Tensor Result, Tensor Reference)>> run)
    {
        int wrong = 0, nonFinite = 0;
        double worst = 0;
        for (int t = 0; t < trials; t++)
        {
            using var scope = NewDisposeScope();
            double trialWorst = 0;
            foreach (var (result, reference) in run(generator)) trialWorst = Math.Max(trialWorst, RelativeError(corrupt is null ? result : corrupt(result), reference));
            if (double.IsPositiveInfinity(trialWorst)) nonFinite++;
            else if (trialWorst > Tolerance) wrong++;
            worst = Math.Max(worst, trialWorst);
        }
        return new ConvSelfCheckCase(name, trials, wrong, nonFinite, worst);
    }

    // Shapes of the probe that first showed the defect: 8 images, 14x14, 3x3 kernels, padding 1 (docs/blocks.md).
    private static (Tensor X32, Tensor X64) Random(Generator g, params long[] shape)
    {
        var x = randn(shape, ScalarType.Float64, generator: g);
        return (x.to(ScalarType.Float32), x);
    }

    private static IEnumerable<(Tensor, Tensor)> Conv2dForward(Generator g, long cin, long cout)
    {
        var (x32, x64) = Random(g, 8, cin, 14, 14);
        var (w32, w64) = Random(g, cout, cin, 3, 3);
        yield return (nn.functional.conv2d(x32, w32, padding: [1, 1]), nn.functional.conv2d(x64, w64, padding: [1, 1]));
    }

    private static IEnumerable<(Tensor, Tensor)> Conv2dBackward(Generator g, long cin, long cout, bool sliced)
    {
        var (x32, x64) = Random(g, 8, cin, 14, 14);
        var (w32, w64) = Random(g, cout, cin, 3, 3);
        // A channel slice of a wider tensor is what backward receives after torch.cat: a non-contiguous gradient.
        var (wide32, wide64) = Random(g, 8, sliced ? 2 * cout : cout, 14, 14);
        var (gy32, gy64) = sliced ? (wide32.narrow(1, 0, cout), wide64.narrow(1, 0, cout)) : (wide32, wide64);
        var (dx32, dw32) = Gradients(x32, w32, gy32);
        var (dx64, dw64) = Gradients(x64, w64, gy64);
        yield return (dx32, dx64);
        yield return (dw32, dw64);
    }

    private static (Tensor Input, Tensor Weight) Gradients(Tensor x, Tensor w, Tensor outputGradient)
    {
        var xs = x.detach().requires_grad_();
        var ws = w.detach().requires_grad_();
        var y = nn.functional.conv2d(xs, ws, padding: [1, 1]);
        var grads = autograd.grad([y], [xs, ws], [outputGradient]);
        return (grads[0], grads[1]);
    }

    private static IEnumerable<(Tensor, Tensor)> ConvTransposeForward(Generator g, long cin, long cout, long kernel)
    {
        var (x32, x64) = Random(g, 8, cin, 14, 14);
        var (w32, w64) = Random(g, cin, cout, kernel, kernel);
        yield return (nn.functional.conv_transpose2d(x32, w32, null, [2, 2], [1, 1]), nn.functional.conv_transpose2d(x64, w64, null, [2, 2], [1, 1]));
    }
}
