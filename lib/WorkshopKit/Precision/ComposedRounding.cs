using TorchSharp;
using static TorchSharp.torch;

namespace WorkshopKit.Precision;

/// <summary>
/// The readable reference: rounding written as a short composition of TorchSharp operations, one line per step
/// of the definition. It runs on any device and is what the fused CPU kernel is tested against.
/// </summary>
/// <remarks>Not called in a notebook: behind the saved results of notebook 02 (Hardware and precision), section "2.4 Limited-precision training (saved results)" (experiments/precision.cs).</remarks>
public static class ComposedRounding
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
        Tensor index = mode switch
        {
            Rounding.Nearest => s.round(),       // libtorch rounds half to even
            Rounding.TowardZero => s.trunc(),
            Rounding.Down => s.floor(),
            Rounding.Stochastic => StochasticIndex(s, generator),
            _ => throw UnknownMode(mode),
        };
        Tensor y = (index * epsilon).clamp(min, max); // clamp keeps NaN, saturates infinities
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
        Tensor magnitude = x.abs();
        var (_, exponent) = frexp(magnitude);               // |x| = m * 2^exponent with m in [0.5, 1)
        Tensor binade = (exponent - one).clamp_min(minExponent); // below the normal range the spacing stops shrinking
        Tensor ulp = ldexp(ones_like(magnitude), binade - precisionShift);
        Tensor s = magnitude / ulp;                         // exact: division by a power of two
        Tensor index = mode switch
        {
            Rounding.Nearest => s.round(),
            Rounding.Stochastic => StochasticIndex(s, generator),
            _ => throw new ArgumentException($"Rounding to {format.Name} supports Nearest and Stochastic, not {mode}. Use one of those two, or a fixed-point format.", nameof(mode)),
        };
        Tensor y = (x.sign() * index * ulp).clamp(min, max);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The slide's rule on grid units: floor(s) + 1 with probability s - floor(s), else floor(s).
    /// A uniform u in [0,1) (24 random bits) is below the fractional part with exactly that probability.
    /// </summary>
    private static Tensor StochasticIndex(Tensor s, Generator? generator)
    {
        Tensor lower = s.floor();
        Tensor fraction = s - lower;                        // exact in float32
        Tensor u = rand(s.shape, ScalarType.Float32, s.device, generator: generator);
        return lower + (u < fraction).to_type(ScalarType.Float32); // inf: fraction is NaN, never up; stays inf, then saturates
    }

    internal static ArgumentException UnknownMode(Rounding mode) =>
        new($"Unknown rounding mode {(int)mode}; use one of {string.Join(", ", Enum.GetNames<Rounding>())}.", nameof(mode));
}
