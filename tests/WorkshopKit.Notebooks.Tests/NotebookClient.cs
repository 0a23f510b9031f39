using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WorkshopKit.Notebooks.Tests;

/// <summary>The outcome of running one notebook in a real client: exit code, what it printed, the executed file, time.</summary>
public sealed record ClientRun(string Client, string Notebook, int ExitCode, string Log, string ExecutedPath, TimeSpan Elapsed)
{
    /// <summary>A one-line summary plus the end of the client's log, for assertion messages.</summary>
    public override string ToString() => $"{Client} on {Notebook}: exit {ExitCode} after {Elapsed.TotalSeconds:F1} s\n{(Log.Length > 6000 ? Log[^6000..] : Log)}";
}

/// <summary>
/// Runs notebooks the way attendees do: Jupyter's nbconvert with the .NET Interactive kernel (<c>.net-csharp</c>, registered
/// by <c>dotnet interactive jupyter install</c> from the tool pinned in .config/dotnet-tools.json) and dotnet-repl. The kernel
/// is registered into a private Jupyter data folder, so the tests never touch the user's own Jupyter set-up.
/// </summary>
internal static partial class NotebookClient
{
    private static readonly Lazy<string> JupyterData = new(RegisterKernel, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Where executed notebooks and rendered pages of the client tests go (kept for inspection after a run).</summary>
    public static string OutputFolder { get; } = Path.Combine(RepoRoot.Path, "artifacts", "client-tests");

    /// <summary>Executes <paramref name="notebook"/> with Jupyter (nbconvert --execute) and the .NET Interactive kernel.</summary>
    public static ClientRun RunJupyter(string notebook, string outputName, IReadOnlyDictionary<string, string>? environment = null)
    {
        string output = Path.Combine(OutputFolder, "jupyter", outputName);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.Delete(output);
        var (code, log, elapsed) = Run("jupyter", ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=.net-csharp",
            "--ExecutePreprocessor.timeout=600", "--output", output, notebook], Path.GetDirectoryName(notebook)!, Environment(environment));
        return new ClientRun("jupyter", Path.GetFileName(notebook), code, log, output, elapsed);
    }

    /// <summary>Executes <paramref name="notebook"/> with dotnet-repl (exit 2 when a cell fails).</summary>
    public static ClientRun RunRepl(string notebook, string outputName)
    {
        string output = Path.Combine(OutputFolder, "repl", outputName);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.Delete(output);
        var (code, log, elapsed) = Run("dotnet", ["repl", "--run", notebook, "--exit-after-run", "--output-format", "ipynb", "--output-path", output],
            Path.GetDirectoryName(notebook)!, Environment(null));
        return new ClientRun("dotnet-repl", Path.GetFileName(notebook), code, log, output, elapsed);
    }

    /// <summary>
    /// Renders an executed notebook to HTML with nbconvert, as Jupyter shows it, with the page's own scripts local:
    /// Debian's require.js instead of the CDN copy, and no MathJax (the notebooks need none).
    /// </summary>
    public static string RenderHtml(string executed)
    {
        string folder = Path.GetDirectoryName(executed)!;
        string noMathJax = Path.Combine(folder, "no-mathjax.js");
        if (!File.Exists(noMathJax)) File.WriteAllText(noMathJax, "/* the workshop notebooks use no MathJax */\n");
        string html = Path.ChangeExtension(executed, ".html");
        var (code, log, _) = Run("jupyter", ["nbconvert", "--to", "html", "--output", html,
            "--HTMLExporter.require_js_url=" + new Uri("/usr/share/javascript/requirejs/require.min.js").AbsoluteUri,
            "--HTMLExporter.mathjax_url=" + new Uri(noMathJax).AbsoluteUri, executed], folder, Environment(null));
        if (code != 0) throw new InvalidOperationException($"nbconvert --to html failed on {executed} (exit {code}):\n{log}");
        return html;
    }

    /// <summary>
    /// What an attendee must never see in an executed notebook: error outputs, compiler warnings, the checkout's absolute
    /// path, and references to scripts or styles on the network. The kernel's own first-cell script (which looks for
    /// require.js and probes the kernel's HTTP port) is the one exception, named so in environment.md.
    /// </summary>
    public static IReadOnlyList<string> OutputProblems(string executed)
    {
        var problems = new List<string>();
        var cells = JsonNode.Parse(File.ReadAllText(executed))!["cells"]!.AsArray();
        for (int i = 0; i < cells.Count; i++)
        {
            foreach (var output in cells[i]!["outputs"]?.AsArray() ?? [])
            {
                string type = output!["output_type"]?.GetValue<string>() ?? "";
                string text = OutputText(output);
                string where = $"cell {i + 1}";
                if (type == "error") problems.Add($"{where}: error output {output["ename"]}: {output["evalue"]}");
                foreach (Match m in CompilerWarning().Matches(text)) problems.Add($"{where}: compiler warning in an output: {m.Value}");
                if (text.Contains(RepoRoot.Path, StringComparison.Ordinal)) problems.Add($"{where}: an output names the checkout's absolute path {RepoRoot.Path}");
                if (text.Contains("dotnet-interactive-this-cell", StringComparison.Ordinal)) continue; // the kernel's bootstrap
                // The plotly.js that WorkshopKit embeds names web pages in its attribution links; it loads none of them.
                foreach (Match m in NetworkReference().Matches(EmbeddedPlotly().Replace(text, ""))) problems.Add($"{where}: an output loads {m.Value}");
            }
        }
        return problems;
    }

    /// <summary>How many chart outputs an executed notebook holds (WorkshopKit's formatter names them workshopkit-chart-SESSION-N).</summary>
    public static IReadOnlyList<string> ChartIds(string executed) => ChartsInPage.ChartIds(File.ReadAllText(executed));

    /// <summary>True for requests that only the kernel's own bootstrap script makes (its HTTP port probe).</summary>
    public static bool IsKernelBootstrapRequest(string url) => url.EndsWith("/discovery", StringComparison.Ordinal);

    private static string OutputText(JsonNode output)
    {
        var sb = new StringBuilder();
        void Add(JsonNode? node)
        {
            if (node is JsonArray lines) foreach (var l in lines) sb.Append(l?.GetValue<string>());
            else if (node is JsonValue v && v.TryGetValue(out string? s)) sb.Append(s);
        }
        Add(output["text"]);
        if (output["data"] is JsonObject data) foreach (var (_, value) in data) Add(value);
        Add(output["evalue"]);
        return sb.ToString();
    }

    /// <summary>Runs the CLI's <c>doctor</c> (from its build) the way a newcomer would, with the tests' Jupyter kernel registration.</summary>
    public static (int Code, string Log) RunDoctor(IReadOnlyDictionary<string, string>? environment = null)
    {
        string cli = Path.Combine(RepoRoot.Path, "tools", "WorkshopKit.Cli", "bin", "Debug", "net10.0", "WorkshopKit.Cli.dll");
        var env = Environment(environment);
        var (code, log, _) = Run("dotnet", [cli, "doctor"], RepoRoot.Path, env);
        return (code, log);
    }

    /// <summary>The environment every client run gets (the tests' private kernel registration), for a test that starts Jupyter itself.</summary>
    public static IReadOnlyDictionary<string, string> ClientEnvironment() => Environment(null);

    private static Dictionary<string, string> Environment(IReadOnlyDictionary<string, string>? extra)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["JUPYTER_DATA_DIR"] = JupyterData.Value, ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1" };
        if (extra is not null) foreach (var (k, v) in extra) env[k] = v;
        return env;
    }

    /// <summary>Registers the kernel exactly as the README tells attendees (from the pinned local tool), into a private folder.</summary>
    private static string RegisterKernel()
    {
        string data = Path.Combine(OutputFolder, "jupyter-data");
        Directory.CreateDirectory(data);
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["JUPYTER_DATA_DIR"] = data };
        var restore = Run("dotnet", ["tool", "restore"], RepoRoot.Path, env);
        if (restore.Code != 0) throw new InvalidOperationException("dotnet tool restore failed:\n" + restore.Log);
        var install = Run("dotnet", ["interactive", "jupyter", "install"], RepoRoot.Path, env);
        if (install.Code != 0 || !File.Exists(Path.Combine(data, "kernels", ".net-csharp", "kernel.json")))
            throw new InvalidOperationException("`dotnet interactive jupyter install` did not register the .net-csharp kernel:\n" + install.Log);
        return data;
    }

    private static (int Code, string Log, TimeSpan Elapsed) Run(string file, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> env) =>
        ProcessRun.Run(file, arguments, workingDirectory, TimeSpan.FromMinutes(12), env);

    [GeneratedRegex(@"warning CS\d{4}[^\n""]*")]
    private static partial Regex CompilerWarning();

    /// <summary>A script, stylesheet or import that a browser would fetch from the network, or a require.js path to it.</summary>
    [GeneratedRegex("""<(?:script|img|iframe)[^>]*\ssrc\s*=\s*\\?["']https?://[^"'\\]+|<link[^>]*\shref\s*=\s*\\?["']https?://[^"'\\]+|@import\s+url\(\s*["']?https?://[^"')]+|require(?:js)?\.config\(\{[^}]*https?://[^"'\\]+""", RegexOptions.IgnoreCase)]
    private static partial Regex NetworkReference();

    [GeneratedRegex("""<script type=\\?"text/javascript\\?" data-workshopkit-plotly=.*?</script>""", RegexOptions.Singleline)]
    private static partial Regex EmbeddedPlotly();
}
