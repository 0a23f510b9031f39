using Plotly.NET;
using WorkshopKit.Data;
using WorkshopKit.Training;

namespace WorkshopKit.Tests.Training;

/// <summary>
/// The zoo's accuracy intervals: the formula against a computation from the test outcomes themselves, the sentence that
/// refuses to name a winner when intervals overlap, the chart's error bars and front, and the test split sizes behind
/// the shipped runs.
/// </summary>
public sealed class ZooIntervalTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("zoo-interval-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // An entry with an MNIST accuracy of correct / images.
    private static ZooEntry Entry(string model, long macs, int correct, int images) =>
        new(model, model + " net", 1000, macs, correct / (double)images, null, null, null, images);

    private ZooComparison Zoo(params ZooEntry[] entries) => new(entries, ZooResults.Load(dir));

    [Theory]
    [InlineData(1949, 1996)]
    [InlineData(2588, 3000)]
    [InlineData(5, 10)]
    public void TheMarginIs196StandardErrorsOfTheTestOutcomes(int correct, int images)
    {
        // Independently: the test outcomes as 0/1 values, their variance computed from the values, the standard error of
        // their mean sqrt(variance / n), times 1.96 (the 97.5 % point of the normal distribution).
        double[] outcomes = [.. Enumerable.Repeat(1.0, correct), .. Enumerable.Repeat(0.0, images - correct)];
        double mean = outcomes.Average();
        double variance = outcomes.Sum(o => (o - mean) * (o - mean)) / images;
        Assert.Equal(1.96 * Math.Sqrt(variance / images), ZooComparison.Margin95(correct / (double)images, images), 12);
    }

    [Fact]
    public void AtTheZoosMnistAccuracyTheIntervalIsAboutSevenTenthsOfAPoint()
    {
        // The learner's read: at 97.6 % on 1,996 digits the 95 % interval is about ±0.7 points; one image is 0.05 points.
        double margin = ZooComparison.Margin95(1949 / 1996.0, 1996);
        Assert.InRange(margin, 0.0065, 0.0068);
        Assert.Equal(0, ZooComparison.Margin95(1, 1996));
        Assert.Throws<ArgumentOutOfRangeException>(() => ZooComparison.Margin95(97.6, 1996));
        Assert.Throws<ArgumentOutOfRangeException>(() => ZooComparison.Margin95(0.9, 0));
    }

    [Fact]
    public void OverlappingIntervalsAreNotDistinguishable()
    {
        // The shipped MNIST situation: 1949 against 1948 correct digits, one image apart; the DenseNet well below.
        var zoo = Zoo(Entry("plain", 1, 1949, 1996), Entry("resnet", 8, 1948, 1996), Entry("densenet", 30, 1882, 1996));
        Assert.Equal(["plain", "resnet"], zoo.TopGroup(DatasetName.Mnist).Select(e => e.Model));
        string sentence = zoo.MostAccurateSentence(DatasetName.Mnist);
        Assert.Contains("plain net (97.65% ± 0.67) and resnet net (97.60% ± 0.67)", sentence, StringComparison.Ordinal);
        Assert.Contains("cannot tell them apart", sentence, StringComparison.Ordinal);
        Assert.DoesNotContain("densenet", sentence, StringComparison.Ordinal);
        Assert.DoesNotContain("the most accurate is", sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void SeparatedIntervalsNameTheMostAccurate()
    {
        var zoo = Zoo(Entry("plain", 1, 1990, 1996), Entry("resnet", 8, 1900, 1996));
        Assert.Equal(["plain"], zoo.TopGroup(DatasetName.Mnist).Select(e => e.Model));
        Assert.Equal("MNIST: the most accurate is plain net (99.70% ± 0.24); its 95 % interval overlaps no other model's",
            zoo.MostAccurateSentence(DatasetName.Mnist));
        Assert.Equal("Fashion-MNIST: no saved accuracies", zoo.MostAccurateSentence(DatasetName.FashionMnist));
    }

    [Fact]
    public void TheGroupEndsExactlyWhereTheIntervalsStopOverlapping()
    {
        // Walk the runner-up down one image at a time; the group must change where the intervals, computed here, part.
        const int n = 1996, top = 1900;
        double topLow = top / (double)n - 1.96 * Math.Sqrt(top / (double)n * (1 - top / (double)n) / n);
        bool Overlaps(int k) => k / (double)n + 1.96 * Math.Sqrt(k / (double)n * (1 - k / (double)n) / n) >= topLow;
        int lastOverlapping = Enumerable.Range(0, top).Reverse().First(k => !Overlaps(k)) + 1;
        Assert.InRange(lastOverlapping, top - 60, top - 30); // about two margins (2 x 0.9 points, 18 images each) below
        foreach (int k in new[] { lastOverlapping, lastOverlapping - 1 })
        {
            var zoo = Zoo(Entry("plain", 1, top, n), Entry("resnet", 8, k, n));
            Assert.Equal(k == lastOverlapping ? 2 : 1, zoo.TopGroup(DatasetName.Mnist).Count);
        }
    }

    [Fact]
    public void TheChartHasErrorBarsAndAFrontOfOneModelIsAVisibleLine()
    {
        // The plain net is cheapest and most accurate: the front is that one model, drawn on to the dearest model's MACs.
        var zoo = Zoo(Entry("plain", 1_000_000, 1949, 1996), Entry("resnet", 8_000_000, 1948, 1996), Entry("densenet", 30_000_000, 1882, 1996));
        Assert.Equal(["plain"], zoo.ParetoFront(DatasetName.Mnist).Select(e => e.Model));
        using var doc = System.Text.Json.JsonDocument.Parse(GenericChart.toJson(zoo.ToChart()));
        var data = doc.RootElement.GetProperty("data");
        double[] Values(System.Text.Json.JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetDouble())];
        Assert.Equal([1.0, 30.0], Values(data[0].GetProperty("x")));
        Assert.Equal([97.65, 97.65], Values(data[0].GetProperty("y")));
        var bars = data[1].GetProperty("error_y");
        Assert.True(bars.GetProperty("visible").GetBoolean());
        Assert.Equal(zoo.Entries.Select(e => Math.Round(100 * ZooComparison.Margin95(e.MnistAccuracy!.Value, 1996), 2)),
            Values(bars.GetProperty("array")));
    }

    [Fact]
    public void TheShippedRunsUseTheWholeTestSplits()
    {
        // The intervals rest on n = the test split's size: check it against the loaded datasets, and that every saved
        // accuracy is a whole number of those images (Build refuses otherwise).
        var zoo = ZooComparison.Build(ZooResults.Load());
        Assert.True(zoo.Saved.Any, "data/results/zoo/zoo.json should be shipped");
        foreach (var dataset in new[] { DatasetName.Mnist, DatasetName.FashionMnist })
        {
            var (train, test) = Datasets.Load(dataset);
            using (train)
            using (test)
            {
                Assert.All(zoo.Entries, e => Assert.Equal(test.Count, e.TestImages(dataset)));
                Assert.All(zoo.Entries, e => Assert.Equal(Math.Round(e.Accuracy(dataset)!.Value * test.Count), e.Accuracy(dataset)!.Value * test.Count, 6));
            }
        }
        Assert.Equal(1996, zoo.Entries[0].MnistTestImages);
    }

    [Fact]
    public void ARunMeasuredOnAnotherTestSetIsRefused()
    {
        // 0.97 of 1,996 images is 1936.12 images: not an MNIST test-split accuracy.
        Directory.CreateDirectory(Path.Combine(dir, "results", "zoo"));
        File.WriteAllText(Path.Combine(dir, "results", "zoo", "zoo.json"),
            """{"command":"c","runs":[{"dataset":"Mnist","model":"plain","parameters":1,"macs":2,"macsAllTaps":3,"trainImages":2000,"epochs":3,"secondsPerEpoch":1,"testAccuracy":0.97,"curve":[],"stop":"3 epochs done","device":"cpu"}],"note":null}""");
        var e = Assert.Throws<InvalidDataException>(() => ZooComparison.Build(ZooResults.Load(dir)));
        Assert.True(e.Message.Contains("1996 test images", StringComparison.Ordinal), e.Message);
    }
}
