using Plotly.NET;
using WorkshopKit.Blocks;
using WorkshopKit.Data;
using WorkshopKit.Training;

namespace WorkshopKit.Tests.Training;

/// <summary>
/// Reading saved zoo runs (a file written here in the format of experiments/zoo.cs), joining them with live costs,
/// and choosing the best model per MAC by a ratio computed in the test.
/// </summary>
public sealed class ZooResultsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("zoo-results-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private void Save(string json)
    {
        Directory.CreateDirectory(Path.Combine(dir, "results", "zoo"));
        File.WriteAllText(Path.Combine(dir, "results", "zoo", "zoo.json"), json);
    }

    private static string Run(string dataset, string model, double accuracy, double seconds) =>
        $$"""{"dataset":"{{dataset}}","model":"{{model}}","parameters":1,"macs":2,"macsAllTaps":3,"trainImages":2000,"epochs":3,"secondsPerEpoch":{{seconds}},"testAccuracy":{{accuracy}},"curve":[],"stop":"3 epochs done","device":"cpu"}""";

    [Fact]
    public void WhatTheExperimentWritesIsWhatTheLoaderReads()
    {
        // The experiment serializes the same typed records the loader reads: a run written is the run read, curve included.
        EpochResult epoch = new(1, 0.38, 0.883, 0.146, 0.949, 1.5, 1.5, 42);
        var run = new ZooRun("Mnist", "plain", 105914, 1027776, 1117056, 8000, 1, 0.78, 0.949, [epoch], "3 epochs done", "cuda");
        Save(System.Text.Json.JsonSerializer.Serialize(new ZooResultsFile("dotnet run experiments/zoo.cs -- zoo 8000 20", [run], "quiet"), ResultsJson.Options));
        var saved = ZooResults.Load(dir);
        var read = Assert.Single(saved.Runs);
        Assert.Equal(run with { Curve = read.Curve }, read);
        Assert.Equal(epoch, Assert.Single(read.Curve));
        Assert.Equal(("dotnet run experiments/zoo.cs -- zoo 8000 20", "quiet"), (saved.Command, saved.Note));
    }

    [Fact]
    public void ARunWithoutItsDeviceIsRefusedWithTheCommand()
    {
        string noDevice = Run("Mnist", "plain", 0.97, 4.5).Replace(",\"device\":\"cpu\"", "", StringComparison.Ordinal);
        Save($$"""{"command":"c","runs":[{{noDevice}}]}""");
        var e = Assert.Throws<InvalidDataException>(() => ZooResults.Load(dir));
        Assert.Contains("device", e.Message, StringComparison.Ordinal);
        Assert.Contains(ZooResults.DefaultCommand, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileGivesNoRunsAndTheCommand()
    {
        var saved = ZooResults.Load(dir);
        Assert.False(saved.Any);
        Assert.Contains("not there yet", saved.Source, StringComparison.Ordinal);
        Assert.Equal(ZooResults.DefaultCommand, saved.Command);
        var zoo = ZooComparison.Build(saved);
        Assert.Empty(zoo.ParetoFront(DatasetName.Mnist));
        Assert.Contains(ZooResults.DefaultCommand, zoo.ToString(), StringComparison.Ordinal);
        // Without accuracies the chart falls back to parameters (thousands) versus MACs of the four models.
        using var doc = System.Text.Json.JsonDocument.Parse(GenericChart.toJson(zoo.ToChart()));
        var y = doc.RootElement.GetProperty("data")[0].GetProperty("y").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(zoo.Entries.Select(e => Math.Round(e.Parameters / 1e3, 2)), y);
        Assert.Equal("parameters (thousands)", doc.RootElement.GetProperty("layout").GetProperty("yaxis").GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void SavedRunsAreJoinedWithLiveCostsAndTheParetoFrontIsDrawn()
    {
        // Accuracies are whole numbers of images out of the shipped test splits (1,996 MNIST and 3,000 Fashion-MNIST images).
        double plainMnist = 1936 / 1996.0, denseMnist = 1966 / 1996.0, plainFashion = 2550 / 3000.0;
        Save($$"""{"command":"dotnet run experiments/zoo.cs -- zoo 2000 20","runs":[{{Run("Mnist", "plain", plainMnist, 4.5)}},{{Run("Mnist", "densenet", denseMnist, 30)}},{{Run("FashionMnist", "plain", plainFashion, 4)}}],"note":"shared machine"}""");
        var saved = ZooResults.Load(dir);
        Assert.Equal(3, saved.Runs.Count);
        Assert.Equal("dotnet run experiments/zoo.cs -- zoo 2000 20", saved.Command);
        Assert.Equal(denseMnist, saved.Find(DatasetName.Mnist, "densenet")!.TestAccuracy);

        var zoo = ZooComparison.Build(saved);
        Assert.Equal(ModelZoo.Names, zoo.Entries.Select(e => e.Model));
        using var plain = ModelZoo.PlainCnn();
        using var dense = ModelZoo.SmallDenseNet();
        var plainEntry = zoo.Entries[0];
        Assert.Equal(plain.parameters().Sum(p => p.numel()), plainEntry.Parameters);
        Assert.Equal(plain.Describe(FeatureShape.Mnist).Macs, plainEntry.Macs);
        Assert.Null(zoo.Entries[1].MnistAccuracy);
        Assert.Equal(plainFashion, plainEntry.FashionAccuracy);
        Assert.Equal((1996, 3000), (plainEntry.MnistTestImages, plainEntry.FashionTestImages));

        // The plain CNN is cheaper, the DenseNet more accurate: neither dominates the other, so both are on the front.
        Assert.True(plainEntry.Macs < dense.Describe(FeatureShape.Mnist).Macs);
        Assert.Equal(["plain", "densenet"], zoo.ParetoFront(DatasetName.Mnist).Select(e => e.Model));
        Assert.Equal("densenet", zoo.MostAccurate(DatasetName.Mnist)!.Model);
        Assert.Contains("not saved", zoo.ToString(), StringComparison.Ordinal);
        // Accuracy ± half the 95 % interval, 1.96 * sqrt(p (1 - p) / n), in points.
        Assert.Contains($"96.99% ± {100 * 1.96 * Math.Sqrt(plainMnist * (1 - plainMnist) / 1996):0.00}", zoo.ToString(), StringComparison.Ordinal);

        using var doc = System.Text.Json.JsonDocument.Parse(GenericChart.toJson(zoo.ToChart()));
        var data = doc.RootElement.GetProperty("data");
        Assert.Equal(4, data.GetArrayLength()); // per dataset: the front's staircase, then the points (MNIST 2, Fashion-MNIST 1)
        Assert.Equal(new[] { 96.99, 98.5 }, data[0].GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(new[] { 96.99, 98.5 }, data[1].GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));
        // The accuracy axis starts just below the lowest error bar (85 % minus its interval), not at 0.
        Assert.Equal(Math.Floor(100 * (plainFashion - 1.96 * Math.Sqrt(plainFashion * (1 - plainFashion) / 3000))) - 1,
            doc.RootElement.GetProperty("layout").GetProperty("yaxis").GetProperty("range")[0].GetDouble());
        // The log MACs axis has 1-2-5 ticks spanning every model (plotly's own crowd "0.9" into "1"): each tick at least
        // twice the one before, the first at or below the cheapest model, the last at or above the dearest.
        var ticks = doc.RootElement.GetProperty("layout").GetProperty("xaxis").GetProperty("tickvals").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var macs = zoo.Entries.Select(e => e.Macs / 1e6).ToArray();
        Assert.True(ticks[0] <= macs.Min() && ticks[^1] >= macs.Max(), $"ticks {string.Join(", ", ticks)} do not span {macs.Min()}..{macs.Max()}");
        Assert.All(ticks.Zip(ticks.Skip(1)), pair => Assert.True(pair.Second >= 2 * pair.First - 1e-12, $"{pair.First} and {pair.Second} are too close"));
    }

    [Fact]
    public void AVariantIsAddedWithItsOwnCostsAndAPercentageIsRefused()
    {
        var zoo = ZooComparison.Build(ZooResults.Load(dir));
        var mine = new BlockSequence("mine", new ConvLayer(1, 4, 3, name: "c"), new ClassifierHead(new FeatureShape(4, 28, 28), 10, globalPool: true));
        var with = zoo.WithVariant("mine", mine, 0.9, 500, 2.5);
        Assert.Equal(zoo.Entries.Count + 1, with.Entries.Count);
        var entry = with.Entries[^1];
        // conv 1->4 3x3 with bias (no norm): 36 + 4 parameters, 28*28*4*9 MACs; head 4*10 + 10.
        Assert.Equal(40 + 50, entry.Parameters);
        Assert.Equal(28 * 28 * 4 * 9 + 4 * 10, entry.Macs);
        Assert.Equal(0.9, entry.MnistAccuracy);
        Assert.Equal(500, entry.MnistTestImages);
        Assert.Equal(1.96 * Math.Sqrt(0.9 * 0.1 / 500), entry.Margin95(DatasetName.Mnist)!.Value, 12);
        Assert.Equal(["mine"], with.ParetoFront(DatasetName.Mnist).Select(m => m.Model)); // the only entry with an accuracy
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => zoo.WithVariant("mine", mine, 90, 500));
        Assert.Contains("not a percentage", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => zoo.WithVariant("mine", mine, 0.9, 0));
    }

    [Fact]
    public void TheParetoFrontHoldsExactlyTheModelsNoOtherBeatsOnBothCounts()
    {
        var rng = new Random(3);
        // Accuracy grows with cost plus noise, as in real zoos, so the front has several steps.
        var entries = Enumerable.Range(0, 40).Select(i => rng.Next(1, 15)).Select((m, i) => new ZooEntry($"m{i}", $"m{i}", 1, m * 1000L, (80 + m + rng.Next(0, 6)) / 100.0, null, null, null)).ToList();
        var zoo = new ZooComparison(entries, ZooResults.Load(dir));
        // Brute force: dominated when another model is at least as accurate for at most the MACs, and better in one of them.
        bool Dominated(ZooEntry e) => entries.Any(o => o.MnistAccuracy >= e.MnistAccuracy && o.Macs <= e.Macs && (o.MnistAccuracy > e.MnistAccuracy || o.Macs < e.Macs));
        var expected = entries.Where(e => !Dominated(e)).GroupBy(e => (e.Macs, e.MnistAccuracy)).Select(g => g.Key).OrderBy(k => k.Macs).ToList();
        var front = zoo.ParetoFront(DatasetName.Mnist);
        Assert.Equal(expected, front.Select(e => (e.Macs, e.MnistAccuracy)));
        Assert.True(front.Count >= 2, "the random zoo should have a front of several models");
    }

    [Fact]
    public void TheTrainingAccuracyIsTheLastEpochsOfTheSavedCurveAndNaNWithoutOne()
    {
        // Two epochs in the order experiments/zoo.cs writes them: the last one counts, not the best or the first.
        string curve = """[{"Epoch":1,"TrainLoss":0.7,"TrainAccuracy":0.75,"TestLoss":0.6,"TestAccuracy":0.8,"Seconds":1,"ElapsedSeconds":1,"LiveTensors":9},""" +
            """{"Epoch":2,"TrainLoss":0.2,"TrainAccuracy":0.94,"TestLoss":0.19,"TestAccuracy":0.93,"Seconds":1,"ElapsedSeconds":2,"LiveTensors":9}]""";
        string dense = Run("Mnist", "densenet", 0.93, 3).Replace("\"curve\":[]", "\"curve\":" + curve, StringComparison.Ordinal);
        Assert.Contains("\"Epoch\":2", dense, StringComparison.Ordinal);
        Save($$"""{"command":"c","runs":[{{dense}},{{Run("Mnist", "resnet", 0.97, 1)}}]}""");
        var saved = ZooResults.Load(dir);
        Assert.Equal(0.94, saved.Find(DatasetName.Mnist, "densenet")!.TrainAccuracy);
        Assert.True(double.IsNaN(saved.Find(DatasetName.Mnist, "resnet")!.TrainAccuracy));
    }

    [Fact]
    public void AFileOfAnotherFormatIsRefusedWithTheRegenerateCommand()
    {
        Save("""{"something":"else"}""");
        var e = Assert.Throws<InvalidDataException>(() => ZooResults.Load(dir));
        Assert.Contains("not a zoo results file", e.Message, StringComparison.Ordinal);
        Assert.Contains(ZooResults.DefaultCommand, e.Message, StringComparison.Ordinal);
    }
}
