using TorchSharp;
using WorkshopKit.Runtime;
using static TorchSharp.torch;

namespace WorkshopKit.Precision;

/// <summary>
/// The smallest demonstration of why stochastic rounding matters: keep adding an increment smaller than half the
/// accumulator's grid spacing. Round to nearest throws every increment away once the spacing is large enough;
/// stochastic rounding keeps each one with the right probability, so the sum is right on average.
/// </summary>
/// <remarks>First used in notebook 02 (Hardware and precision), section "2.3 Stagnation: when small updates vanish".</remarks>
public static class StagnationDemo
{
    /// <summary>Adds <paramref name="increment"/> <paramref name="steps"/> times to <paramref name="accumulators"/> independent accumulators, rounding after each addition.</summary>
    /// <param name="format">Accumulator format (e.g. float16 or a coarse fixed point).</param>
    /// <param name="mode">Rounding rule.</param>
    /// <param name="steps">Number of additions.</param>
    /// <param name="increment">The value added each step (float32).</param>
    /// <param name="accumulators">How many independent runs to average (stochastic rounding differs per run).</param>
    /// <param name="seed">Random seed.</param>
    /// <param name="record">Record the mean every this many steps.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/>, <paramref name="accumulators"/> or <paramref name="record"/> is below 1, or <paramref name="increment"/> is NaN or infinite.</exception>
    public static StagnationResult Run(NumberFormat format, Rounding mode, int steps = 10_000, float increment = 1e-4f, int accumulators = 64, long seed = 0, int record = 100)
    {
        Guard.AtLeast(steps, 1, nameof(steps), "Pass how many additions to make, e.g. steps: 10_000 (the default).");
        Guard.Finite(increment, nameof(increment), "Pass the small number added each step, e.g. increment: 1e-4f (the default); a NaN or infinite increment makes every mean NaN or infinite.");
        Guard.AtLeast(accumulators, 1, nameof(accumulators), "Pass how many independent runs to average, e.g. accumulators: 64 (the default).");
        Guard.AtLeast(record, 1, nameof(record), "Pass how often to record the mean, in steps, e.g. record: 100 (the default).");
        var q = new Quantizer(format, mode, seed);
        using var sum = zeros(accumulators);
        // Explicit scalars, held to the end of the loop: TorchSharp leaves an implicitly converted Scalar (sum.add_(1e-4f))
        // and its default alpha to the garbage collector, and in a busy test process one was freed while libtorch still
        // read it ("Expected false to be true ... toFloat at c10/core/Scalar.h", 1 of 40,000 calls, CI 2026-12-02).
        using var step = increment.ToScalar();
        using var one = 1.ToScalar();
        var at = new List<int> { 0 };
        var mean = new List<double> { 0 };
        var exact = new List<double> { 0 };
        for (int i = 1; i <= steps; i++)
        {
            sum.add_(step, one);   // float32 addition...
            q.Quantize_(sum);      // ...then round the result, as low-precision hardware would store it
            if (i % record == 0 || i == steps)
            {
                using var m = sum.mean();
                at.Add(i);
                mean.Add(m.item<float>());
                exact.Add(i * (double)increment);
            }
        }
        return new StagnationResult(format, mode, at, mean, exact);
    }
}
