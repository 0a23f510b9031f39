using WorkshopKit.Precision;

namespace WorkshopKit.Tests.Precision;

/// <summary>Properties every rounding engine must have, checked against brute-force loops written here in double precision.</summary>
public class RoundingTests
{
    public static TheoryData<QuantizerEngine> Engines => new() { QuantizerEngine.Fused, QuantizerEngine.Composed };

    private static float[] Values(Tensor t) => t.data<float>().ToArray();

    private static bool Same(Tensor a, Tensor b)
    {
        using var eq = a.eq(b).all();
        return eq.item<bool>();
    }

    /// <summary>Random values spread over several binades, negative and positive, as a seeded test input.</summary>
    private static float[] Spread(int n, int seed, double range)
    {
        var rng = new Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)((rng.NextDouble() * 2 - 1) * range * Math.Pow(2, -rng.Next(0, 12)));
        return v;
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void DeterministicModesMatchABruteForceLoop(QuantizerEngine engine)
    {
        var f = NumberFormat.Fixed(12, 6); // <6,6>: range [-32, 32 - 1/64]
        float[] x = Spread(10_003, 1, 40); // an odd size exercises the fused kernel's scalar tail
        using var t = tensor(x);
        foreach (var mode in new[] { Rounding.Nearest, Rounding.TowardZero, Rounding.Down })
        {
            using var q = new Quantizer(f, mode, engine: engine).Quantize(t);
            float[] y = Values(q);
            for (int i = 0; i < x.Length; i++)
            {
                double s = x[i] * 64.0;
                double index = mode switch
                {
                    Rounding.Nearest => Math.Round(s, MidpointRounding.ToEven),
                    Rounding.TowardZero => Math.Truncate(s),
                    _ => Math.Floor(s),
                };
                double expected = Math.Clamp(index / 64.0, -32.0, 32.0 - 1.0 / 64);
                Assert.True(expected == y[i], $"{mode}: x = {x[i]:R} gave {y[i]:R}, expected {expected:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void NearestTiesGoToTheEvenNeighbour(QuantizerEngine engine)
    {
        // In units of eps = 1/4: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, 3.5 -> 4, and the mirrored negatives.
        float e = 0.25f;
        using var t = tensor(new[] { 0.5f * e, 1.5f * e, 2.5f * e, 3.5f * e, -0.5f * e, -1.5f * e, -2.5f * e });
        using var q = new Quantizer(NumberFormat.Fixed(8, 2), Rounding.Nearest, engine: engine).Quantize(t);
        Assert.Equal(new[] { 0f, 2 * e, 2 * e, 4 * e, 0f, -2 * e, -2 * e }, Values(q));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void ErrorBoundsHoldForEveryValue(QuantizerEngine engine)
    {
        var f = NumberFormat.Fixed(16, 10);
        double eps = f.Epsilon;
        float[] x = Spread(50_000, 2, 30); // inside the range [-32, 32)
        using var t = tensor(x);
        using var rn = new Quantizer(f, Rounding.Nearest, engine: engine).Quantize(t);
        using var sr = new Quantizer(f, Rounding.Stochastic, seed: 3, engine: engine).Quantize(t);
        float[] yn = Values(rn), ys = Values(sr);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(Math.Abs(yn[i] - (double)x[i]) <= eps / 2, $"nearest error too large at x = {x[i]:R}");
            Assert.True(Math.Abs(ys[i] - (double)x[i]) < eps, $"stochastic error not below one step at x = {x[i]:R}");
            double lower = Math.Floor(x[i] / eps) * eps; // SR picks one of the two neighbours
            Assert.True(ys[i] == lower || ys[i] == lower + eps, $"stochastic left the neighbours of x = {x[i]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void GridValuesAreFixedPointsOfEveryMode(QuantizerEngine engine)
    {
        var f = NumberFormat.Fixed(10, 4);
        using var grid = arange(-512, 512, dtype: ScalarType.Float32) / 16f; // every value of <6,4>
        foreach (var mode in Enum.GetValues<Rounding>())
        {
            using var q = new Quantizer(f, mode, seed: 5, engine: engine).Quantize(grid);
            Assert.True(Same(q, grid), $"{mode} moved a grid value");
        }
        foreach (var ff in new[] { FloatFormat.Float16, FloatFormat.BFloat16 })
        {
            using var onGrid = randn(4096, generator: new Generator(7)).mul(100).to_type(ff.ScalarType).to_type(ScalarType.Float32);
            foreach (var mode in new[] { Rounding.Nearest, Rounding.Stochastic })
            {
                using var q = new Quantizer(ff, mode, seed: 5, engine: engine).Quantize(onGrid);
                Assert.True(Same(q, onGrid), $"{ff} {mode} moved a grid value");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void OutOfRangeValuesAndInfinitiesSaturateAndNaNStaysNaN(QuantizerEngine engine)
    {
        var f = NumberFormat.Fixed(8, 4); // <4,4>: [-8, 8 - 1/16]
        using var t = tensor(new[] { 100f, -100f, 8f, -8.01f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 3e38f });
        foreach (var mode in Enum.GetValues<Rounding>())
        {
            using var q = new Quantizer(f, mode, seed: 1, engine: engine).Quantize(t);
            float[] y = Values(q);
            Assert.Equal(new[] { f.Max, f.Min, f.Max, f.Min, f.Max, f.Min }, y[..6]);
            Assert.True(float.IsNaN(y[6]), $"{mode}: NaN became {y[6]}");
            Assert.Equal(f.Max, y[7]);
        }
        var counts = new Quantizer(f, Rounding.Nearest).Saturation(t);
        Assert.Equal((8L, 4L, 3L, 1L), (counts.Elements, counts.AboveMax, counts.BelowMin, counts.NaN));
        foreach (var ff in new[] { FloatFormat.Float16, FloatFormat.BFloat16 })
        {
            using var big = tensor(new[] { 1e6f, -1e6f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue });
            using var q = new Quantizer(ff, Rounding.Nearest, engine: engine).Quantize(big);
            float[] y = Values(q);
            float bigOut = ff == FloatFormat.Float16 ? ff.Max : 1e6f.ToBFloat16Nearest();
            Assert.Equal(new[] { bigOut, -bigOut, ff.Max, ff.Min }, y[..4]);
            Assert.True(float.IsNaN(y[4]));
            Assert.Equal(ff.Max, y[5]);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void NearestToFloatTargetsEqualsTorchCastsInRange(QuantizerEngine engine)
    {
        // libtorch's float32 -> float16/bfloat16 casts round to nearest even: an independent reference.
        float[] x = Spread(20_001, 9, 60_000);
        x[0] = 1e-7f; x[1] = -3e-8f; x[2] = 1e-40f; x[3] = 0f; // float16 subnormals, a float32 subnormal, zero
        using var t = tensor(x);
        foreach (var ff in new[] { FloatFormat.Float16, FloatFormat.BFloat16 })
        {
            using var q = new Quantizer(ff, Rounding.Nearest, engine: engine).Quantize(t);
            using var cast = t.to_type(ff.ScalarType).to_type(ScalarType.Float32);
            Assert.True(Same(q, cast), $"{ff}: nearest differs from libtorch's cast");
        }
    }

    [Fact]
    public void FusedAndComposedAgreeExactlyOnDeterministicModesIncludingSpecialValues()
    {
        float[] x = Spread(70_001, 11, 1e5); // more than one fused block
        x[10] = float.NaN; x[11] = float.PositiveInfinity; x[12] = float.NegativeInfinity; x[13] = 1e-42f; x[14] = -0f; x[15] = 3e38f;
        using var t = tensor(x);
        var formats = new NumberFormat[] { NumberFormat.Fixed(16, 8), NumberFormat.Fixed(32, 0), NumberFormat.Fixed(32, 31), NumberFormat.Fixed(2, 1), FloatFormat.Float16, FloatFormat.BFloat16 };
        foreach (var f in formats)
            foreach (var mode in f is FloatFormat ? new[] { Rounding.Nearest } : new[] { Rounding.Nearest, Rounding.TowardZero, Rounding.Down })
            {
                using var a = new Quantizer(f, mode, engine: QuantizerEngine.Fused).Quantize(t);
                using var b = new Quantizer(f, mode, engine: QuantizerEngine.Composed).Quantize(t);
                float[] ya = Values(a), yb = Values(b);
                for (int i = 0; i < x.Length; i++)
                    Assert.True(ya[i] == yb[i] || (float.IsNaN(ya[i]) && float.IsNaN(yb[i])), $"{f} {mode}: x = {x[i]:R}: fused {ya[i]:R}, composed {yb[i]:R}");
            }
    }

    [Fact]
    public void SameSeedRepeatsAndLaterCallsDrawFreshNumbers()
    {
        using var x = full(10_000, 0.3f);
        var f = NumberFormat.Fixed(8, 2);
        foreach (var engine in new[] { QuantizerEngine.Fused, QuantizerEngine.Composed })
        {
            var q1 = new Quantizer(f, Rounding.Stochastic, seed: 42, engine: engine);
            var q2 = new Quantizer(f, Rounding.Stochastic, seed: 42, engine: engine);
            using var a = q1.Quantize(x);
            using var b = q2.Quantize(x);
            using var c = q1.Quantize(x);
            Assert.True(Same(a, b), $"{engine}: same seed, different results");
            Assert.False(Same(a, c), $"{engine}: second call repeated the first");
        }
    }

    [Fact]
    public void InPlaceQuantizationEqualsTheCopyingForm()
    {
        var f = NumberFormat.Fixed(16, 10);
        using var x = tensor(Spread(5000, 4, 10));
        using var expected = new Quantizer(f, Rounding.Stochastic, seed: 8).Quantize(x);
        using var y = x.clone();
        var returned = new Quantizer(f, Rounding.Stochastic, seed: 8).Quantize_(y);
        Assert.Same(y, returned);
        Assert.True(Same(y, expected));
    }
}

internal static class BFloat16Reference
{
    /// <summary>bfloat16 nearest-even of a float32, through libtorch's cast: a reference independent of WorkshopKit.</summary>
    public static float ToBFloat16Nearest(this float v)
    {
        using var t = tensor(new[] { v });
        using var c = t.to_type(ScalarType.BFloat16).to_type(ScalarType.Float32);
        return c.item<float>();
    }
}
