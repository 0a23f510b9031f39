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
        $$"""{"dataset":"{{dataset}}","model":"{{model}}","parameters":1,"macs":2,"macsAllTaps":3,"trainImages":2000,"epochs":3,"secondsPerEpoch":{{seconds}},"testAccuracy":{{accuracy}},"curve":[],"stop":"3 epochs done"}""";

    [Fact]
    public void AMissingFileGivesNoRunsAndTheCommand()
    {
        var saved = ZooResults.Load(dir);
        Assert.False(saved.Any);
        Assert.Contains("not there yet", saved.Source, StringComparison.Ordinal);
        Assert.Equal(ZooResults.DefaultCommand, saved.Command);
        var zoo = ZooComparison.Build(saved);
        Assert.Null(zoo.BestAccuracyPerMac(DatasetName.Mnist));
        Assert.Contains(ZooResults.DefaultCommand, zoo.ToString(), StringComparison.Ordinal);
        // Without accuracies the chart falls back to parameters (thousands) versus MACs of the four models.
        using var doc = System.Text.Json.JsonDocument.Parse(GenericChart.toJson(zoo.ToChart()));
        var y = doc.RootElement.GetProperty("data")[0].GetProperty("y").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(zoo.Entries.Select(e => Math.Round(e.Parameters / 1e3, 2)), y);
        Assert.Equal("parameters (thousands)", doc.RootElement.GetProperty("layout").GetProperty("yaxis").GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void SavedRunsAreJoinedWithLiveCostsAndTheBestRatioIsChosen()
    {
        Save($$"""{"command":"dotnet run experiments/zoo.cs -- zoo 2000 20","runs":[{{Run("Mnist", "plain", 0.97, 4.5)}},{{Run("Mnist", "densenet", 0.985, 30)}},{{Run("FashionMnist", "plain", 0.85, 4)}}],"note":"shared machine"}""");
        var saved = ZooResults.Load(dir);
        Assert.Equal(3, saved.Runs.Count);
        Assert.Equal("dotnet run experiments/zoo.cs -- zoo 2000 20", saved.Command);
        Assert.Equal(0.985, saved.Find(DatasetName.Mnist, "densenet")!.TestAccuracy);

        var zoo = ZooComparison.Build(saved);
        Assert.Equal(ModelZoo.Names, zoo.Entries.Select(e => e.Model));
        using var plain = ModelZoo.PlainCnn();
        using var dense = ModelZoo.SmallDenseNet();
        var plainEntry = zoo.Entries[0];
        Assert.Equal(plain.parameters().Sum(p => p.numel()), plainEntry.Parameters);
        Assert.Equal(plain.Describe(ModelZoo.Mnist).Macs, plainEntry.Macs);
        Assert.Null(zoo.Entries[1].MnistAccuracy);
        Assert.Equal(0.85, plainEntry.FashionAccuracy);

        // Ratio computed here: accuracy in percent per million MACs.
        double plainRatio = 97 / (plainEntry.Macs / 1e6), denseRatio = 98.5 / (dense.Describe(ModelZoo.Mnist).Macs / 1e6);
        Assert.Equal(plainRatio > denseRatio ? "plain" : "densenet", zoo.BestAccuracyPerMac(DatasetName.Mnist)!.Model);
        Assert.Equal("densenet", zoo.MostAccurate(DatasetName.Mnist)!.Model);
        Assert.Contains("not saved", zoo.ToString(), StringComparison.Ordinal);
        Assert.Contains("97.00%", zoo.ToString(), StringComparison.Ordinal);

        using var doc = System.Text.Json.JsonDocument.Parse(GenericChart.toJson(zoo.ToChart()));
        var data = doc.RootElement.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength()); // MNIST (2 points) and Fashion-MNIST (1 point)
        Assert.Equal(new[] { 97.0, 98.5 }, data[0].GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public void AVariantIsAddedWithItsOwnCostsAndAPercentageIsRefused()
    {
        var zoo = ZooComparison.Build(ZooResults.Load(dir));
        var mine = new BlockSequence("mine", new ConvLayer(1, 4, 3, name: "c"), new ClassifierHead(new FeatureShape(4, 28, 28), 10, globalPool: true));
        var with = zoo.WithVariant("mine", mine, 0.9, 2.5);
        Assert.Equal(zoo.Entries.Count + 1, with.Entries.Count);
        var entry = with.Entries[^1];
        // conv 1->4 3x3 with bias (no norm): 36 + 4 parameters, 28*28*4*9 MACs; head 4*10 + 10.
        Assert.Equal(40 + 50, entry.Parameters);
        Assert.Equal(28 * 28 * 4 * 9 + 4 * 10, entry.Macs);
        Assert.Equal(0.9, entry.MnistAccuracy);
        Assert.Equal("mine", with.BestAccuracyPerMac(DatasetName.Mnist)!.Model);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => zoo.WithVariant("mine", mine, 90));
        Assert.Contains("not a percentage", e.Message, StringComparison.Ordinal);
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
