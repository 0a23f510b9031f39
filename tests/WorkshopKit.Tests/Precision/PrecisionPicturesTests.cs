using WorkshopKit.Precision;

namespace WorkshopKit.Tests.Precision;

public class PrecisionPicturesTests
{
    [Fact]
    public void GridValuesAreEveryTwosComplementWordScaledByEps()
    {
        var format = NumberFormat.Fixed(5, 2); // <3,2>
        // Decode all 32 five-bit words as two's complement integers, then place the binary point 2 bits from the right.
        var decoded = Enumerable.Range(0, 32).Select(w => (w >= 16 ? w - 32 : w) / 4.0).Order().ToArray();
        Assert.Equal(decoded, PrecisionPictures.GridValues(format));
        Assert.Contains("WL <= 12", Assert.Throws<ArgumentException>(() => PrecisionPictures.GridValues(NumberFormat.Fixed(16, 12))).Message, StringComparison.Ordinal);
        string html = Plotly.NET.GenericChart.toChartHTML(PrecisionPictures.GridChart(format, NumberFormat.Fixed(5, 3)));
        Assert.Contains("<3,2>", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains("0.000244141", PrecisionPictures.FormatTable(NumberFormat.Fixed(16, 12)).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void NearestAlwaysPicksOnePointAndStochasticDrawsAverageToTheValue()
    {
        var draws = RoundingDraws.Of(NumberFormat.Fixed(8, 2), 0.6, draws: 10_000, seed: 3);
        Assert.Equal(new[] { 0.5, 0.75 }, draws.GridPoints);
        Assert.Equal(new long[] { 10_000, 0 }, draws.NearestCounts);
        Assert.Equal(0.5, draws.NearestValue);
        Assert.Equal(10_000, draws.StochasticCounts.Sum());
        // P(up) = (0.6 - 0.5) / 0.25 = 0.4; the count is binomial, SE = sqrt(0.4 * 0.6 / 10000) = 0.0049.
        // 5 SE (0.0245) gives a false alarm probability below 1e-6 for a correct rounder; the seed makes it repeatable.
        Assert.InRange(draws.FractionRoundedUp, 0.4 - 0.0245, 0.4 + 0.0245);
        // The mean is 0.5 + 0.25 * (fraction up), so the same 5 SE bound scaled by eps.
        Assert.InRange(draws.StochasticMean, 0.6 - 0.25 * 0.0245, 0.6 + 0.25 * 0.0245);
        Assert.Equal(0.5 + 0.25 * draws.FractionRoundedUp, draws.StochasticMean, 9);

        var onGrid = RoundingDraws.Of(NumberFormat.Fixed(8, 2), 0.75, draws: 100);
        Assert.Equal(new[] { 0.75 }, onGrid.GridPoints);
        Assert.Equal(0, onGrid.FractionRoundedUp);
        Assert.Contains("saturate", Assert.Throws<ArgumentException>(() => RoundingDraws.Of(NumberFormat.Fixed(4, 2), 3.0)).Message, StringComparison.Ordinal);
        Assert.Contains("\"barmode\":\"group\"", Plotly.NET.GenericChart.toChartHTML(draws.Chart()), StringComparison.Ordinal);
    }

    private static PrecisionResults Synthetic()
    {
        var settings = PrecisionResults.DefaultSettings;
        PrecisionRun Run(int? fl, string mode, double error) =>
            new(fl is null ? "float32" : $"<{16 - fl},{fl}> {mode}", fl is null ? 32 : 16, fl, fl is null ? "float32" : mode, error, 1, [new WorkshopKit.Training.CurvePoint(0, double.NaN, 2.3, 0.1)]);
        return new PrecisionResults("test data", 100, settings,
            [Run(null, "float32", 0.10), Run(8, "Nearest", 0.20), Run(12, "Nearest", 0.12), Run(8, "Stochastic", 0.11), Run(12, "Stochastic", 0.105)]);
    }

    [Fact]
    public void TestErrorTablePivotsRunsByFractionBitsAndRule()
    {
        var table = PrecisionPictures.TestErrorTable(Synthetic());
        Assert.Equal(["FL", "<IL,FL>", "test error, Nearest", "test error, Stochastic", "float32 baseline"], table.Headers);
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(["8", "<8,8>", "20.0 %", "11.0 %", "10.0 %"], table.Rows[0]);
        Assert.Equal(["12", "<4,12>", "12.0 %", "10.5 %", "10.0 %"], table.Rows[1]);
        string html = Plotly.NET.GenericChart.toChartHTML(PrecisionPictures.TestErrorChart(Synthetic()));
        Assert.Contains("[20.0,12.0]", html, StringComparison.Ordinal);
        Assert.Contains("float32 baseline", html, StringComparison.Ordinal);
        var onlyBaseline = new PrecisionResults("x", 100, PrecisionResults.DefaultSettings, [Synthetic().Runs[0]]);
        Assert.Contains("no fixed-point runs", Assert.Throws<ArgumentException>(() => PrecisionPictures.TestErrorTable(onlyBaseline)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheShippedResultsLoadIntoTheTable()
    {
        var results = PrecisionResults.Load(Path.Combine(WorkshopKit.Data.Datasets.FindDataDirectory(), "results", "precision"));
        var table = PrecisionPictures.TestErrorTable(results);
        Assert.Equal(["8", "10", "12", "14"], table.Rows.Select(r => r[0]));
    }

    [Fact]
    public void StagnationChartDrawsEachRunAndTheExactSum()
    {
        var a = StagnationDemo.Run(NumberFormat.Fixed(16, 12), Rounding.Nearest, steps: 50, record: 10);
        var b = StagnationDemo.Run(NumberFormat.Fixed(16, 12), Rounding.Stochastic, steps: 50, record: 10);
        string html = Plotly.NET.GenericChart.toChartHTML(PrecisionPictures.StagnationChart(a, b));
        Assert.Contains("exact sum", html, StringComparison.Ordinal);
        Assert.Contains("Stochastic", html, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PrecisionPictures.StagnationChart());
    }
}
