using TorchSharp;
using static TorchSharp.torch;

namespace WorkshopKit.Precision;

/// <summary>
/// The readable reference: rounding written as a short composition of TorchSharp operations, one line per step
/// of the definition. It runs on any device and is what the fused CPU kernel is tested against.
/// </summary>
/// <remarks>Not called in a notebook: behind the saved results of notebook 02 (Hardware and precision), section "2.4 Limited-precision training (saved results)" (experiments/precision.cs).</remarks>
internal static class ComposedRounding
{
    /// <summary>
    /// Rounds float32 <paramref name="x"/> onto the fixed-point grid: scale by 2^FL (exact), round to an integer grid index
    /// with <paramref name="mode"/>, scale back, saturate to [Min, Max]. NaN stays NaN; infinities saturate.
    /// </summary>
    /// <param name="x">A float32 tensor on any device.</param>
    /// <param name="format">The fixed-point format.</param>
    /// <param name="mode">The rounding rule.</param>
    /// <param name="generator">The random source for <see cref="Rounding.Stochastic"/> (on <paramref name="x"/>'s device); null uses the global one.</param>
    public static Tensor Fixed(Tensor x, FixedPoint format, Rounding mode, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        // Scalars hold native memory and dispose scopes do not track them: each is disposed here, not left to the
        // finalizer (10,000 calls otherwise grew the process by about 40 MB, MemoryTests).
        using Scalar scale = Math.ScaleB(1.0, format.FractionBits), epsilon = format.Epsilon, min = format.Min, max = format.Max;
        Tensor s = x * scale;                       // grid units: exact, a power-of-two scaling
        switch (mode)
        {
            case Rounding.Nearest: s.round_(); break;      // libtorch rounds half to even
            case Rounding.TowardZero: s.trunc_(); break;
            case Rounding.Down: s.floor_(); break;
            case Rounding.Stochastic: StochasticIndex_(s, generator); break;
            default: throw UnknownMode(mode);
        }
        Tensor y = s.mul_(epsilon).clamp_(min, max); // clamp keeps NaN, saturates infinities
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Rounds float32 <paramref name="x"/> onto a float16 or bfloat16 grid (as float32 values): find each value's ulp in the
    /// target from its binary exponent (frexp), then round |x| / ulp to an integer exactly as for fixed point.
    /// Overflow saturates to the largest finite value instead of becoming infinity.
    /// </summary>
    /// <param name="x">A float32 tensor on any device.</param>
    /// <param name="format">float16 or bfloat16.</param>
    /// <param name="mode"><see cref="Rounding.Nearest"/> or <see cref="Rounding.Stochastic"/>.</param>
    /// <param name="generator">The random source for <see cref="Rounding.Stochastic"/>; null uses the global one.</param>
    public static Tensor Float(Tensor x, FloatFormat format, Rounding mode, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using Scalar one = 1, minExponent = format.MinExponent, precisionShift = format.Precision - 1, min = format.Min, max = format.Max;
        // Each step works in place on one of two buffers: written as a chain of fresh tensors (and ldexp), every call
        // left glibc's heap about 700 KB larger for a 1 MB input (freed, but not reused or returned; docs/reliability.md).
        Tensor s = x.abs();
        var (mantissa, exponent) = frexp(s);                 // |x| = m * 2^exponent with m in [0.5, 1)
        mantissa.Dispose();
        // ulp = 2^(binade - (p - 1)), where below the normal range the spacing stops shrinking; exp2 of an integer is exact.
        Tensor ulp = exponent.sub_(one).clamp_min_(minExponent).sub_(precisionShift).to_type(ScalarType.Float32).exp2_();
        exponent.Dispose();
        s.div_(ulp);                                          // grid units, exact: division by a power of two
        switch (mode)
        {
            case Rounding.Nearest: s.round_(); break;
            case Rounding.Stochastic: StochasticIndex_(s, generator); break;
            default: throw new ArgumentException($"Rounding to {format.Name} supports Nearest and Stochastic, not {mode}. Use one of those two, or a fixed-point format.", nameof(mode));
        }
        using (Tensor sign = x.sign()) s.mul_(ulp).mul_(sign).clamp_(min, max);
        return s.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The slide's rule on grid units: floor(s) + 1 with probability s - floor(s), else floor(s).
    /// A uniform u in [0,1) (24 random bits) is below the fractional part with exactly that probability.
    /// </summary>
    private static void StochasticIndex_(Tensor s, Generator? generator)
    {
        using Tensor lower = s.floor();
        s.sub_(lower);                                      // the fractional part, exact in float32
        using Tensor u = rand(s.shape, ScalarType.Float32, s.device, generator: generator);
        s.copy_(lower.add_(u.lt_(s)));                      // inf: fraction is NaN, never up; stays inf, then saturates
    }

    internal static ArgumentException UnknownMode(Rounding mode) =>
        new($"Unknown rounding mode {(int)mode}; use one of {string.Join(", ", Enum.GetNames<Rounding>())}.", nameof(mode));
}
