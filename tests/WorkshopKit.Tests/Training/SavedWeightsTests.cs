using WorkshopKit.Blocks;
using WorkshopKit.Training;

namespace WorkshopKit.Tests.Training;

public class SavedWeightsTests
{
    private static BlockSequence Net(int seed)
    {
        manual_seed(seed);
        return new BlockSequence("net", new ConvLayer(1, 4, 3, normalization: Normalization.Batch, name: "conv"), new ClassifierHead(new FeatureShape(4, 6, 6), 2, globalPool: true));
    }

    private static TrainingResult Result() => new("net", [new EpochResult(1, 0.5, 0.8, 0.4, 0.85, 1, 1, 0)], "1 epochs done") { StepLosses = [0.5, 0.4] };

    [Fact]
    public void WeightsRoundTripWithTheirChecksumAndADamagedFileIsRefused()
    {
        string dir = Path.Combine(Path.GetTempPath(), "workshopkit-weights-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path = Path.Combine(dir, "net.dat");
            using var trained = Net(1);
            var saved = SavedWeights.Save(trained, path, Result(), "the command", "this machine");
            Assert.Equal(new FileInfo(path).Length, saved.Bytes);
            Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant(), saved.Sha256);
            Assert.Equal(0.85, saved.TestAccuracy);
            Assert.Equal(2, saved.Steps);

            using var other = Net(2);
            Assert.False(other.parameters().Zip(trained.parameters()).All(p => p.First.allclose(p.Second, 0, 0)));
            var loaded = SavedWeights.LoadInto(other, path);
            Assert.Equal(saved, loaded);
            Assert.True(other.parameters().Zip(trained.parameters()).All(p => p.First.allclose(p.Second, 0, 0)));
            Assert.True(other.buffers().Zip(trained.buffers()).All(p => p.First.allclose(p.Second, 0, 0))); // batch-norm statistics too

            var bytes = File.ReadAllBytes(path);
            bytes[^1] ^= 1;
            File.WriteAllBytes(path, bytes);
            var e = Assert.Throws<InvalidDataException>(() => SavedWeights.LoadInto(other, path));
            Assert.Contains(saved.Sha256, e.Message, StringComparison.Ordinal);
            Assert.Contains("the command", e.Message, StringComparison.Ordinal);
            var missing = Assert.Throws<FileNotFoundException>(() => SavedWeights.LoadInto(other, Path.Combine(dir, "none.dat")));
            Assert.Contains("experiments/zoo.cs -- goal", missing.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void TheShippedWeightsLoadIntoThePlainCnnAndMatchTheirDescription()
    {
        using var model = ModelZoo.PlainCnn();
        var saved = SavedWeights.LoadInto(model, SavedWeights.ShippedPath(TrainingRecipes.PlainCnnMnistWeights));
        Assert.Equal(TrainingRecipes.PlainCnnMnist.Steps, saved.Steps);
        // The goal of notebook 01: at least 98 % on the shipped test split.
        Assert.True(saved.TestAccuracy >= 0.98, $"shipped weights reach {saved.TestAccuracy:P2}");
    }
}
