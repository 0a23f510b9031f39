using WorkshopKit.Data;
using WorkshopKit.Precision;

namespace WorkshopKit.Tests.Precision;

public class TrainingTests
{
    private static WorkshopKit.Data.Dataset Digits(int count, int seed)
    {
        var (x, y) = SyntheticDigits.Create(count, seed, noise: 0.3);
        return new WorkshopKit.Data.Dataset("synthetic digits", x.reshape(count, 1, 28, 28), y, Enumerable.Range(0, 10).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
    }

    [Fact]
    public void RoundToNearestDropsUpdatesBelowHalfAStepWhileStochasticRoundingKeepsThem()
    {
        // <8,8> has eps = 2^-8; with learning rate 1e-4 every step lr * gradient is far below eps / 2 (gradients here are
        // below 1 in magnitude), so round to nearest must leave every weight exactly where it was: the paper's stall.
        var (x, y) = SyntheticDigits.Create(64, seed: 3);
        var format = NumberFormat.Fixed(16, 8);
        using var nearest = new LowPrecisionMlp(784, 16, 10, new Quantizer(format, Rounding.Nearest, 1), seed: 1);
        using var stochastic = new LowPrecisionMlp(784, 16, 10, new Quantizer(format, Rounding.Stochastic, 1), seed: 1);
        using var w0 = nearest.W2.clone();
        for (int i = 0; i < 5; i++)
        {
            nearest.TrainStep(x, y, 1e-4);
            stochastic.TrainStep(x, y, 1e-4);
        }
        using var unchanged = nearest.W2.eq(w0).all();
        Assert.True(unchanged.item<bool>(), "round to nearest moved a weight by less than half a step");
        using var moved = stochastic.W2.ne(w0).sum();
        Assert.True(moved.item<long>() > 0, "stochastic rounding never moved a weight");
        using var onGrid = stochastic.W2.mul(256).frac().eq(0).all();
        Assert.True(onGrid.item<bool>(), "weights left the <8,8> grid");
    }

    [Fact]
    public void Float32BaselineLearnsTheSyntheticTaskAndResultsRoundTrip()
    {
        using var train = Digits(1000, seed: 1);
        using var test = Digits(300, seed: 2);
        var settings = PrecisionResults.DefaultSettings with { Epochs = 2, EvaluateEvery = 20 };
        var results = PrecisionResults.Train("synthetic", train, test, [new PrecisionConfig(null, Rounding.Nearest)], hidden: 32, settings);
        var run = Assert.Single(results.Runs);
        Assert.True(run.Curve[0].TestError > 0.5, $"an untrained network should be near chance (0.9), got {run.Curve[0].TestError}");
        Assert.True(run.TestError < 0.2, $"float32 baseline test error {run.TestError}");

        string dir = Path.Combine(Path.GetTempPath(), "workshopkit-precision-" + Guid.NewGuid().ToString("N"));
        try
        {
            results.Save(dir);
            var loaded = PrecisionResults.Load(dir);
            Assert.Equal(run.TestError, loaded.Runs[0].TestError);
            Assert.Equal(run.Curve.Count, loaded.Runs[0].Curve.Count);
            Assert.Equal(32, loaded.Hidden);
            Assert.Equal(settings with { Device = null }, loaded.Settings);
            Assert.Contains("float32", File.ReadAllText(Path.Combine(dir, "results.csv")), StringComparison.Ordinal);
            Assert.Contains("plotly", File.ReadAllText(Path.Combine(dir, "curves.html")), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
