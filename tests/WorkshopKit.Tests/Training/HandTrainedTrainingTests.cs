using WorkshopKit.Data;
using WorkshopKit.Training;

namespace WorkshopKit.Tests.Training;

public class HandTrainedTrainingTests
{
    // Each image holds its own index in every pixel, so a model can tell which images a batch contained.
    private static Dataset Numbered(int n, int classes = 10)
    {
        var images = arange(n, dtype: ScalarType.Float32).reshape(n, 1, 1, 1).expand(n, 1, 2, 2).contiguous();
        var labels = arange(n, dtype: ScalarType.Int64).remainder(classes);
        return new Dataset("numbered", images, labels, Enumerable.Range(0, classes).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
    }

    // Records every batch it is trained on and scores every class the same (uniform logits).
    private sealed class Recorder(int classes) : IHandTrainedModel
    {
        public List<long[]> Batches { get; } = [];

        public float TrainStep(Tensor images, Tensor labels, double learningRate)
        {
            using var first = images[.., 0, 0, 0].to_type(ScalarType.Int64);
            Batches.Add(first.data<long>().ToArray());
            return 1f;
        }

        public Tensor Predict(Tensor images) => zeros(images.shape[0], classes);
    }

    [Fact]
    public void EachEpochVisitsEveryImageOnceInANewSeededOrder()
    {
        using var train = Numbered(50);
        var recorder = new Recorder(10);
        var result = new Trainer(new TrainerOptions { Epochs = 3, BatchSize = 16 }).Fit(recorder, train, train);
        // 50 images in batches of 16: 16, 16, 16 and the remainder 2, per epoch.
        Assert.Equal(12, recorder.Batches.Count);
        Assert.Equal([16, 16, 16, 2], recorder.Batches.Take(4).Select(b => b.Length));
        var epochs = Enumerable.Range(0, 3).Select(e => recorder.Batches.Skip(4 * e).Take(4).SelectMany(b => b).ToArray()).ToArray();
        foreach (var epoch in epochs) Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), epoch.Order());
        Assert.NotEqual(epochs[0], epochs[1]);
        Assert.NotEqual(Enumerable.Range(0, 50).Select(i => (long)i), epochs[0]);
        Assert.Equal(12, result.Steps);

        var again = new Recorder(10);
        new Trainer(new TrainerOptions { Epochs = 3, BatchSize = 16 }).Fit(again, train, train);
        Assert.Equal(recorder.Batches.SelectMany(b => b), again.Batches.SelectMany(b => b));
        var otherSeed = new Recorder(10);
        new Trainer(new TrainerOptions { Epochs = 1, BatchSize = 16, Seed = 2 }).Fit(otherSeed, train, train);
        Assert.NotEqual(epochs[0], otherSeed.Batches.SelectMany(b => b).ToArray());
    }

    [Fact]
    public void DropLastSkipsTheSmallerBatchAndAnEmptyEpochIsRefused()
    {
        using var train = Numbered(50);
        var recorder = new Recorder(10);
        new Trainer(new TrainerOptions { Epochs = 2, BatchSize = 16, DropLast = true }).Fit(recorder, train, train);
        Assert.Equal(6, recorder.Batches.Count);
        Assert.All(recorder.Batches, b => Assert.Equal(16, b.Length));

        var e = Assert.Throws<ArgumentException>(() => new Trainer(new TrainerOptions { Steps = 3, BatchSize = 64, DropLast = true }).Fit(new Recorder(10), train, train));
        Assert.Contains("DropLast", e.Message, StringComparison.Ordinal);
        Assert.Contains("50 images", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EvaluationOfUniformScoresGivesLnOfTheClassCountAndTheShareOfClassZero()
    {
        // Equal scores for 10 classes: the cross-entropy is ln 10 for every image, and argmax picks class 0 (the first
        // maximum), which is right for the labels that are 0: 4 of 40 (indices 0, 10, 20, 30).
        using var data = Numbered(40);
        var result = new Trainer(new TrainerOptions { Epochs = 1, BatchSize = 8 }).Fit(new Recorder(10), data, data);
        var before = result.Curve[0];
        Assert.Equal(Math.Log(10), before.TestLoss, 6);
        Assert.Equal(0.1, before.TestAccuracy, 12);
        Assert.Equal(0.9, before.TestError, 12);
        Assert.True(double.IsNaN(result.Epochs[0].TrainAccuracy), "a hand-trained step returns no scores, so training accuracy is unknown");
        Assert.Equal(1.0, result.Epochs[0].TrainLoss);
    }
}
