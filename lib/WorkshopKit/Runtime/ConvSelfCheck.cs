using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using WorkshopKit.Blocks;
using WorkshopKit.Geometry;
using static TorchSharp.torch;

namespace WorkshopKit.Runtime;

/// <summary>
/// Checks this host's float32 CPU convolutions against float64 for every convolution the course trains: forward,
/// input gradient (backward-data) and weight gradient, at batch 8 and 64, with one thread and with all of libtorch's
/// threads. It exists because a CPU whose CPUID cache leaf is empty made libtorch's oneDNN return wrong input gradients
/// for few output channels (<see cref="CpuCacheTopology"/>); where the kit has turned oneDNN off for that reason, the
/// check runs both ways, so its table shows the defect and the cure side by side. <c>doctor</c> prints it; the tests
/// assert it.
/// </summary>
/// <remarks>Runtime plumbing: readers can skip it.</remarks>
internal static class ConvSelfCheck
{
    /// <summary>
    /// Largest accepted error of a float32 result, relative to the float64 result's largest magnitude. The longest sum
    /// here is a weight gradient over 64 images of 28x28 (50,176 products); float32 rounding of such a sum grows like the
    /// square root of the count times 6e-8, about 1.3e-5, and the worst error measured on correct kernels was 7.0e-7
    /// (every case with oneDNN off, 456 trials, a 2-core Zen 5 AMD EPYC, 2026-12-07). The wrong results this looks for
    /// were off by 0.1 to 1.1 or NaN; 1e-4 leaves a wide margin on both sides.
    /// </summary>
    public const double Tolerance = 1e-4;

    /// <summary>The name of oneDNN's convolutions in the results (libtorch's default on x86 CPUs).</summary>
    public const string OneDnnBackend = "oneDNN";

    /// <summary>The name of ATen's own convolutions (im2col + BLAS), used where the kit turned oneDNN off.</summary>
    public const string AtenBackend = "ATen (oneDNN off)";

    /// <summary>The batch sizes every configuration is checked at: the smallest and the largest the course trains with.</summary>
    public static IReadOnlyList<long> BatchSizes { get; } = [8, 64];

    /// <summary>Runs every configuration of <see cref="CourseConfigurations"/> <paramref name="trials"/> times per batch size, thread count and backend, seeded by <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trials"/> is not between 1 and 1,000.</exception>
    public static ConvSelfCheckResult Run(int trials = 2, long seed = 1) => Run(trials, seed, corrupt: null, CourseConfigurations());

    /// <summary>
    /// As <see cref="Run(int, long)"/> on the given configurations; <paramref name="corrupt"/>, when given, alters every
    /// float32 result before the comparison, so a test can prove that wrong and non-finite results are counted;
    /// <paramref name="backend"/>, when given, replaces the backend the kit chose (a test simulating the cure).
    /// </summary>
    internal static ConvSelfCheckResult Run(int trials, long seed, Func<Tensor, Tensor>? corrupt, IReadOnlyList<ConvConfiguration> configurations, string? backend = null)
    {
        if (trials is < 1 or > 1_000) throw new ArgumentOutOfRangeException(nameof(trials), trials, $"The self-check runs 1 to 1,000 trials per case (got {trials}); 2 take about {configurations.Count / 2} s on 2 cores.");
        var report = TorchRuntime.Initialize();
        string active = backend ?? report.ConvolutionBackend;
        bool enabledBefore = OneDnnConvolutions.IsEnabled();
        // Both sides where the kit cured this host (the table then shows the defect and the cure); the active one elsewhere.
        var backends = active == AtenBackend ? new[] { AtenBackend, OneDnnBackend } : new[] { active };
        int allThreads = torch.get_num_threads();
        var threadCounts = allThreads > 1 ? new[] { 1, allThreads } : new[] { 1 };
        var generator = new Generator((ulong)seed, CPU);
        var tally = new Dictionary<(ConvConfiguration, long, int, string), (int Wrong, int NonFinite, double Worst)>();
        try
        {
            foreach (var configuration in configurations)
                foreach (long batch in BatchSizes)
                    for (int t = 0; t < trials; t++)
                    {
                        using var scope = NewDisposeScope();
                        var inputs = configuration.RandomInputs(batch, generator);
                        var reference = configuration.Compute(inputs.X64, inputs.W64, inputs.Gy64);
                        foreach (string side in backends)
                        {
                            OneDnnConvolutions.SetEnabledIfBound(side == OneDnnBackend);
                            foreach (int threads in threadCounts)
                            {
                                torch.set_num_threads(threads);
                                var result = configuration.Compute(inputs.X32, inputs.W32, inputs.Gy32);
                                double worst = 0;
                                for (int i = 0; i < result.Length; i++)
                                    worst = Math.Max(worst, RelativeError(corrupt is null ? result[i] : corrupt(result[i]), reference[i]));
                                var key = (configuration, batch, threads, side);
                                var (w, n, wo) = tally.GetValueOrDefault(key);
                                tally[key] = (w + (worst > Tolerance && !double.IsPositiveInfinity(worst) ? 1 : 0), n + (double.IsPositiveInfinity(worst) ? 1 : 0), Math.Max(wo, worst));
                            }
                        }
                    }
        }
        finally
        {
            torch.set_num_threads(allThreads);
            OneDnnConvolutions.SetEnabledIfBound(enabledBefore);
        }
        var cases = tally.Select(kv => new ConvSelfCheckCase(kv.Key.Item1.ToString(), kv.Key.Item1.Models, kv.Key.Item2, kv.Key.Item3, kv.Key.Item4, trials, kv.Value.Wrong, kv.Value.NonFinite, kv.Value.Worst)).ToList();
        return new ConvSelfCheckResult(cases, trials, seed, active, report.Cpu?.Summary ?? "no CPUID on this CPU");
    }

    /// <summary>
    /// Every distinct convolution the course trains, found by running each trained model once on a batch of MNIST-sized
    /// images with a hook on every convolution module: the model zoo (notebook 08 and experiments/zoo.cs), the plain and
    /// residual 20-layer stacks (notebook 06), notebook 04's autoencoder and notebook 08's "my variant" (built here from
    /// the same blocks as in those cells), plus the channel counts the defect was first seen with (4 -> 2) and the
    /// transposed convolutions of notebooks 01 and 04.
    /// </summary>
    public static IReadOnlyList<ConvConfiguration> CourseConfigurations()
    {
        TorchRuntime.Initialize();
        var found = new List<ConvConfiguration>();
        using (NewDisposeScope())
        {
            foreach (var name in ModelZoo.Names) Collect(ModelZoo.Create(name), $"zoo: {name}", found);
            Collect(ModelZoo.PlainStack(20), "06: plain stack", found);
            Collect(ModelZoo.ResidualStack(20), "06: residual stack", found);
            Collect(new BlockSequence("digit autoencoder",
                new ConvLayer(1, 8, 3, stride: 2, ConvPadding.SameTensorFlow),
                new ConvLayer(8, 4, 3, stride: 2, ConvPadding.SameTensorFlow),
                new ResizeConv(4, 8),
                new ResizeConv(8, 1, activation: Activation.None)), "04: autoencoder", found);
            Collect(new BlockSequence("my variant",
                new ConvLayer(1, 16, 3, stride: 2, normalization: Normalization.Batch),
                new DenseBlock(16, layerCount: 3, growthRate: 8),
                new TransitionLayer(40, compression: 0.5),
                new ResidualBlock(20, 32),
                new ClassifierHead(new FeatureShape(32, 7, 7), 10)), "08: my variant", found);
        }
        found.Add(new ConvConfiguration("first defect probe", 4, 2, [3, 3], [1, 1], [1, 1], [1, 1], 1, false, [0, 0], 14, 14));
        found.Add(new ConvConfiguration("01/04: transposed", 4, 2, [3, 3], [2, 2], [1, 1], [1, 1], 1, true, [0, 0], 14, 14));
        found.Add(new ConvConfiguration("01/04: transposed", 16, 8, [3, 3], [2, 2], [1, 1], [1, 1], 1, true, [0, 0], 14, 14));
        found.Add(new ConvConfiguration("01: transposed 4x4", 1, 1, [4, 4], [2, 2], [1, 1], [1, 1], 1, true, [0, 0], 14, 14));
        // One row per distinct configuration, naming every model that trains it.
        return found.GroupBy(c => c.Key).Select(g => g.First() with { Models = string.Join(", ", g.Select(c => c.Models).Distinct()) }).ToList();
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

    private static void Collect(nn.Module<Tensor, Tensor> model, string modelName, List<ConvConfiguration> found)
    {
        var removers = new List<Action>();
        try
        {
            foreach (var (_, module) in model.named_modules())
            {
                if (module is not Convolution c) continue;
                var handle = c.register_forward_hook((m, x, y) =>
                {
                    found.Add(ConvConfiguration.Of((Convolution)m, modelName, x.shape[2], x.shape[3]));
                    return y;
                });
                removers.Add(() => handle.remove());
            }
            using var noGrad = no_grad();
            model.eval();
            model.call(zeros(2, 1, 28, 28));
        }
        finally
        {
            foreach (var r in removers) r();
            model.Dispose();
        }
    }
}
