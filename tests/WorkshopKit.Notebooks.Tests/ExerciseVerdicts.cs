using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Documents;

namespace WorkshopKit.Notebooks.Tests;

/// <summary>
/// The exercise verdicts shown in a run, one per check cell: (1-based cell number, exercise name, "Correct" or "Not yet"),
/// read from ExerciseResult's HTML or text form, in an in-process run or in a notebook a client (Jupyter) executed.
/// </summary>
internal static partial class ExerciseVerdicts
{
    public static List<(int Cell, string Name, string Verdict)> Of(InteractiveDocument document) =>
        Find(document.Elements.Select(e => string.Join("\n", e.Outputs.SelectMany(OutputTexts))));

    /// <summary>The verdicts in an executed .ipynb file, e.g. what <c>jupyter nbconvert --execute</c> wrote.</summary>
    public static List<(int Cell, string Name, string Verdict)> InIpynb(string executedPath) => Find(CellOutputTexts(executedPath));

    /// <summary>Every output's text (text, HTML, plain data, errors) of an executed .ipynb file, joined.</summary>
    public static string AllOutputText(string executedPath) => string.Join("\n", CellOutputTexts(executedPath));

    /// <summary>Per cell of an executed .ipynb file, the text of its outputs.</summary>
    private static IEnumerable<string> CellOutputTexts(string executedPath) =>
        JsonNode.Parse(File.ReadAllText(executedPath))!["cells"]!.AsArray()
            .Select(c => string.Join("\n", (c!["outputs"]?.AsArray() ?? []).Select(OutputText)));

    private static IEnumerable<string> OutputTexts(InteractiveDocumentOutputElement output) => output switch
    {
        TextElement t => [t.Text],
        DisplayElement d => d.Data.Values.Select(v => v?.ToString() ?? ""),
        ReturnValueElement r => r.Data.Values.Select(v => v?.ToString() ?? ""),
        ErrorElement e => [e.ErrorName + ": " + e.ErrorValue],
        _ => [],
    };

    // nbformat: "text" for streams, "data" (mime -> string or list of lines) for displays and results, "evalue" for errors.
    private static string OutputText(JsonNode? output) => output switch
    {
        null => "",
        _ when output["text"] is { } text => Joined(text),
        _ when output["data"] is JsonObject data => string.Join("\n", data.Select(kv => Joined(kv.Value))),
        _ => output["evalue"]?.ToString() ?? "",
    };

    private static string Joined(JsonNode? value) =>
        value is JsonArray lines ? string.Concat(lines.Select(l => l?.GetValue<string>())) : value?.ToString() ?? "";

    private static List<(int Cell, string Name, string Verdict)> Find(IEnumerable<string> cellTexts)
    {
        var verdicts = new List<(int, string, string)>();
        int cell = 0;
        foreach (string text in cellTexts)
        {
            cell++;
            var match = Verdict().Match(text);
            if (match.Success) verdicts.Add((cell, match.Groups["name"].Value, match.Groups["verdict"].Value));
        }
        return verdicts;
    }

    [GeneratedRegex(@"Exercise (?<name>[0-9]+(\.[0-9]+)*):(</b>)? (?<verdict>Correct|Not yet)")]
    private static partial Regex Verdict();
}
