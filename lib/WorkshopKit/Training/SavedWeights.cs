using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using WorkshopKit.Data;
using WorkshopKit.Runtime;
using static TorchSharp.torch;

namespace WorkshopKit.Training;

/// <summary>
/// A trained model's weights in a file (TorchSharp's <c>module.save</c> format) with a description beside it
/// (<c>NAME.json</c>: SHA-256, size, how it was trained, the accuracy it reached), so a later notebook loads the network
/// that an earlier one trained, in milliseconds, and refuses a damaged or different file instead of computing with it.
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="File">The weights file's name, next to the description.</param>
/// <param name="Sha256">SHA-256 of the weights file, lower-case hex.</param>
/// <param name="Bytes">Size of the weights file.</param>
/// <param name="TestAccuracy">Test accuracy after training.</param>
/// <param name="Steps">Optimizer steps it was trained for.</param>
/// <param name="Command">The command that trains and writes it again.</param>
/// <param name="Machine">Where it was trained (CPU model, threads): weights trained elsewhere can differ in the last bits.</param>
/// <remarks>First used in notebook 01 (Convolutional layers), section "9. Watch a CNN learn".</remarks>
public sealed record SavedWeights(string Model, string File, string Sha256, long Bytes, double TestAccuracy, int Steps, string Command, string Machine)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    /// <summary>The shipped weights called <paramref name="name"/>: <c>data/weights/NAME.dat</c>.</summary>
    public static string ShippedPath(string name) => Path.Combine(Datasets.FindDataDirectory(), "weights", name + ".dat");

    /// <summary>Writes <paramref name="model"/>'s weights to <paramref name="path"/> and the description to <c>path</c> with <c>.json</c>, both atomically.</summary>
    public static SavedWeights Save(nn.Module model, string path, TrainingResult result, string command, string machine)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(result);
        byte[] bytes;
        using (var memory = new MemoryStream())
        {
            using (var writer = new BinaryWriter(memory, System.Text.Encoding.UTF8, leaveOpen: true)) model.save(writer);
            bytes = memory.ToArray();
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAllBytes(path, bytes);
        var saved = new SavedWeights(result.Model, Path.GetFileName(path), Hash(bytes), bytes.Length, result.Last.TestAccuracy, result.Steps, command, machine);
        AtomicFile.WriteAllText(DescriptionPath(path), JsonSerializer.Serialize(saved, Json));
        return saved;
    }

    /// <summary>Reads the description written by <see cref="Save"/> for the weights at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The weights or their description are missing (the message says how to make them).</exception>
    public static SavedWeights Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string description = DescriptionPath(path);
        if (!System.IO.File.Exists(path) || !System.IO.File.Exists(description))
            throw new FileNotFoundException($"Saved weights {path} (or their description {Path.GetFileName(description)}) are missing. Restore the shipped ones with `git checkout -- data/weights`, or train and save them again with `dotnet run experiments/zoo.cs -- goal`.", path);
        return JsonSerializer.Deserialize<SavedWeights>(System.IO.File.ReadAllText(description), Json)
            ?? throw new InvalidDataException($"{description} holds no description of saved weights; restore it with `git checkout -- data/weights`.");
    }

    /// <summary>
    /// Loads the weights at <paramref name="path"/> into <paramref name="model"/> (which must have the same layers),
    /// after checking the file's size and SHA-256 against its description.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not the one described (damaged, truncated or replaced).</exception>
    public static SavedWeights LoadInto(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        var saved = Read(path);
        byte[] bytes = System.IO.File.ReadAllBytes(path);
        string hash = Hash(bytes);
        if (bytes.Length != saved.Bytes || hash != saved.Sha256)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"Saved weights {path} do not match their description: {bytes.Length} bytes with SHA-256 {hash}, expected {saved.Bytes} bytes with {saved.Sha256}. The file is damaged or was replaced; restore it with `git checkout -- data/weights` or retrain with `{saved.Command}`."));
        using var memory = new MemoryStream(bytes);
        using var reader = new BinaryReader(memory);
        model.load(reader);
        return saved;
    }

    private static string DescriptionPath(string path) => Path.ChangeExtension(path, ".json");

    private static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
}
