using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using WorkshopKit.Runtime;

namespace WorkshopKit.GpuCheck;

/// <summary>Writes results.json (for tools) and results.md (for docs/benchmarks.md) after every check, so a run cut short still leaves its results.</summary>
internal sealed class ResultWriter(string folder, IReadOnlyDictionary<string, string> machine)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly DateTime started = DateTime.UtcNow;
    private bool cleaned;

    public string JsonPath => Path.Combine(folder, "results.json");
    public string MarkdownPath => Path.Combine(folder, "results.md");

    public void Write(IReadOnlyList<CheckResult> results)
    {
        Directory.CreateDirectory(folder);
        if (!cleaned) { AtomicFile.DeleteLeftovers(folder); cleaned = true; } // temporary files of a killed earlier run
        var document = new
        {
            tool = "WorkshopKit.GpuCheck",
            startedUtc = started.ToString("u"),
            writtenUtc = DateTime.UtcNow.ToString("u"),
            machine,
            passed = results.Count(r => r.Status == CheckStatus.Pass),
            failed = results.Count(r => r.Status == CheckStatus.Fail),
            skipped = results.Count(r => r.Status == CheckStatus.Skip),
            checks = results,
        };
        // Atomic: a run killed mid-write (a GPU hang, a time limit) keeps the previous check's complete results.
        AtomicFile.WriteAllText(JsonPath, JsonSerializer.Serialize(document, Json));
        AtomicFile.WriteAllText(MarkdownPath, Markdown(results));
    }

    private string Markdown(IReadOnlyList<CheckResult> results)
    {
        var md = new StringBuilder();
        md.AppendLine($"# WorkshopKit GPU check, {started:yyyy-MM-dd HH:mm} UTC").AppendLine();
        foreach (var (key, value) in machine) md.AppendLine($"- {key}: {Cell(value)}");
        md.AppendLine().AppendLine("| check | result | seconds | summary |").AppendLine("|---|---|---:|---|");
        foreach (var r in results)
            md.AppendLine($"| {r.Name} | {r.Status.ToString().ToUpperInvariant()} | {r.Seconds:F1} | {Cell(r.Summary)} |");
        foreach (var r in results.Where(r => r.Metrics.Count > 0))
        {
            md.AppendLine().AppendLine($"## {r.Name}").AppendLine().AppendLine(r.Description).AppendLine();
            md.AppendLine("| measure | value | unit |").AppendLine("|---|---:|---|");
            foreach (var m in r.Metrics) md.AppendLine($"| {Cell(m.Name)} | {CheckContext.Format(m.Value)} | {m.Unit} |");
        }
        return md.ToString();
    }

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
