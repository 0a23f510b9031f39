using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WorkshopKit.Exercises;
using WorkshopKit.Runner;
using Xunit.Abstractions;

namespace WorkshopKit.Notebooks.Tests;

/// <summary>Notebook-client tests run one after another: each starts a kernel process, and two at once only compete for cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebookClientCollection : ICollectionFixture<ClientBrowser>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "notebook clients";
}

/// <summary>
/// Every notebook and every attendee copy, run unmodified in the clients attendees use (Jupyter with the .NET Interactive
/// kernel, and dotnet-repl), then rendered by nbconvert and opened in headless Chromium with the network blocked: no cell
/// may fail, no output may carry a compiler warning, the checkout's path or a network reference, and every chart must be
/// drawn with data. This is the route the in-process runner once hid (issue 11).
/// </summary>
[Collection(NotebookClientCollection.Name)]
public sealed class NotebookClientTests(ClientBrowser browser, ITestOutputHelper log)
{
    /// <summary>
    /// Jupyter and dotnet-repl run the copies attendees open: the full attendee copy and (below) the 3-hour core copy.
    /// The instructor copies differ only in their solution lines, which the in-process runner checks in the same .NET
    /// Interactive kernel (NotebookExecutionTests, AttendeeCopyTests) and the book shows; running them here as well cost
    /// CI about four and a half minutes of a 45-minute budget (2 cores) for no client behaviour the attendee copies lack.
    /// </summary>
    public static TheoryData<string> AttendeeCopies() => new(BookInBrowser.NumberedNotebooks());

    [Theory]
    [MemberData(nameof(AttendeeCopies))]
    public async Task Jupyter_runs_the_attendee_copy_and_every_chart_draws_offline(string name)
    {
        string notebook = AttendeeCopy(name);
        var run = NotebookClient.RunJupyter(notebook, "attendee-" + name);
        log.WriteLine($"{run.Client} attendee-{name}: {run.Elapsed.TotalSeconds:F1} s");
        Assert.True(run.ExitCode == 0, run.ToString());
        AssertNoSolutionInOutputs(name, run.ExecutedPath);
        await AssertCheckCellsGiveHintsAsync(name, run.ExecutedPath);
        await AssertCleanAndDrawnAsync(run);
    }

    public static TheoryData<string> Notebooks() => new(BookInBrowser.NumberedNotebooks());

    /// <summary>
    /// The 3-hour path's copy (<c>student --core</c>: optional sections left out, solutions removed) in Jupyter: leaving
    /// cells out must not leave a later cell without a variable, a chart without its data or an output with a solution.
    /// </summary>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Jupyter_runs_the_core_copy_and_every_chart_draws_offline(string name)
    {
        string source = Path.Combine(RepoRoot.Path, "notebooks", name);
        var original = IpynbJson.Load(source);
        Assert.True(CorePath.CoreCells(original).Count(c => !c) > 0, $"{name} has no optional cell, so its core copy tests nothing new");
        string copy = Path.Combine(NotebookClient.OutputFolder, "student-core", name);
        StudentCopies.Write(source, copy, coreOnly: true);
        var run = NotebookClient.RunJupyter(copy, "core-" + name);
        log.WriteLine($"{run.Client} core-{name}: {run.Elapsed.TotalSeconds:F1} s");
        Assert.True(run.ExitCode == 0, run.ToString());
        AssertNoSolutionInOutputs(name, run.ExecutedPath);
        // Every exercise the 3-hour path keeps answers the placeholder with a hint.
        var verdicts = ExerciseVerdicts.InIpynb(run.ExecutedPath);
        Assert.Equal(Pacing.Estimate(name, original, PacingRules.Workshop, 0).CoreExercises, verdicts.Count);
        foreach (var (cell, exercise, verdict) in verdicts)
            Assert.True(verdict == ExerciseResult.NotYetWord, $"{name} (core copy) cell {cell}: exercise {exercise} says '{verdict}' with the placeholder answer");
        await AssertCleanAndDrawnAsync(run);
    }

    // dotnet-repl is the attendee's headless route (README): the attendee copies, as in Jupyter above.
    [Theory]
    [MemberData(nameof(AttendeeCopies))]
    public async Task DotnetRepl_runs_the_attendee_copy_and_every_chart_draws_offline(string name)
    {
        string notebook = AttendeeCopy(name);
        var run = NotebookClient.RunRepl(notebook, "attendee-" + name);
        log.WriteLine($"{run.Client} attendee-{name}: {run.Elapsed.TotalSeconds:F1} s");
        Assert.True(run.ExitCode == 0 && File.Exists(run.ExecutedPath), run.ToString());
        await AssertCheckCellsGiveHintsAsync(name, run.ExecutedPath);
        await AssertCleanAndDrawnAsync(run);
    }

    [Fact]
    public void A_libtorch_on_the_library_path_does_not_shadow_TorchSharps_own()
    {
        // A stand-in libtorch: libraries with libtorch's file names and sonames and none of its symbols, first on LD_LIBRARY_PATH,
        // the way a conda or system PyTorch shadows TorchSharp's libtorch (environment.md records the same with Debian's python3-torch).
        string stub = Path.Combine(NotebookClient.OutputFolder, "stub-libtorch");
        Directory.CreateDirectory(stub);
        File.WriteAllText(Path.Combine(stub, "stub.c"), "int workshopkit_stub_libtorch(void) { return 42; }\n");
        foreach (var lib in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
        {
            var gcc = System.Diagnostics.Process.Start("gcc", ["-shared", "-fPIC", "-Wl,-soname," + lib, "-o", Path.Combine(stub, lib), Path.Combine(stub, "stub.c")])!;
            gcc.WaitForExit();
            Assert.True(gcc.ExitCode == 0, "gcc could not build the stand-in " + lib + " (tools/prereqs.sh installs gcc)");
        }
        var shadowed = new Dictionary<string, string> { ["LD_LIBRARY_PATH"] = stub };
        string folder = Path.Combine(NotebookClient.OutputFolder, "shadow", "probe");
        string library = Path.GetRelativePath(folder, Path.Combine(RepoRoot.Path, "lib", "WorkshopKit", "bin", "Debug", "net10.0", "WorkshopKit.dll")).Replace('\\', '/');

        // Control: plain TorchSharp in the kernel, with the stand-in on the path, fails, so the stand-in does shadow.
        string plain = ProbeNotebook(folder, "plain.ipynb", ["#r \"nuget: TorchSharp-cpu, 0.107.0\"", "TorchSharp.torch.ones(2).sum().item<float>()"]);
        var control = NotebookClient.RunJupyter(plain, "shadow-plain.ipynb", shadowed);
        Assert.True(control.ExitCode != 0, "the stand-in libtorch on LD_LIBRARY_PATH did not break plain TorchSharp, so this test proves nothing:\n" + control);

        // The workshop's way: TorchRuntime.Initialize() first, as every notebook's second cell does.
        string workshop = ProbeNotebook(folder, "workshop.ipynb",
            ["#r \"nuget: TorchSharp-cpu, 0.107.0\"\n#r \"" + library + "\"", "Console.WriteLine(WorkshopKit.Runtime.TorchRuntime.Initialize());", "TorchSharp.torch.ones(2).sum().item<float>()"]);
        var fixedRun = NotebookClient.RunJupyter(workshop, "shadow-workshop.ipynb", shadowed);
        Assert.True(fixedRun.ExitCode == 0, fixedRun.ToString());
        string text = File.ReadAllText(fixedRun.ExecutedPath);
        Assert.Contains("loaded TorchSharp's libtorch by full path", text, StringComparison.Ordinal);
        Assert.Contains("<pre>2</pre>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_checks_the_notebook_route_and_names_a_shadowing_libtorch()
    {
        string stub = Path.Combine(NotebookClient.OutputFolder, "doctor-stub");
        Directory.CreateDirectory(stub);
        File.WriteAllText(Path.Combine(stub, "libtorch.so"), "not a library: doctor only lists it");
        var (code, output) = NotebookClient.RunDoctor(new Dictionary<string, string> { ["LD_LIBRARY_PATH"] = stub });
        // The float32 convolution self-check (every convolution the course trains, 2 trials per batch size and thread
        // count) decides the exit code too, and must pass on every host the kit supports: where the CPUID cache leaf
        // misleads oneDNN, the kit's cure (oneDNN off) makes it pass, and doctor names the CPUID finding either way.
        Assert.True(code == 0, "doctor was not satisfied on a machine where every notebook runs:\n" + output);
        Assert.Matches(@"float32 convolutions \((oneDNN|ATen \(oneDNN off\))\) agree with float64 in (\d[\d,]*) of \2 trials", output);
        Assert.Contains("CPUID: ", output, StringComparison.Ordinal);
        string Row(string check) => output.Split('\n').FirstOrDefault(l => Regex.IsMatch(l, @"^\s+(ok|warn|FAIL)\s+" + Regex.Escape(check) + @"\s")) ?? "";
        Assert.Contains("ok", Row("kernel tool"), StringComparison.Ordinal);
        Assert.Contains("1.0.712001", Row("kernel tool"), StringComparison.Ordinal);
        Assert.Contains("ok", Row("Jupyter kernel"), StringComparison.Ordinal);
        Assert.Contains("FSharp.Core 10.0", Row("FSharp.Core"), StringComparison.Ordinal);
        Assert.Contains("ok", Row("library build"), StringComparison.Ordinal);
        Assert.Contains("warn", Row("libtorch shadowing"), StringComparison.Ordinal);
        Assert.Contains(Path.Combine(stub, "libtorch.so"), Row("libtorch shadowing"), StringComparison.Ordinal);
        // The verdict is doctor's last line of its own (libtorch may still write to stderr) and agrees with the exit code.
        Assert.StartsWith("Ready:", output.Split('\n').Last(l => l.StartsWith("Ready:", StringComparison.Ordinal) || l.StartsWith("Not ready:", StringComparison.Ordinal)), StringComparison.Ordinal);
        if (OperatingSystem.IsLinux())
        {
            // The start-up patch's answer (dlvsym on the loaded libstdc++) agrees with the host file's version definitions.
            bool fileLacks = output.Contains("libstdc++ defines GLIBCXX_3.4.32: no", StringComparison.Ordinal);
            Assert.Contains($"libstdc++ loaded in this process (what the start-up patch asks): {(fileLacks ? "lacks it" : "defines it")}", output, StringComparison.Ordinal);
        }
    }

    private async Task AssertCleanAndDrawnAsync(ClientRun run)
    {
        var problems = NotebookClient.OutputProblems(run.ExecutedPath).ToList();
        var charts = NotebookClient.ChartIds(run.ExecutedPath);
        string html = NotebookClient.RenderHtml(run.ExecutedPath);
        await using var page = await browser.OpenAsync();
        await page.Page.GotoAsync(new Uri(html).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });
        foreach (var id in charts)
        {
            if (!await ChartsInPage.IsDrawnAsync(page.Page, id)) problems.Add($"chart {id} was not drawn with data (no .main-svg with a trace)");
        }
        await Task.Delay(500); // let late requests of the page's scripts be seen
        lock (page.Problems) problems.AddRange(page.Problems);
        log.WriteLine($"{charts.Count} chart(s) drawn; kernel port probes blocked: {page.KernelProbes}");
        Assert.True(problems.Count == 0, $"{run.Client} on {run.Notebook}:\n{string.Join("\n", problems)}");
    }

    /// <summary>
    /// The attendee copy's check cells are the instructor's, each answering the placeholder with "Not yet" and a hint
    /// (the instructor's run, in the in-process runner, says "Correct" in the same cells: AttendeeCopyTests).
    /// </summary>
    private static async Task AssertCheckCellsGiveHintsAsync(string name, string executed)
    {
        var instructor = await ExecutedNotebooks.Get(name);
        var verdicts = ExerciseVerdicts.InIpynb(executed);
        Assert.Equal(ExerciseVerdicts.Of(instructor.Document).Select(v => (v.Cell, v.Name)), verdicts.Select(v => (v.Cell, v.Name)));
        foreach (var (cell, exercise, verdict) in verdicts)
            Assert.True(verdict == ExerciseResult.NotYetWord, $"{name} (attendee copy) cell {cell}: exercise {exercise} says '{verdict}' with the placeholder answer");
        if (verdicts.Count > 0) Assert.Contains("Hint:", ExerciseVerdicts.AllOutputText(executed), StringComparison.Ordinal);
    }

    /// <summary>An attendee copy's outputs (the check cells' hints for the placeholder answers) must not print a solution.</summary>
    private static void AssertNoSolutionInOutputs(string name, string executed)
    {
        string outputs = Regex.Replace(string.Concat(System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(executed))!["cells"]!.AsArray()
            .SelectMany(c => c!["outputs"]?.AsArray() ?? []).Select(o => o!.ToJsonString())), @"\s+", "");
        foreach (var line in StudentCopies.SolutionLines(Path.Combine(RepoRoot.Path, "notebooks", name)))
        {
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            string expression = Regex.Replace((eq >= 0 ? line[(eq + 1)..] : line).TrimEnd(';'), @"\s+", "");
            if (expression.Length < 6) continue; // a bare number such as 13 can appear in any text
            Assert.False(outputs.Contains(expression, StringComparison.Ordinal), $"{name}: an output of the attendee copy shows the solution '{line}'");
        }
    }

    /// <summary>Writes the attendee copy of a notebook (solutions removed, <c>#r</c> paths rebased) and returns its path.</summary>
    private static string AttendeeCopy(string name)
    {
        string copy = Path.Combine(NotebookClient.OutputFolder, "student", name);
        StudentCopies.Write(Path.Combine(RepoRoot.Path, "notebooks", name), copy);
        return copy;
    }

    private static string ProbeNotebook(string folder, string file, string[] cells)
    {
        Directory.CreateDirectory(folder);
        var nb = new System.Text.Json.Nodes.JsonObject
        {
            ["cells"] = new System.Text.Json.Nodes.JsonArray(cells.Select((c, i) => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
            {
                ["cell_type"] = "code", ["execution_count"] = null, ["id"] = $"probe-{i}", ["metadata"] = new System.Text.Json.Nodes.JsonObject(),
                ["outputs"] = new System.Text.Json.Nodes.JsonArray(), ["source"] = c,
            }).ToArray()),
            ["metadata"] = System.Text.Json.Nodes.JsonNode.Parse("""{"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"}}"""),
            ["nbformat"] = 4, ["nbformat_minor"] = 5,
        };
        string path = Path.Combine(folder, file);
        File.WriteAllText(path, nb.ToJsonString());
        return path;
    }
}

/// <summary>One headless Debian chromium for the notebook-client tests; pages block every network request and record it.</summary>
public sealed class ClientBrowser : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        if (!File.Exists(BookInBrowser.ChromiumPath))
            throw new InvalidOperationException($"chromium is not installed at {BookInBrowser.ChromiumPath}; run `bash tools/prereqs.sh` (test.sh does).");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = BookInBrowser.ChromiumPath, Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"], Headless = true });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
    }

    /// <summary>A fresh page whose http(s) requests are aborted: the kernel's port probes are counted, anything else is a problem.</summary>
    public async Task<ClientPage> OpenAsync()
    {
        var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1200, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = new ClientPage(context, await context.NewPageAsync());
        await context.RouteAsync(new Regex("^(https?|wss?)://", RegexOptions.IgnoreCase), async route =>
        {
            if (NotebookClient.IsKernelBootstrapRequest(route.Request.Url)) Interlocked.Increment(ref page.KernelProbeCount);
            else lock (page.Problems) page.Problems.Add("network request (blocked): " + route.Request.Url);
            await route.AbortAsync();
        });
        page.Page.PageError += (_, error) => { lock (page.Problems) page.Problems.Add("page error: " + error); };
        page.Page.Console += (_, message) =>
        {
            // A blocked request also logs "Failed to load resource"; the request itself is judged above.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                lock (page.Problems) page.Problems.Add("console error: " + message.Text);
        };
        return page;
    }
}

/// <summary>A page with what went wrong while it was open.</summary>
public sealed class ClientPage(IBrowserContext context, IPage page) : IAsyncDisposable
{
    internal int KernelProbeCount;

    /// <summary>The page.</summary>
    public IPage Page { get; } = page;

    /// <summary>Blocked requests that the kernel's bootstrap script made (its HTTP port probe).</summary>
    public int KernelProbes => KernelProbeCount;

    /// <summary>Problems seen so far.</summary>
    public List<string> Problems { get; } = [];

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
