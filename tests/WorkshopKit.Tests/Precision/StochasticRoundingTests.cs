using WorkshopKit.Precision;

namespace WorkshopKit.Tests.Precision;

/// <summary>
/// Statistical properties of stochastic rounding. Tolerance rule used throughout: rounding x = (k + f) eps
/// moves up with probability f, so one draw's error is a scaled Bernoulli with variance f(1 - f) eps^2 and the
/// mean of N independent draws has standard error SE = eps sqrt(f(1 - f) / N). We accept |mean error| &lt;= 5 SE:
/// for an unbiased rounder that fails with probability about 6e-7 (two-sided normal tail), while a bias of one
/// 24-bit step or more per draw would already be ~1 SE at N = 2^20, and a real bug (e.g. truncation) is thousands of SE.
/// All draws are seeded, so the tests are repeatable.
/// </summary>
public class StochasticRoundingTests
{
    private const double Tolerance = 5.0; // standard errors, see the class comment

    public static TheoryData<QuantizerEngine, double> EnginesAndFractions()
    {
        var data = new TheoryData<QuantizerEngine, double>();
        foreach (var e in new[] { QuantizerEngine.Fused, QuantizerEngine.Composed })
            foreach (var f in new[] { 0.001, 0.1, 0.25, 0.5, 0.7, 0.999 })
                data.Add(e, f);
        return data;
    }

    [Theory]
    [MemberData(nameof(EnginesAndFractions))]
    public void ProbabilityOfRoundingUpEqualsTheFractionalPart(QuantizerEngine engine, double fraction)
    {
        var format = NumberFormat.Fixed(16, 12);
        double eps = format.Epsilon;
        const int N = 1 << 20;
        float x = (float)((37 + fraction) * eps); // exact in float32: 37 + f needs few bits for these f
        double f = x / eps - 37;                  // the fraction float32 actually holds
        using var input = full(N, x);
        using var q = new Quantizer(format, Rounding.Stochastic, seed: 12345, engine: engine).Quantize(input);
        float[] y = q.data<float>().ToArray();
        long up = 0;
        foreach (float v in y)
        {
            if (v == (float)(38 * eps)) up++;
            else Assert.Equal((float)(37 * eps), v); // only the two neighbours may appear
        }
        double pUp = (double)up / N;
        double se = Math.Sqrt(f * (1 - f) / N);   // SE of a Bernoulli proportion
        Assert.True(Math.Abs(pUp - f) <= Tolerance * se, $"P(up) = {pUp:F6}, expected {f:F6} +- {Tolerance * se:F6}");
        // E[SR(x)] = x: the mean error in eps units is the same proportion minus f, tested in value units here.
        double meanError = y.Average(v => (double)v) - x;
        Assert.True(Math.Abs(meanError) <= Tolerance * se * eps + 1e-12, $"mean error {meanError:E3} exceeds {Tolerance * se * eps:E3}");
    }

    [Theory]
    [InlineData(QuantizerEngine.Fused)]
    [InlineData(QuantizerEngine.Composed)]
    public void MeanErrorOverManyDifferentValuesIsWithinAFewStandardErrorsOfZero(QuantizerEngine engine)
    {
        var format = NumberFormat.Fixed(16, 8);
        double eps = format.Epsilon;
        const int N = 1 << 20;
        using var x = rand(N, generator: new Generator(99)).mul_(200).sub_(100); // inside <8,8>'s range
        using var q = new Quantizer(format, Rounding.Stochastic, seed: 7, engine: engine).Quantize(x);
        double[] xs = x.data<float>().ToArray().Select(v => (double)v).ToArray();
        float[] ys = q.data<float>().ToArray();
        double sum = 0, variance = 0;
        for (int i = 0; i < N; i++)
        {
            sum += ys[i] - xs[i];
            double f = xs[i] / eps - Math.Floor(xs[i] / eps);
            variance += f * (1 - f) * eps * eps;   // each draw's Bernoulli variance
        }
        double mean = sum / N, se = Math.Sqrt(variance) / N;
        Assert.True(Math.Abs(mean) <= Tolerance * se, $"mean error {mean:E3}, SE {se:E3}");
    }

    [Theory]
    [InlineData(QuantizerEngine.Fused, "float16")]
    [InlineData(QuantizerEngine.Composed, "float16")]
    [InlineData(QuantizerEngine.Fused, "bfloat16")]
    [InlineData(QuantizerEngine.Composed, "bfloat16")]
    public void StochasticRoundingToFloatTargetsIsUnbiasedAndStaysBetweenNeighbours(QuantizerEngine engine, string name)
    {
        var format = name == "float16" ? FloatFormat.Float16 : FloatFormat.BFloat16;
        const int N = 1 << 20;
        // 1 + 0.3 ulp, -(3 + 0.6 ulp) and 50.75 times float16's smallest subnormal: grid values plus fractions exact in float32.
        foreach (double v in new[] { 1.0, -3.0, 50 * Math.ScaleB(1.0, -24) })
        {
            double ulp = format.UnitInLastPlace(v);
            double f = Math.Abs(v) > 1e-3 ? (v > 0 ? 0.3 : 0.6) : 0.75;
            float x = (float)(v + Math.Sign(v) * f * ulp);
            f = Math.Abs(x - v) / ulp;
            if (name == "bfloat16" && Math.Abs(v) < 1e-3) continue; // no bfloat16 subnormals at this magnitude
            using var input = full(N, x);
            using var q = new Quantizer(format, Rounding.Stochastic, seed: 3, engine: engine).Quantize(input);
            float[] y = q.data<float>().ToArray();
            double away = (float)(v + Math.Sign(v) * ulp);
            long up = y.LongCount(t => t == away);
            Assert.Equal(N, up + y.LongCount(t => t == (float)v));
            double p = (double)up / N, se = Math.Sqrt(f * (1 - f) / N);
            Assert.True(Math.Abs(p - f) <= Tolerance * se, $"{name} x = {x:R}: P(away) = {p:F6}, expected {f:F6} +- {Tolerance * se:F6}");
        }
    }

    [Fact]
    public void StagnationNearestGetsStuckWhereStochasticTracksTheSum()
    {
        // Brute-force reference with System.Half (round to nearest even on every addition): where does float16 stop?
        Half h = (Half)0f;
        for (int i = 0; i < 10_000; i++) h = (Half)((float)h + 1e-4f);
        float stuck = (float)h;
        Assert.True(stuck < 0.5f, "the reference itself should stagnate far below the true sum 1.0");

        var nearest = StagnationDemo.Run(FloatFormat.Float16, Rounding.Nearest, steps: 10_000, increment: 1e-4f, accumulators: 64, seed: 1);
        Assert.Equal(stuck, nearest.FinalMean, 6);
        var stochastic = StagnationDemo.Run(FloatFormat.Float16, Rounding.Stochastic, steps: 10_000, increment: 1e-4f, accumulators: 64, seed: 1);
        // Each step adds at most one Bernoulli of variance <= ulp^2/4 with ulp <= 2^-11 below 1, so one accumulator's
        // final SD is at most sqrt(10000) * 2^-11 / 2 = 0.0244; the mean of 64 has SE <= 0.0031. 5 SE = 0.0153.
        Assert.True(Math.Abs(stochastic.FinalMean - stochastic.ExactSum) <= 0.0153, $"SR mean {stochastic.FinalMean} vs exact {stochastic.ExactSum}");

        var coarse = NumberFormat.Fixed(16, 12); // eps = 2.44e-4 > 2 * 1e-4: nearest never leaves 0
        Assert.Equal(0f, StagnationDemo.Run(coarse, Rounding.Nearest, 10_000, 1e-4f, 64, 1).FinalMean);
        var sr = StagnationDemo.Run(coarse, Rounding.Stochastic, 10_000, 1e-4f, 64, 1);
        // Variance per step f(1-f) eps^2 <= eps^2/4: SD <= 100 * eps / 2 = 0.0122 per accumulator, SE of 64 <= 0.0015; 5 SE = 0.0077.
        Assert.True(Math.Abs(sr.FinalMean - sr.ExactSum) <= 0.0077, $"SR fixed mean {sr.FinalMean} vs exact {sr.ExactSum}");
    }
}
