using WorkshopKit.Data;

namespace WorkshopKit.Tests.Data;

/// <summary>These tests set WORKSHOPKIT_DATA, which every loader in the process reads, so they run alone.</summary>
[CollectionDefinition(nameof(DataDirectoryVariable), DisableParallelization = true)]
public sealed class DataDirectoryVariable;

[Collection(nameof(DataDirectoryVariable))]
public sealed class DataFileErrorTests : IDisposable
{
    private readonly string _copy = Path.Combine(Path.GetTempPath(), "workshopkit-data-" + Guid.NewGuid().ToString("N"));

    public DataFileErrorTests()
    {
        // A private copy of the shipped data that each test damages in one way.
        string source = Datasets.FindDataDirectory();
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".gz", StringComparison.Ordinal) || Path.GetFileName(f) == "MANIFEST.json"))
        {
            string target = Path.Combine(_copy, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose() => Directory.Delete(_copy, recursive: true);

    private string CopyOf(string relative) => Path.Combine(_copy, relative);

    private static DataFileException LoadFails(DatasetName name, string? dir)
    {
        var e = Assert.Throws<DataFileException>(() => Datasets.Load(name, dir));
        Assert.Contains("bash data/regenerate.sh", e.Message, StringComparison.Ordinal);
        Assert.Contains("git checkout -- data", e.Message, StringComparison.Ordinal);
        return e;
    }

    [Fact]
    public void TheUntouchedCopyLoads()
    {
        var (train, test) = Datasets.Load(DatasetName.FashionMnist, _copy);
        train.Dispose();
        test.Dispose();
    }

    [Fact]
    public void AFlippedByteIsAChecksumMismatchNamingTheFile()
    {
        string file = CopyOf("mnist/train-images-idx3-ubyte.gz");
        byte[] bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(file, bytes);
        var e = LoadFails(DatasetName.Mnist, _copy);
        Assert.Equal(DataFileProblem.ChecksumMismatch, e.Problem);
        Assert.Equal(file, e.FilePath);
        Assert.Contains(file, e.Message, StringComparison.Ordinal);
        Assert.Contains("checksum mismatch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATruncatedFileIsReportedAsTruncated()
    {
        string file = CopyOf("fashion-mnist/test-images-idx3-ubyte.gz");
        byte[] bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length - 1000)]);
        var e = LoadFails(DatasetName.FashionMnist, _copy);
        Assert.Equal(DataFileProblem.Truncated, e.Problem);
        Assert.Contains(file, e.Message, StringComparison.Ordinal);
        Assert.Contains($"It has {bytes.Length - 1000} bytes; the manifest records {bytes.Length}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADeletedFileIsReportedAsMissing()
    {
        string file = CopyOf("mnist/test-labels-idx1-ubyte.gz");
        File.Delete(file);
        var e = LoadFails(DatasetName.Mnist, _copy);
        Assert.Equal(DataFileProblem.Missing, e.Problem);
        Assert.Contains(file, e.Message, StringComparison.Ordinal);
        Assert.Contains(": missing.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingManifestIsReportedAsMissing()
    {
        File.Delete(CopyOf("MANIFEST.json"));
        var e = LoadFails(DatasetName.Mnist, _copy);
        Assert.Equal(DataFileProblem.Missing, e.Problem);
        Assert.EndsWith("MANIFEST.json", e.FilePath, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileWhoseChecksumMatchesButWhoseMagicIsWrongIsABadFormat()
    {
        // Someone edits a file and updates the manifest to match: the IDX reader must still refuse it.
        string relative = "mnist/test-labels-idx1-ubyte.gz";
        byte[] idx = DeterministicGzip.Decompress(File.ReadAllBytes(CopyOf(relative)));
        idx[2] = 0x0C; // claims float32 elements
        RewriteWithMatchingManifest(relative, DeterministicGzip.Compress(idx));
        var e = LoadFails(DatasetName.Mnist, _copy);
        Assert.Equal(DataFileProblem.BadFormat, e.Problem);
        Assert.Contains("element type 0x0C", e.Message, StringComparison.Ordinal);

        idx[0] = 0x42;
        RewriteWithMatchingManifest(relative, DeterministicGzip.Compress(idx));
        Assert.Contains("bad magic", LoadFails(DatasetName.Mnist, _copy).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatIsNotGzipIsABadFormat()
    {
        string relative = "mnist/train-labels-idx1-ubyte.gz";
        RewriteWithMatchingManifest(relative, "not gzip at all"u8.ToArray());
        var e = LoadFails(DatasetName.Mnist, _copy);
        Assert.Equal(DataFileProblem.BadFormat, e.Problem);
        Assert.Contains("not valid gzip", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheEnvironmentVariableRedirectsTheLoader()
    {
        string file = CopyOf("fashion-mnist/train-labels-idx1-ubyte.gz");
        File.Delete(file);
        string? before = Environment.GetEnvironmentVariable(Datasets.DataDirectoryVariable);
        try
        {
            Environment.SetEnvironmentVariable(Datasets.DataDirectoryVariable, _copy);
            Assert.Equal(Path.GetFullPath(_copy), Datasets.FindDataDirectory());
            Assert.Equal(file, LoadFails(DatasetName.FashionMnist, null).FilePath);

            Environment.SetEnvironmentVariable(Datasets.DataDirectoryVariable, Path.Combine(_copy, "mnist"));
            var e = Assert.Throws<DataFileException>(Datasets.FindDataDirectory);
            Assert.Contains("WORKSHOPKIT_DATA", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Datasets.DataDirectoryVariable, before);
        }
    }

    private void RewriteWithMatchingManifest(string relative, byte[] bytes)
    {
        File.WriteAllBytes(CopyOf(relative), bytes);
        var manifest = DataManifest.Read(_copy);
        ManifestFile Fix(ManifestFile f) => f.Path == relative ? f with { Bytes = bytes.Length, Sha256 = DataManifest.Sha256Hex(bytes) } : f;
        ManifestSplit FixSplit(ManifestSplit s) => s with { Images = Fix(s.Images), Labels = Fix(s.Labels) };
        var fixedManifest = manifest with { Datasets = manifest.Datasets.Select(d => d with { Train = FixSplit(d.Train), Test = FixSplit(d.Test) }).ToList() };
        File.WriteAllBytes(CopyOf("MANIFEST.json"), fixedManifest.ToJsonBytes());
    }
}
