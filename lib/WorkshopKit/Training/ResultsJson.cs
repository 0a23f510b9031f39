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
}

/// <summary>The file <c>zoo/zoo.json</c> (the note about the machine is optional).</summary>
internal sealed record ZooResultsFile(string Command, IReadOnlyList<ZooRun> Runs, string? Note = null);

/// <summary>The file <c>depth/depth.json</c>.</summary>
internal sealed record DepthResultsFile(string Command, string Setup, IReadOnlyList<DepthRun> Runs);
