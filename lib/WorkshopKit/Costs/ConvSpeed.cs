using System.Globalization;
using WorkshopKit.Geometry;
using WorkshopKit.MatrixViews;
using WorkshopKit.Runtime;
using static TorchSharp.torch;

namespace WorkshopKit.Costs;

/// <summary>Times one convolution computed several ways; small sizes so a notebook cell stays fast on two CPU cores.</summary>
/// <remarks>First used in notebook 02 (Hardware and precision), section "One convolution, computed five ways".</remarks>
public static class ConvSpeed
{
    /// <summary>
    /// Builds a random convolution (batch 1, odd kernel, stride 1, zero padding k/2 so the output keeps the input size)
    /// and times: the sparse matrix W as compressed rows (<see cref="ConvMatrix.Apply"/>) and as libtorch's sparse COO
    /// tensor (<see cref="ConvMatrix.ApplyWithSparseMm"/>), the dense W (<c>torch.mv</c>),
    /// im2col + GEMM (<see cref="Im2Col"/>), conv2d on the CPU, and conv2d on <paramref name="gpu"/> (cuDNN) when given.
    /// Every method's output is checked against conv2d before it is timed.
    /// </summary>
    /// <param name="channels">Input channels.</param>
    /// <param name="size">Height and width of the input.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernel">Kernel side (odd).</param>
    /// <param name="gpu">A CUDA device for the cuDNN row, or null.</param>
    /// <param name="warmup">Untimed calls before timing.</param>
    /// <param name="iterations">Timed calls; the fastest is reported.</param>
    /// <param name="seed">Seed of the random input and weight.</param>
    /// <param name="cpuThreads">libtorch CPU threads while timing (restored afterwards); 1 keeps small problems from waiting on each other's threads on a busy machine, null leaves the setting alone.</param>
    /// <exception cref="ArgumentException">Non-positive sizes, an even kernel, or a dense W above 2^24 entries.</exception>
    public static ConvSpeedComparison Compare(int channels, int size, int outChannels, int kernel = 3, Device? gpu = null, int warmup = 3, int iterations = 20, long seed = 0, int? cpuThreads = 1)
    {
        if (channels < 1 || size < 1 || outChannels < 1 || iterations < 1 || warmup < 0)
            throw new ArgumentException($"channels, size, outChannels and iterations must be at least 1 and warmup at least 0; got channels={channels}, size={size}, outChannels={outChannels}, iterations={iterations}, warmup={warmup}.");
        if (kernel < 1 || kernel % 2 == 0)
            throw new ArgumentException($"The kernel side must be odd (padding k/2 then keeps the size), got {kernel}; use 1, 3, 5...", nameof(kernel));
        double denseEntries = (double)outChannels * size * size * channels * size * size;
        if (denseEntries > ConvMatrix.DefaultDenseLimit)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The dense W would have {denseEntries:N0} entries (above {ConvMatrix.DefaultDenseLimit:N0}); choose fewer channels or a smaller size (e.g. channels=4, size=16)."));

        if (cpuThreads is < 1)
            throw new ArgumentException($"cpuThreads must be at least 1 (or null to keep libtorch's setting), got {cpuThreads}.", nameof(cpuThreads));
        int threadsBefore = get_num_threads();
        if (cpuThreads is int t) set_num_threads(t);
        try
        {
            return CompareCore(channels, size, outChannels, kernel, gpu, warmup, iterations, seed);
        }
        finally
        {
            set_num_threads(threadsBefore);
        }
    }

    private static ConvSpeedComparison CompareCore(int channels, int size, int outChannels, int kernel, Device? gpu, int warmup, int iterations, long seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new TorchSharp.torch.Generator((ulong)seed);
        var x = randn([1, channels, size, size], generator: generator);
        var weight = randn([outChannels, channels, kernel, kernel], generator: generator) * (1.0 / Math.Sqrt(channels * kernel * kernel));
        var padding = ConvPadding.Symmetric(kernel / 2);
        using var w = ConvMatrix.Build(weight, (channels, size, size), padding: padding);
        var dense = w.ToDense();
        var xVector = x.reshape(-1);
        var axes = new[] { w.Geometry.Height, w.Geometry.Width };
        long useful = LayerCosts.Conv(1, channels, outChannels, axes, bias: false).Flops;
        long allTaps = LayerCosts.Conv(1, channels, outChannels, axes, bias: false).FlopsAs2xMacs;
        var reference = nn.functional.conv2d(x, weight, padding: [kernel / 2, kernel / 2]);
        string problem = $"{channels}→{outChannels} channels, {size}x{size}, {kernel}x{kernel} kernel, W is {w.Rows:N0} x {w.Columns:N0}";

        var rows = new List<ConvSpeedRow>
        {
            Time(MethodName(ConvMethod.SparseMatrix), "cpu", () => w.Apply(x), 2 * w.NonZeros, useful, warmup, iterations, reference),
            Time(MethodName(ConvMethod.SparseMatrixCoo), "cpu", () => w.ApplyWithSparseMm(x), 2 * w.NonZeros, useful, warmup, iterations, reference),
            Time(MethodName(ConvMethod.DenseMatrix), "cpu", () => dense.mv(xVector), 2 * w.Rows * w.Columns, useful, warmup, iterations, reference),
            Time(MethodName(ConvMethod.Im2colGemm), "cpu", () => Im2Col.Convolve(x, weight, padding: padding).Output, allTaps, useful, warmup, iterations, reference),
            Time(MethodName(ConvMethod.Conv2d), "cpu", () => nn.functional.conv2d(x, weight, padding: [kernel / 2, kernel / 2]), allTaps, useful, warmup, iterations, reference),
        };
        if (gpu is not null && gpu.type == TorchSharp.DeviceType.CUDA)
        {
            var xg = x.to(gpu);
            var wg = weight.to(gpu);
            // cuDNN convolves float32 in TF32 by default (10-bit significands), so it is checked at TF32's tolerance, 1e-2.
            rows.Add(Time(MethodName(ConvMethod.Conv2dCudnn), gpu.ToString(), () => nn.functional.conv2d(xg, wg, padding: [kernel / 2, kernel / 2]), allTaps, useful, warmup, iterations, reference, gpu, tolerance: 1e-2));
        }
        return new ConvSpeedComparison(problem, rows);
    }

    /// <summary>The name a method's row carries in the table.</summary>
    public static string MethodName(ConvMethod method) => method switch
    {
        ConvMethod.SparseMatrix => "sparse W x (ConvMatrix, compressed rows)",
        ConvMethod.SparseMatrixCoo => "sparse W x (libtorch torch.mm, COO)",
        ConvMethod.DenseMatrix => "dense W x (torch.mv)",
        ConvMethod.Im2colGemm => "im2col + GEMM",
        ConvMethod.Conv2d => "conv2d",
        ConvMethod.Conv2dCudnn => "conv2d (cuDNN)",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown method; use one of the ConvMethod values."),
    };

    /// <summary>Times <paramref name="call"/> (fastest of <paramref name="iterations"/> calls after <paramref name="warmup"/>), each call in its own dispose scope.</summary>
    /// <param name="method">A name for the table.</param>
    /// <param name="device">Where it runs, for the table.</param>
    /// <param name="call">The computation; its result is disposed.</param>
    /// <param name="flopsPerformed">The arithmetic the method does.</param>
    /// <param name="usefulFlops">The exact count of the work it stands for.</param>
    /// <param name="warmup">Untimed calls first.</param>
    /// <param name="iterations">Timed calls.</param>
    /// <param name="expected">When given, the first result must match it (same number of elements, allclose within <paramref name="tolerance"/>), else the timing would be of a wrong answer.</param>
    /// <param name="cuda">A CUDA device to synchronize around each call, or null.</param>
    /// <param name="tolerance">Relative and absolute tolerance of the check against <paramref name="expected"/>.</param>
    /// <exception cref="InvalidOperationException">The result differs from <paramref name="expected"/>.</exception>
    public static ConvSpeedRow Time(string method, string device, Func<Tensor> call, long flopsPerformed, long usefulFlops, int warmup, int iterations, Tensor? expected = null, Device? cuda = null, double tolerance = 1e-4)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (iterations < 1) throw new ArgumentException($"iterations must be at least 1, got {iterations}.", nameof(iterations));
        if (expected is not null)
        {
            using var check = NewDisposeScope();
            var got = call().detach().cpu().reshape(-1);
            var want = expected.detach().cpu().reshape(-1);
            if (got.numel() != want.numel() || !got.allclose(want, tolerance, tolerance))
                throw new InvalidOperationException($"{method} does not reproduce conv2d's output; its timing would be meaningless.");
        }
        TimingResult timing;
        using (no_grad())
            timing = Timing.Measure(() => call(), cuda, warmup, iterations);
        // The fastest call, not Timing's median: with one libtorch thread it keeps the rows in a stable order on the
        // shared machine (docs/notebook-02.md, "Why the fastest call and one thread").
        return new ConvSpeedRow(method, device, timing.MinimumSeconds, flopsPerformed, usefulFlops);
    }
}
