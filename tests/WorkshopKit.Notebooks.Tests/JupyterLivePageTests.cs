using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using WorkshopKit.Runner;
using Xunit.Abstractions;

namespace WorkshopKit.Notebooks.Tests;

/// <summary>
/// What an attendee sees in the live Jupyter page (issue 27), in a real browser: the classic Jupyter Notebook server
/// (Debian's jupyter-notebook) on a loopback port with the pinned .NET Interactive kernel, and headless Chromium driven
/// by Playwright. Attendee copies of 00, 03 and 05 are Run All from the menu, saved; then the kernel is restarted and
/// single cells are re-run out of order (later chart cells before the earlier ones whose saved outputs are still on the
/// page: the case where a restarted counter drew charts into another cell's output), a slider is moved with the mouse,
/// and the page is reloaded. After every step: no error output, every chart and diagram drawn exactly once and in its
/// own cell, ids unique on the page, no Mermaid source and no "not drawn" note showing. A copy handed out from elsewhere
/// (not trusted) shows the one-line note in each output and draws after File &gt; Trust Notebook. No request may leave
/// 127.0.0.1 except the kernel's own start-up probe (environment.md, "Live Jupyter page").
/// </summary>
[Collection(NotebookClientCollection.Name)]
public sealed class JupyterLivePageTests(ITestOutputHelper log)
{
    /// <summary>Per notebook: the cells to re-run after a restart, in this order, each found by a piece of its source.</summary>
    private static readonly (string Notebook, string[] RerunAfterRestart)[] Scenarios =
    [
        // The walkthrough (a slider chart) before the earlier sine chart, whose saved output carried plotly.js.
        ("00-setup.ipynb", ["ConvolutionWalkthrough.Create", "torch.sin(t)"]),
        // The issue's case: the dilation chart first, then the first two walkthrough charts.
        ("03-strides-and-padding.ipynb", ["DilationFootprint.ToChart", "var acrossBy2", "valid5.Walkthrough"]),
        // The digit's feature maps, the transposed twin's diagram, then the first diagram (which carried mermaid.js).
        ("05-collaborative-filters.ipynb", ["Datasets.Load(DatasetName.Mnist)", "up.ToMermaid", "block.ToMermaid(input)"]),
    ];

    private static readonly string Screenshots = Path.Combine(RepoRoot.Path, "artifacts", "screenshots");

    [Fact]
    public async Task Run_all_restart_rerun_out_of_order_and_reload_draw_every_chart_and_diagram_in_its_own_cell()
    {
        var timer = Stopwatch.StartNew();
        string folder = Path.Combine(NotebookClient.OutputFolder, "live");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory(Screenshots);
        foreach (var (notebook, _) in Scenarios)
            StudentCopies.Write(Path.Combine(RepoRoot.Path, "notebooks", notebook), Path.Combine(folder, notebook));

        using var server = await LiveJupyter.StartAsync(folder);
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = BookInBrowser.ChromiumPath, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        var watch = new Watch();
        await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 1000 } });
        context.SetDefaultTimeout(60_000);
        await context.RouteAsync("**/*", async route =>
        {
            var uri = new Uri(route.Request.Url);
            if (uri.IsLoopback)
            {
                await route.ContinueAsync();
                return;
            }
            lock (watch) (IsKernelStartupProbe(uri) ? watch.KernelProbes : watch.Problems).Add("request left 127.0.0.1: " + uri);
            await route.AbortAsync();
        });

        foreach (var (notebook, rerun) in Scenarios)
        {
            var step = Stopwatch.StartNew();
            var page = await OpenAsync(context, server.Url(notebook), watch);

            // 1. Run All from the menu, as an attendee does, and save.
            await page.Locator("#celllink").ClickAsync();
            await page.Locator("#run_all_cells").ClickAsync();
            await WaitAsync(page, "() => Jupyter.notebook.get_cells().every(c => c.cell_type !== 'code' || typeof c.input_prompt_number === 'number') && !Jupyter.notebook.kernel_busy",
                TimeSpan.FromMinutes(5), $"{notebook}: Run All did not finish");
            var counts = await OutputCountsAsync(page);
            Assert.True(counts.Values.Sum() > 0, $"{notebook}: Run All drew no chart or diagram at all");
            await AssertPageAsync(page, $"{notebook} after Run All", watch);
            await SaveAsync(page);
            log.WriteLine($"{notebook}: opened and Run All, {counts.Values.Sum()} chart(s)/diagram(s) in {counts.Count} cell(s), {step.Elapsed.TotalSeconds:F1} s");
            step.Restart();

            // 2. Restart the kernel, run the set-up cells, then single cells out of order.
            await page.EvaluateAsync("() => new Promise(ready => { Jupyter.notebook.events.one('kernel_ready.Kernel', () => ready(true)); Jupyter.notebook.kernel.restart(); })");
            await WaitAsync(page, "() => Jupyter.notebook.kernel.is_connected() && !Jupyter.notebook.kernel_busy", TimeSpan.FromMinutes(1), $"{notebook}: the kernel did not come back after a restart");
            var cells = await CodeCellsAsync(page);
            var order = cells.Take(2).Select(c => c.Index).ToList(); // the references and the set-up cell
            foreach (string marker in rerun)
            {
                var found = cells.FirstOrDefault(c => c.Source.Contains(marker, StringComparison.Ordinal));
                Assert.True(found.Source is not null, $"{notebook}: no code cell contains '{marker}'; update {nameof(Scenarios)} to the notebook's new cells");
                order.Add(found.Index);
            }
            foreach (int index in order)
            {
                await ExecuteAsync(page, index, notebook);
                if (!counts.TryGetValue(index, out int expected)) continue;
                await AssertCellDrawsItsOwnAsync(page, index, expected, $"{notebook}, cell {index + 1} re-run after the restart");
                await page.Locator("#notebook-container > .cell").Nth(index).ScreenshotAsync(new() { Path = Path.Combine(Screenshots, $"live-{notebook[..2]}-rerun-cell-{index + 1}.png") });
            }
            await AssertPageAsync(page, $"{notebook} after the restart and re-running cells {string.Join(", ", order.Select(i => i + 1))}", watch);

            // 3. A slider moved with the mouse changes the picture (00's walkthrough, re-run in this session).
            if (notebook.StartsWith("00", StringComparison.Ordinal)) await AssertSliderChangesFrameAsync(page, order[2]);

            // 4. Save and reload: the saved outputs of both sessions draw again, each in its own cell.
            await SaveAsync(page);
            await page.ReloadAsync();
            await WaitReadyAsync(page);
            await AssertPageAsync(page, $"{notebook} after a reload", watch);
            foreach (var (index, expected) in counts) await AssertCellDrawsItsOwnAsync(page, index, expected, $"{notebook}, cell {index + 1} after the reload");
            // The first chart/diagram cell: its output is the oldest on the page, the one a restarted counter drew over.
            await page.Locator("#notebook-container > .cell").Nth(counts.Keys.Min()).ScreenshotAsync(new() { Path = Path.Combine(Screenshots, $"live-{notebook[..2]}-reloaded-first-output.png") });
            log.WriteLine($"{notebook}: restart, cells {string.Join(", ", order.Select(i => i + 1))} re-run, reload: {step.Elapsed.TotalSeconds:F1} s");
            // Shut its kernel down (Kernel > Shutdown), as an attendee closing the notebook would: frees memory and its HTTP port.
            await page.EvaluateAsync("async () => { await Jupyter.notebook.session.delete(); return true; }");
            await page.CloseAsync();
        }

        await CopyFromElsewhereShowsTheNoteAndDrawsOnceTrustedAsync(context, server, watch);

        lock (watch)
        {
            log.WriteLine($"kernel start-up probes (blocked, documented): {watch.KernelProbes.Count} {string.Join(" ", watch.KernelProbes.Distinct())}");
            Assert.True(watch.Problems.Count == 0, string.Join("\n", watch.Problems));
        }
        log.WriteLine($"total {timer.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>An executed notebook from another machine: Jupyter has no signature for it, so it opens "Not Trusted".</summary>
    private async Task CopyFromElsewhereShowsTheNoteAndDrawsOnceTrustedAsync(IBrowserContext context, LiveJupyter server, Watch watch)
    {
        const string copy = "03-handed-out.ipynb";
        var saved = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(server.Folder, "03-strides-and-padding.ipynb")))!;
        saved["metadata"]!["workshopkit_handed_out"] = true; // any change: the signature no longer matches
        await File.WriteAllTextAsync(Path.Combine(server.Folder, copy), saved.ToJsonString());

        var page = await OpenAsync(context, server.Url(copy), watch);
        Assert.Contains("Not Trusted", await page.Locator("#notification_trusted").InnerTextAsync(), StringComparison.Ordinal);
        var state = await StateAsync(page);
        int outputs = state.GetProperty("charts").GetInt32() + state.GetProperty("diagrams").GetInt32();
        Assert.True(outputs > 0, "the handed-out copy shows no chart output at all");
        int notes = await page.Locator(".workshopkit-not-drawn:visible").CountAsync();
        Assert.True(notes == outputs, $"untrusted: {notes} note(s) for {outputs} chart/diagram output(s); each empty output must say what to do");
        Assert.Contains("File > Trust Notebook", await page.Locator(".workshopkit-not-drawn").First.InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator(".workshopkit-not-drawn").First.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "live-03-untrusted.png") });

        await page.Locator("#filelink").ClickAsync();
        await page.Locator("#trust_notebook").ClickAsync();
        await page.EvaluateAsync("() => { window.workshopkitBeforeTrust = true; }");
        // Jupyter opens its "Trust this notebook?" dialog twice for one menu click (two handlers); the top one takes the click.
        await page.Locator(".modal-footer button:visible", new() { HasTextString = "Trust" }).Last.ClickAsync();
        // Jupyter reloads the page in a trusted state: wait for the new page (the marker is gone) with its kernel.
        var until = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await page.EvaluateAsync<bool>("() => !window.workshopkitBeforeTrust && !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())")) break;
            }
            catch (PlaywrightException)
            {
                // the page is being replaced
            }
            Assert.True(until.Elapsed < TimeSpan.FromMinutes(1), "File > Trust Notebook did not reload the page in a trusted state within a minute");
            await Task.Delay(250);
        }
        await WaitReadyAsync(page);
        Assert.DoesNotContain("Not Trusted", await page.Locator("#notification_trusted").InnerTextAsync(), StringComparison.Ordinal);
        await AssertPageAsync(page, "the handed-out copy after File > Trust Notebook", watch);
        await page.EvaluateAsync("async () => { await Jupyter.notebook.session.delete(); return true; }");
        await page.CloseAsync();

        // The README's other way: sign the copy before opening it (jupyter trust, or Debian's python3 -m nbformat.sign).
        const string signed = "03-signed.ipynb";
        saved["metadata"]!["workshopkit_handed_out"] = "signed";
        await File.WriteAllTextAsync(Path.Combine(server.Folder, signed), saved.ToJsonString());
        server.Sign(signed);
        page = await OpenAsync(context, server.Url(signed), watch);
        Assert.DoesNotContain("Not Trusted", await page.Locator("#notification_trusted").InnerTextAsync(), StringComparison.Ordinal);
        await AssertPageAsync(page, "a handed-out copy signed before it was opened", watch);
        await page.CloseAsync();
    }

    private static async Task<IPage> OpenAsync(IBrowserContext context, string url, Watch watch)
    {
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => { lock (watch) watch.Problems.Add($"page error ({page.Url}): {error}"); };
        page.Console += (_, message) =>
        {
            if (message.Type != "error") return;
            // A blocked request also logs "Failed to load resource"; the request itself is judged by the route.
            if (message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) return;
            // Jupyter's own page tries the ipywidgets extension (main.js, "Fallback to the ipywidgets extension") on every
            // notebook; Debian's jupyter-notebook without python3-ipywidgets answers 404. Not the kit's, and harmless.
            if (message.Text.Contains("/nbextensions/widgets/notebook/js/extension.js", StringComparison.Ordinal)) return;
            // The kernel's start-up probe found no address it may use (its port was 2049, which Chromium refuses) and asked
            // the page's own server for "undefinedresources/dotnet-interactive.js" (IsKernelStartupProbe).
            if (message.Text.Contains("undefinedresources/dotnet-interactive.js", StringComparison.Ordinal))
            {
                lock (watch) watch.KernelProbes.Add("console: " + message.Text);
                return;
            }
            lock (watch) watch.Problems.Add($"console error ({page.Url}): {message.Text}");
        };
        await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Load });
        await WaitReadyAsync(page);
        return page;
    }

    private static Task WaitReadyAsync(IPage page) =>
        WaitAsync(page, "() => window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected() && !Jupyter.notebook.kernel_busy",
            TimeSpan.FromMinutes(2), $"the notebook page {page.Url} did not load with a connected, idle kernel");

    private static async Task WaitAsync(IPage page, string expression, TimeSpan timeout, string what)
    {
        try
        {
            await page.WaitForFunctionAsync(expression, null, new() { Timeout = (float)timeout.TotalMilliseconds, PollingInterval = 250 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what} within {timeout.TotalSeconds:F0} s");
        }
    }

    private static async Task SaveAsync(IPage page) =>
        await page.EvaluateAsync("async () => { await Jupyter.notebook.save_notebook(); return true; }");

    private static async Task ExecuteAsync(IPage page, int index, string notebook)
    {
        await page.EvaluateAsync("i => { Jupyter.notebook.select(i); Jupyter.notebook.get_cell(i).execute(); }", index);
        await WaitAsync(page, $"() => typeof Jupyter.notebook.get_cell({index}).input_prompt_number === 'number' && !Jupyter.notebook.kernel_busy",
            TimeSpan.FromMinutes(2), $"{notebook}: cell {index + 1} did not finish");
    }

    private static async Task<List<(int Index, string Source)>> CodeCellsAsync(IPage page)
    {
        var cells = await page.EvaluateAsync<JsonElement>("() => Jupyter.notebook.get_cells().map((c, i) => [i, c.cell_type, c.get_text()])");
        return [.. cells.EnumerateArray().Where(c => c[1].GetString() == "code").Select(c => (c[0].GetInt32(), c[2].GetString() ?? ""))];
    }

    /// <summary>Cell index -> charts plus diagrams in its output.</summary>
    private static async Task<Dictionary<int, int>> OutputCountsAsync(IPage page)
    {
        var counts = await page.EvaluateAsync<JsonElement>("""
            () => Jupyter.notebook.get_cells().map((c, i) => [i, c.cell_type === 'code'
              ? c.output_area.element[0].querySelectorAll('div[id^="workshopkit-chart-"], .workshopkit-diagram').length : 0])
            """);
        return counts.EnumerateArray().Where(c => c[1].GetInt32() > 0).ToDictionary(c => c[0].GetInt32(), c => c[1].GetInt32());
    }

    // What the page shows: charts and diagrams (drawn or not), duplicate ids, notes, error outputs, Mermaid source.
    private const string StateJs = """
        () => {
          const ids = [...document.querySelectorAll('[id^="workshopkit-"]')].map(e => e.id);
          const charts = [...document.querySelectorAll('div[id^="workshopkit-chart-"]')];
          const drawnOnce = d => d.querySelectorAll('.svg-container').length === 1 && !!d.querySelector('.main-svg') && Array.isArray(d.data) && d.data.length > 0
            && d.querySelectorAll('.plot .trace, .hm image, .heatmaplayer image').length > 0;
          const diagrams = [...document.querySelectorAll('.workshopkit-diagram')];
          return {
            charts: charts.length, diagrams: diagrams.length,
            duplicateIds: ids.filter((x, i) => ids.indexOf(x) !== i),
            undrawnCharts: charts.filter(d => !drawnOnce(d)).map(d => d.id),
            undrawnDiagrams: diagrams.filter(d => d.querySelectorAll('pre.mermaid svg').length !== 1).map(d => d.id),
            notes: document.querySelectorAll('.workshopkit-not-drawn').length,
            errors: [...document.querySelectorAll('.output_error')].map(e => e.innerText.slice(0, 400)),
            mermaidSource: [...document.querySelectorAll('.output_area')].filter(o => /flowchart (LR|TD)|---\s*config:/.test(o.innerText)).length,
          };
        }
        """;

    private static Task<JsonElement> StateAsync(IPage page) => page.EvaluateAsync<JsonElement>(StateJs);

    private static async Task AssertPageAsync(IPage page, string when, Watch watch)
    {
        // Drawing is asynchronous (scripts wait for plotly.js/mermaid.js and for their output to be attached): give it time.
        try
        {
            await page.WaitForFunctionAsync($"() => {{ const s = ({StateJs})(); return s.undrawnCharts.length === 0 && s.undrawnDiagrams.length === 0 && s.notes === 0; }}",
                null, new() { Timeout = 30_000, PollingInterval = 250 });
        }
        catch (TimeoutException)
        {
            // reported below with the details
        }
        var s = await StateAsync(page);
        var problems = new List<string>();
        foreach (var e in s.GetProperty("errors").EnumerateArray()) problems.Add("error output: " + e.GetString());
        foreach (var id in s.GetProperty("duplicateIds").EnumerateArray()) problems.Add("id used twice on the page: " + id.GetString());
        foreach (var id in s.GetProperty("undrawnCharts").EnumerateArray()) problems.Add("chart not drawn exactly once with data: " + id.GetString());
        foreach (var id in s.GetProperty("undrawnDiagrams").EnumerateArray()) problems.Add("diagram not drawn as one SVG: " + id.GetString());
        if (s.GetProperty("notes").GetInt32() > 0) problems.Add($"{s.GetProperty("notes").GetInt32()} 'not drawn' note(s) still showing");
        if (s.GetProperty("mermaidSource").GetInt32() > 0) problems.Add($"{s.GetProperty("mermaidSource").GetInt32()} output(s) show Mermaid source text");
        lock (watch) problems.AddRange(watch.Problems);
        Assert.True(problems.Count == 0, $"{when}:\n{string.Join("\n", problems)}");
    }

    /// <summary>The cell's own output holds its charts and diagrams, each drawn once (not drawn into another cell's output).</summary>
    private static async Task AssertCellDrawsItsOwnAsync(IPage page, int index, int expected, string what)
    {
        string js = $$"""
            () => {
              const out = Jupyter.notebook.get_cell({{index}}).output_area.element[0];
              const charts = [...out.querySelectorAll('div[id^="workshopkit-chart-"]')];
              const diagrams = [...out.querySelectorAll('.workshopkit-diagram')];
              return charts.length + diagrams.length === {{expected}}
                && charts.every(d => d.querySelectorAll('.svg-container').length === 1 && d.querySelectorAll('.plot .trace, .hm image, .heatmaplayer image').length > 0)
                && diagrams.every(d => d.querySelectorAll('pre.mermaid svg').length === 1);
            }
            """;
        try
        {
            await page.WaitForFunctionAsync(js, null, new() { Timeout = 30_000, PollingInterval = 250 });
        }
        catch (TimeoutException)
        {
            string html = await page.EvaluateAsync<string>($"() => Jupyter.notebook.get_cell({index}).output_area.element[0].innerText.slice(0, 600)");
            Assert.Fail($"{what}: expected {expected} chart(s)/diagram(s) drawn in its own output; it shows: {html}");
        }
    }

    private static async Task AssertSliderChangesFrameAsync(IPage page, int index)
    {
        var cell = page.Locator("#notebook-container > .cell").Nth(index);
        var chart = cell.Locator(".js-plotly-plot").Filter(new() { Has = page.Locator(".slider-container") }).First;
        string id = await chart.GetAttributeAsync("id") ?? throw new InvalidOperationException("the slider chart has no id");
        string Frame() => $"JSON.stringify(document.getElementById({JsonSerializer.Serialize(id)}).data.map(t => t.z))";
        string before = await page.EvaluateAsync<string>($"() => {Frame()}");
        await chart.Locator(".slider-container").ScrollIntoViewIfNeededAsync();
        var tick = await chart.Locator(".slider-container .slider-tick-rect").Nth(1).BoundingBoxAsync();
        var rail = await chart.Locator(".slider-container .slider-rail-touch-rect").BoundingBoxAsync();
        Assert.NotNull(tick);
        Assert.NotNull(rail);
        await page.Mouse.MoveAsync(tick.X + tick.Width / 2, rail.Y + rail.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.UpAsync();
        await WaitAsync(page, $"() => {Frame()} !== {JsonSerializer.Serialize(before)}", TimeSpan.FromSeconds(20), "clicking the slider's second step did not change the heatmaps");
        Assert.Equal(1, await page.EvaluateAsync<int>($"() => document.getElementById({JsonSerializer.Serialize(id)}).layout.sliders[0].active"));
        await cell.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "live-00-slider-moved.png") });
    }

    /// <summary>
    /// The .NET Interactive kernel's start-up script (in the first cell's output) looks for the kernel's HTTP API: it
    /// asks <c>/discovery</c> on the kernel's port and, where the browser refuses that port, on the machine's own address,
    /// then loads <c>.../resources/dotnet-interactive.js</c> from what it found. It belongs to the kernel, the kit needs none
    /// of it; requests of that shape off the loopback are counted and blocked, anything else fails the test.
    /// </summary>
    private static bool IsKernelStartupProbe(Uri uri) =>
        uri.AbsolutePath.EndsWith("/discovery", StringComparison.Ordinal) || uri.AbsolutePath.EndsWith("resources/dotnet-interactive.js", StringComparison.Ordinal);

    private sealed class Watch
    {
        public List<string> Problems { get; } = [];

        public List<string> KernelProbes { get; } = [];
    }
}
