using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace WorkshopKit.Training;

/// <summary>
/// How the zoo and depth result files are written and read: the same typed records both ways (<see cref="ZooRun"/>,
/// <see cref="DepthRun"/>), camelCase keys, every constructor parameter required, so a file of another shape is refused
/// rather than read as zeros.
/// </summary>
internal static class ResultsJson
{
    // The explicit reflection resolver keeps it working in .NET 10 file-based apps (the notebook twins), as for PrecisionResults.
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true, // files written before the records: their curves have PascalCase keys
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>Reads a results file as <typeparamref name="T"/>, or says which file is not one and the command that regenerates it.</summary>
    /// <exception cref="InvalidDataException">The file is not a <paramref name="what"/> results file.</exception>
    public static T Read<T>(string path, string what, string command)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options) ?? throw new JsonException("the file holds null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new InvalidDataException($"{path} is not a {what} results file ({e.Message}). Fix: regenerate it with `{command}` from the repository root.", e);
        }
    }
}

/// <summary>The file <c>zoo/zoo.json</c> (the note about the machine is optional).</summary>
internal sealed record ZooResultsFile(string Command, IReadOnlyList<ZooRun> Runs, string? Note = null);

/// <summary>The file <c>depth/depth.json</c>.</summary>
internal sealed record DepthResultsFile(string Command, string Setup, IReadOnlyList<DepthRun> Runs);
