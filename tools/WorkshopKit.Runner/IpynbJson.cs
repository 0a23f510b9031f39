using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WorkshopKit.Runner;

/// <summary>Minimal, lossless access to an .ipynb file as JSON, for transforms that must not disturb anything else in it.</summary>
public static class IpynbJson
{
    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        IndentSize = 1, // what Jupyter writes, so diffs stay small
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Parses a notebook file.</summary>
    public static JsonObject Load(string path) =>
        JsonNode.Parse(File.ReadAllText(path))?.AsObject()
        ?? throw new InvalidDataException($"'{path}' is not a JSON object, so it is not a notebook.");

    /// <summary>Writes a notebook atomically (temporary file, then move), so a crash never leaves half a notebook.</summary>
    public static void Save(JsonObject notebook, string path)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        AtomicFile.WriteText(path, notebook.ToJsonString(WriteOptions) + "\n");
    }

    /// <summary>The cells of a notebook.</summary>
    public static IEnumerable<JsonObject> Cells(JsonObject notebook) =>
        (notebook?["cells"] as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>"code" or "markdown" (or "raw").</summary>
    public static string CellType(JsonObject cell) => cell?["cell_type"]?.GetValue<string>() ?? "";

    /// <summary>A cell's source as one string (nbformat stores it as a list of lines or one string).</summary>
    public static string Source(JsonObject cell)
    {
        return cell?["source"] switch
        {
            JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
            JsonValue v => v.GetValue<string>(),
            _ => "",
        };
    }

    /// <summary>Sets a cell's source in nbformat's list-of-lines form.</summary>
    public static void SetSource(JsonObject cell, string source)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var lines = new JsonArray();
        int start = 0;
        for (int i = 0; i < source.Length; i++)
        {
            if (source[i] != '\n') continue;
            lines.Add(source[start..(i + 1)]);
            start = i + 1;
        }
        if (start < source.Length) lines.Add(source[start..]);
        cell["source"] = lines;
    }

    /// <summary>Removes outputs and execution counts, as a notebook is committed.</summary>
    public static void ClearOutputs(JsonObject cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (CellType(cell) != "code") return;
        cell["outputs"] = new JsonArray();
        cell["execution_count"] = null;
    }
}
