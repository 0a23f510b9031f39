using System.IO.Compression;
using TorchSharp;
using WorkshopKit.Runtime;
using static TorchSharp.torch;

namespace WorkshopKit.Data;

/// <summary>
/// Loads the datasets shipped in data/ as TorchSharp tensors, after checking every file against the SHA-256 in
/// data/MANIFEST.json. The train/test split is fixed on disk (separate files), stratified and deterministic,
/// so every attendee and every test sees the same examples.
/// </summary>
/// <remarks>First used in notebook 01 (Convolutional layers), section "1. Why convolutions?".</remarks>
public static class Datasets
{
    /// <summary>The environment variable that, when set, names the data folder and overrides the search.</summary>
    public const string DataDirectoryVariable = "WORKSHOPKIT_DATA";

    /// <summary>
    /// Loads the train and test halves of <paramref name="name"/>: images (N, 1, 28, 28) float32 in [0, 1] and int64
    /// labels, on the CPU. Throws <see cref="DataFileException"/> naming the file and the regenerate command when a
    /// file is missing, truncated, altered or malformed.
    /// </summary>
    /// <param name="name">Which dataset.</param>
    /// <param name="dataDirectory">The data folder; null to use <see cref="FindDataDirectory"/>.</param>
    public static (Dataset Train, Dataset Test) Load(DatasetName name, string? dataDirectory = null)
    {
        string id = DatasetIds.Id(name);
        string dir = Path.GetFullPath(dataDirectory ?? FindDataDirectory());
        var manifest = DataManifest.Read(dir);
        var entry = manifest.Datasets.FirstOrDefault(d => d.Id == id)
            ?? throw new DataFileException(Path.Combine(dir, DataManifest.FileName), DataFileProblem.BadFormat, $"The manifest has no dataset '{id}'.");
        var train = LoadSplit(dir, entry, entry.Train, "train");
        try
        {
            var test = LoadSplit(dir, entry, entry.Test, "test");
            return (train, test);
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Finds the repository's data/ folder (the one holding MANIFEST.json): the folder named by the environment variable
    /// WORKSHOPKIT_DATA if set, else the first data/ folder found walking up from the current directory, then from the
    /// application's base directory. Notebooks, tests and file-based apps therefore find it from anywhere in the repository.
    /// </summary>
    public static string FindDataDirectory()
    {
        string? overridden = Environment.GetEnvironmentVariable(DataDirectoryVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            string full = Path.GetFullPath(overridden);
            string manifest = Path.Combine(full, DataManifest.FileName);
            if (!File.Exists(manifest))
                throw new DataFileException(manifest, DataFileProblem.Missing,
                    $"The environment variable {DataDirectoryVariable} names {full}, which has no {DataManifest.FileName}; point it at the repository's data folder or unset it.");
            return full;
        }
        if (RepoPaths.FindAbove(Path.Combine("data", DataManifest.FileName)) is { } above)
            return Path.Combine(above, "data");
        throw new DataFileException(Path.Combine("data", DataManifest.FileName), DataFileProblem.Missing,
            $"No data/{DataManifest.FileName} was found above {string.Join(" or ", RepoPaths.DefaultStarts().Distinct())}; run from inside the WorkshopKit repository or set {DataDirectoryVariable} to its data folder.");
    }

    private static Dataset LoadSplit(string dir, ManifestDataset entry, ManifestSplit split, string splitName)
    {
        var images = ReadVerified(dir, split.Images);
        var labels = ReadVerified(dir, split.Labels);
        string imagesPath = FullPath(dir, split.Images);
        string labelsPath = FullPath(dir, split.Labels);
        if (images.Dimensions.Count != 3 || images.Dimensions[1] != 28 || images.Dimensions[2] != 28)
            throw new DataFileException(imagesPath, DataFileProblem.BadFormat, $"Expected images of shape [N, 28, 28], found [{string.Join(", ", images.Dimensions)}].");
        if (labels.Dimensions.Count != 1 || labels.Dimensions[0] != images.Dimensions[0])
            throw new DataFileException(labelsPath, DataFileProblem.BadFormat, $"Expected {images.Dimensions[0]} labels (one per image), found shape [{string.Join(", ", labels.Dimensions)}].");
        int bad = Array.FindIndex(labels.Values, v => v >= entry.ClassNames.Count);
        if (bad >= 0)
            throw new DataFileException(labelsPath, DataFileProblem.BadFormat, $"Label {labels.Values[bad]} at index {bad} is not a class index below {entry.ClassNames.Count}.");

        int n = images.Dimensions[0];
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(images.Values, [n, 1, 28, 28]).to_type(ScalarType.Float32).div_(255f); // exact k/255, as documented
        var y = torch.tensor(labels.Values, [n]).to_type(ScalarType.Int64);
        return new Dataset($"{entry.Title}/{splitName}", x, y, entry.ClassNames);
    }

    private static string FullPath(string dir, ManifestFile file) =>
        Path.GetFullPath(Path.Combine(dir, file.Path.Replace('/', Path.DirectorySeparatorChar)));

    /// <summary>Reads one shipped file, checks size and SHA-256 against the manifest, then decompresses and parses it.</summary>
    internal static IdxArray ReadVerified(string dir, ManifestFile file)
    {
        string path = FullPath(dir, file);
        if (!File.Exists(path))
            throw new DataFileException(path, DataFileProblem.Missing, "The file does not exist.");
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < file.Bytes)
            throw new DataFileException(path, DataFileProblem.Truncated, $"It has {bytes.Length} bytes; the manifest records {file.Bytes}.");
        if (bytes.Length > file.Bytes)
            throw new DataFileException(path, DataFileProblem.ChecksumMismatch, $"It has {bytes.Length} bytes; the manifest records {file.Bytes}.");
        string sha = DataManifest.Sha256Hex(bytes);
        if (!string.Equals(sha, file.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new DataFileException(path, DataFileProblem.ChecksumMismatch, $"Its SHA-256 is {sha}; the manifest records {file.Sha256}.");
        byte[] content;
        try
        {
            content = DeterministicGzip.Decompress(bytes);
        }
        catch (InvalidDataException e)
        {
            throw new DataFileException(path, DataFileProblem.BadFormat, $"It is not valid gzip ({e.Message}).", e);
        }
        IdxArray array;
        try
        {
            array = IdxFile.Read(content);
        }
        catch (InvalidDataException e)
        {
            throw new DataFileException(path, DataFileProblem.BadFormat, e.Message, e);
        }
        if (!array.Dimensions.SequenceEqual(file.Shape))
            throw new DataFileException(path, DataFileProblem.BadFormat, $"Its shape is [{string.Join(", ", array.Dimensions)}]; the manifest records [{string.Join(", ", file.Shape)}].");
        return array;
    }
}
