using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using TorchSharp;
using WorkshopKit.Precision;
using static TorchSharp.torch;

namespace WorkshopKit.Benchmarks;

/// <summary>
/// Stochastic rounding of 2^24 float32 values to &lt;4,12&gt; on the CPU: the fused kernel against <c>copy_</c> into a
/// preallocated tensor (the memory-bound ceiling, Baseline; not clone, whose fresh pages make anything compared with it
/// look faster) and against the composed TorchSharp operations, all in one run so the Ratio column compares them on
/// the same machine state.
/// Run: dotnet run -c Release --project benchmarks/WorkshopKit.Benchmarks -- --filter '*Precision*'
/// </summary>
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 8)]
[MemoryDiagnoser(false)]
public class PrecisionBenchmarks
{
    private const int N = 1 << 24;
    private Tensor input = null!;
    private Tensor output = null!;
    private Quantizer fused = null!;
    private Quantizer composed = null!;

    /// <summary>Allocates the input and a reusable output.</summary>
    [GlobalSetup]
    public void Prepare()
    {
        WorkshopKit.Runtime.TorchRuntime.Initialize();
        input = randn(N, generator: new Generator(1));
        output = empty_like(input);
        fused = new Quantizer(NumberFormat.Fixed(16, 12), Rounding.Stochastic, seed: 1, engine: QuantizerEngine.Fused);
        composed = new Quantizer(NumberFormat.Fixed(16, 12), Rounding.Stochastic, seed: 1, engine: QuantizerEngine.Composed);
    }

    /// <summary>Frees the tensors.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        input.Dispose();
        output.Dispose();
    }

    /// <summary>Reads and writes 2^24 floats once: the bandwidth ceiling.</summary>
    [Benchmark(Baseline = true)]
    public void Copy() => output.copy_(input);

    /// <summary>A copy into a freshly allocated tensor: the fair ceiling for operations that return a new tensor (page faults included).</summary>
    [Benchmark]
    public void Clone()
    {
        using var y = input.clone();
    }

    /// <summary>The fused kernel writing a fresh tensor (what Quantize returns).</summary>
    [Benchmark]
    public void FusedStochastic()
    {
        using var y = fused.Quantize(input);
    }

    /// <summary>
    /// The fused kernel alone, in place on a preallocated tensor: it reads and writes every value once, the same memory
    /// traffic as <see cref="Copy"/>, so its Ratio is the honest speed of the kernel (the buffer's values are already on
    /// the grid after the first call; the kernel does the same work on them).
    /// </summary>
    [Benchmark]
    public void FusedStochasticRoundInPlace() => fused.Quantize_(output);

    /// <summary>The fused kernel in place into a preallocated tensor (copy then round, as a training loop would).</summary>
    [Benchmark]
    public void FusedStochasticInPlace()
    {
        output.copy_(input);
        fused.Quantize_(output);
    }

    /// <summary>The readable reference: floor, fraction, rand, compare, add, scale, clamp as separate TorchSharp operations.</summary>
    [Benchmark]
    public void ComposedStochastic()
    {
        using var y = composed.Quantize(input);
    }
}
