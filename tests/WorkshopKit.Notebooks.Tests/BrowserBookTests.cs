using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.Playwright;
using WorkshopKit.Runner;
using Xunit.Abstractions;

namespace WorkshopKit.Notebooks.Tests;

/// <summary>
/// The HTML book checked in a real browser (Debian's chromium through Playwright): every page loads from file://
/// with the network blocked and no console or page error, every Plotly chart draws its data, Mermaid diagrams become
/// SVG, a slider changes the frame of its chart, and the index links every notebook.
/// </summary>
public sealed partial class BrowserBookTests(BookInBrowser book, ITestOutputHelper log) : IClassFixture<BookInBrowser>
{
    [Fact]
    public async Task Every_page_loads_offline_without_errors_and_draws_its_charts()
    {
        Assert.NotEmpty(book.Pages);
        foreach (var (notebook, page) in book.Pages.Prepend(("index", "index.html")))
        {
            var timer = Stopwatch.StartNew();
            await using var watched = await book.OpenAsync();
            await watched.Page.GotoAsync(book.Url(page), new() { WaitUntil = WaitUntilState.Load });

            // The chart divs Plotly.NET wrote into the page source (independent of what the browser made of them).
            string html = await File.ReadAllTextAsync(Path.Combine(book.Folder, page));
            var chartIds = ChartsInPage.ChartIds(html);
            foreach (string id in chartIds)
            {
                bool drawn = await ChartsInPage.IsDrawnAsync(watched.Page, id);
                Assert.True(drawn, $"{page}: the Plotly chart in div {id} has no drawn data trace (.main-svg with .plot .trace or heatmap image). Problems: {string.Join("; ", watched.Problems)}");
            }

            int diagrams = await watched.Page.Locator("pre.mermaid").CountAsync();
            if (diagrams > 0)
            {
                bool drawn = await ChartsInPage.WaitUntilAsync(watched.Page, "[...document.querySelectorAll('pre.mermaid')].every(p => p.querySelector('svg'))");
                Assert.True(drawn, $"{page}: {diagrams} Mermaid diagram(s) were not drawn as SVG. Problems: {string.Join("; ", watched.Problems)}");
            }

            string title = await watched.Page.TitleAsync();
            Assert.Equal(page == "index.html" ? "WorkshopKit notebooks" : notebook, title);
            Assert.True(watched.Problems.Count == 0, $"{page}: {string.Join("\n", watched.Problems)}");
            log.WriteLine($"{page}: {chartIds.Count} chart(s), {diagrams} diagram(s), clean, {timer.Elapsed.TotalSeconds:F1} s");
        }
    }

    [Fact]
    public async Task A_slider_step_changes_the_frame_of_its_heatmap()
    {
        // The first page with a chart that has a Plotly slider (00-setup always has one: the ConvolutionWalkthrough demo).
        foreach (var (_, page) in book.Pages)
        {
            string html = await File.ReadAllTextAsync(Path.Combine(book.Folder, page));
            if (!html.Contains("\"sliders\"", StringComparison.Ordinal)) continue;

            await using var watched = await book.OpenAsync();
            await watched.Page.GotoAsync(book.Url(page), new() { WaitUntil = WaitUntilState.Load });
            Assert.True(await ChartsInPage.WaitUntilAsync(watched.Page, "document.querySelectorAll('.js-plotly-plot .slider-container').length > 0"),
                $"{page}: the page source has a slider but none was drawn. Problems: {string.Join("; ", watched.Problems)}");
            string id = await watched.Page.EvaluateAsync<string>(
                "[...document.querySelectorAll('.js-plotly-plot')].find(d => d.querySelector('.slider-container')).id");

            string before = await FrameAsync(watched.Page, id);
            // Click the slider's second step the way a person does: press and release the mouse on its tick.
            var chart = watched.Page.Locator($"[id='{id}']");
            // Mouse coordinates are viewport coordinates: bring the slider into view before measuring where its ticks are.
            await chart.Locator(".slider-container").ScrollIntoViewIfNeededAsync();
            var tick = await chart.Locator(".slider-container .slider-tick-rect").Nth(1).BoundingBoxAsync();
            var rail = await chart.Locator(".slider-container .slider-rail-touch-rect").BoundingBoxAsync();
            Assert.NotNull(tick);
            Assert.NotNull(rail);
            await watched.Page.Mouse.MoveAsync(tick.X + tick.Width / 2, rail.Y + rail.Height / 2);
            await watched.Page.Mouse.DownAsync();
            await watched.Page.Mouse.UpAsync();

            bool changed = await ChartsInPage.WaitUntilAsync(watched.Page,
                $"JSON.stringify(document.getElementById({System.Text.Json.JsonSerializer.Serialize(id)}).data.map(t => t.z)) !== {System.Text.Json.JsonSerializer.Serialize(before)}");
            Assert.True(changed, $"{page}: clicking the slider's second step did not change any heatmap's values. Problems: {string.Join("; ", watched.Problems)}");
            Assert.Equal(1, await watched.Page.EvaluateAsync<int>($"document.getElementById('{id}').layout.sliders[0].active"));
            Assert.True(watched.Problems.Count == 0, string.Join("\n", watched.Problems));
            return;
        }
        Assert.Fail("No page of the book has a Plotly slider; 00-setup's ConvolutionWalkthrough demo should provide one.");
    }

    [Fact]
    public async Task Index_links_every_notebook_and_each_link_opens_its_page()
    {
        await using var watched = await book.OpenAsync();
        await watched.Page.GotoAsync(book.Url("index.html"));
        foreach (string notebook in BookInBrowser.NumberedNotebooks())
        {
            var link = watched.Page.GetByRole(AriaRole.Link, new() { Name = notebook, Exact = true });
            Assert.Equal(1, await link.CountAsync());
            await link.ClickAsync();
            await watched.Page.WaitForURLAsync(book.Url(Path.ChangeExtension(notebook, ".html")));
            Assert.Equal(notebook, await watched.Page.TitleAsync());
            await watched.Page.GoBackAsync();
        }
        Assert.True(watched.Problems.Count == 0, string.Join("\n", watched.Problems));
    }

    [Fact]
    public async Task Screenshots_of_the_index_and_the_setup_page_are_saved_under_artifacts()
    {
        string folder = Path.Combine(RepoRoot.Path, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        foreach (var (page, shot) in new[] { ("index.html", "index.png"), ("00-setup.html", "00-setup.png") })
        {
            string path = Path.Combine(folder, shot);
            File.Delete(path);
            await using var watched = await book.OpenAsync();
            await watched.Page.GotoAsync(book.Url(page));
            // Wait until every chart of the page is drawn, so the picture shows them.
            await ChartsInPage.WaitUntilAsync(watched.Page, "[...document.querySelectorAll('.output.html div[id]')].filter(d => d.id.startsWith('workshopkit-chart-')).every(d => d.querySelector('.main-svg'))");
            await watched.Page.ScreenshotAsync(new() { Path = path, FullPage = true });
            Assert.True(new FileInfo(path).Length > 10_000, $"{path} is suspiciously small");
            log.WriteLine($"screenshot: {path}");
        }
    }

    [Fact]
    public void The_book_shares_one_plotly_js_and_one_mermaid_js_and_stays_under_a_fifth_of_its_old_size()
    {
        // The book with one plotly.js copy per page measured 43 MB for the nine pages (2026-12-01); the goal is a fifth.
        var files = Directory.GetFiles(book.Folder);
        long total = files.Sum(f => new FileInfo(f).Length);
        Assert.True(total <= 43_000_000 / 5, $"the book takes {total:N0} bytes; at most {43_000_000 / 5:N0} expected");
        Assert.Single(files, f => Path.GetFileName(f).StartsWith("plotly-", StringComparison.Ordinal));
        foreach (var (_, page) in book.Pages)
            Assert.True(new FileInfo(Path.Combine(book.Folder, page)).Length < 1_000_000, $"{page} is over 1 MB: a library is inlined again");
    }

    [Fact]
    public async Task A_mermaid_diagram_in_a_page_is_drawn_as_svg_offline()
    {
        // No notebook shows a diagram yet; this page has one, written the way a cell's display of a MermaidDiagram is.
        var diagram = new WorkshopKit.Visuals.MermaidDiagram("flowchart LR\n  x[input 1x28x28] --> c[conv 3x3] --> y[output 8x26x26]");
        var cell = new InteractiveDocumentElement("display(diagram);", "csharp",
            [new DisplayElement(new Dictionary<string, object> { ["text/html"] = diagram.ToHtml() })]);
        string page = "mermaid-check.html";
        await File.WriteAllTextAsync(Path.Combine(book.Folder, page), NotebookHtml.RenderPage(new InteractiveDocument([cell]), null, page));

        await using var watched = await book.OpenAsync();
        await watched.Page.GotoAsync(book.Url(page));

        Assert.True(await ChartsInPage.WaitUntilAsync(watched.Page, "document.querySelector('pre.mermaid svg') !== null"),
            "the Mermaid diagram was not drawn as SVG. Problems: " + string.Join("; ", watched.Problems));
        string svgText = await watched.Page.Locator("pre.mermaid svg").TextContentAsync() ?? "";
        Assert.Contains("conv 3x3", svgText, StringComparison.Ordinal);
        Assert.True(watched.Problems.Count == 0, string.Join("\n", watched.Problems));
    }

    [Fact]
    public async Task A_reader_sees_no_solution_or_verdict_until_asking_and_every_solution_when_asking()
    {
        int pages = 0;
        foreach (var (notebook, page) in book.Pages)
        {
            string path = Path.Combine(RepoRoot.Path, "notebooks", notebook);
            // Solution lines that also appear outside a solution (a closing brace, a line the task itself shows) prove nothing.
            var elsewhere = LinesOutsideSolutions(path);
            var solution = StudentCopies.SolutionLines(path).Where(l => !elsewhere.Contains(l)).Distinct().ToList();
            if (solution.Count == 0) continue;
            pages++;
            await using var watched = await book.OpenAsync();
            await watched.Page.GotoAsync(book.Url(page));

            // innerText leaves out what a closed <details> hides, as a reader's eyes do.
            string visible = await watched.Page.InnerTextAsync("main");
            Assert.True(!solution.Any(visible.Contains), $"{page}: solution lines visible before the reader asks: " +
                string.Join(" | ", solution.Where(visible.Contains)));
            Assert.DoesNotMatch(CorrectVerdict(), visible);

            var summaries = watched.Page.Locator($"details.{NotebookHtml.SolutionClass} > summary");
            int closed = await summaries.CountAsync();
            for (int i = 0; i < closed; i++) await summaries.Nth(i).ClickAsync();
            string opened = await watched.Page.InnerTextAsync("main");
            Assert.True(solution.All(opened.Contains), $"{page}: solution lines still hidden after opening all {closed}: " +
                string.Join(" | ", solution.Where(l => !opened.Contains(l))));
            Assert.Matches(CorrectVerdict(), opened);
            Assert.True(watched.Problems.Count == 0, $"{page}: {string.Join("\n", watched.Problems)}");
            log.WriteLine($"{page}: {solution.Count} solution lines and the verdicts behind {closed} closed details");
        }
        Assert.True(pages >= 8, $"only {pages} pages have exercises; notebooks 01 to 08 each have some");
    }

    /// <summary>Every trimmed line of the notebook a reader may see anyway: markdown and code with the solutions removed.</summary>
    private static HashSet<string> LinesOutsideSolutions(string notebookPath)
    {
        var lines = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in IpynbJson.Cells(IpynbJson.Load(notebookPath)))
        {
            string source = IpynbJson.Source(cell);
            if (source.Contains(StudentCopies.BeginMarker, StringComparison.Ordinal)) source = StudentCopies.Strip(source, notebookPath).Source;
            foreach (var line in source.Split('\n')) lines.Add(line.Trim());
        }
        return lines;
    }

    [GeneratedRegex(@"Exercise [0-9.]+: Correct")]
    private static partial Regex CorrectVerdict();

    // The values of every trace: a step of the walkthrough changes its products and its output panel (whatever their order).
    private static async Task<string> FrameAsync(IPage page, string id) =>
        await page.EvaluateAsync<string>($"JSON.stringify(document.getElementById({System.Text.Json.JsonSerializer.Serialize(id)}).data.map(t => t.z))");

}
