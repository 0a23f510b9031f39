using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WorkshopKit.Runner;

namespace WorkshopKit.Notebooks.Tests;

/// <summary>
/// The HTML book of the repository's numbered notebooks, written to a temporary folder from the runs the other tests
/// share (<see cref="ExecutedNotebooks"/>), and one headless Debian chromium driven by Playwright for every page.
/// Playwright never downloads a browser here: it starts the node driver shipped in its NuGet package and launches
/// the system's chromium by path.
/// </summary>
public sealed partial class BookInBrowser : IAsyncLifetime
{
    /// <summary>The chromium that tools/prereqs.sh installs (Debian's package); WORKSHOPKIT_CHROMIUM overrides it.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("WORKSHOPKIT_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The folder holding index.html and one page per notebook.</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "wk-book-" + Guid.NewGuid().ToString("N"));

    /// <summary>Notebook file names (NN-*.ipynb, as the main job picks them) and their page files, in order.</summary>
    public IReadOnlyList<(string Notebook, string Page)> Pages { get; private set; } = [];

    /// <summary>The one browser all tests share.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not started.");

    /// <summary>The notebooks the main job renders: notebooks/NN-*.ipynb.</summary>
    public static IReadOnlyList<string> NumberedNotebooks() =>
        Directory.GetFiles(Path.Combine(RepoRoot.Path, "notebooks"), "*.ipynb")
            .Select(Path.GetFileName).OfType<string>()
            .Where(n => NumberedNotebook().IsMatch(n))
            .Order(StringComparer.Ordinal).ToList();

    public async Task InitializeAsync()
    {
        // Fail (never skip) when the browser is missing: CI installs it with the project's own script.
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException(
                $"chromium is not installed at {ChromiumPath}; the browser test of the HTML book needs it. Run `bash tools/prereqs.sh` " +
                "(test.sh and CI do), or point WORKSHOPKIT_CHROMIUM at a Chromium/Chrome executable.");

        // Render the book the way the main job does (RunCommand): one page per executed notebook, then the index.
        Directory.CreateDirectory(Folder);
        NotebookHtml.WriteAssets(Folder);
        var pages = new List<(string, string)>();
        var results = new List<(NotebookResult, string)>();
        foreach (string name in NumberedNotebooks())
        {
            var executed = await ExecutedNotebooks.Get(name);
            string page = Path.ChangeExtension(name, ".html");
            await File.WriteAllTextAsync(Path.Combine(Folder, page), NotebookHtml.RenderPage(executed.Document, executed.Result, name));
            pages.Add((name, page));
            results.Add((executed.Result, page));
        }
        await File.WriteAllTextAsync(Path.Combine(Folder, "index.html"), NotebookHtml.RenderIndex(results));
        Pages = pages;

        // Playwright must never fetch a browser; it only needs its bundled node driver.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Args = ChromiumArgs, Headless = true });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }

    /// <summary>The file:// address of a page of the book.</summary>
    public string Url(string page) => new Uri(Path.Combine(Folder, page)).AbsoluteUri;

    /// <summary>
    /// A new page in a fresh context with every http/https request aborted (and recorded) and console errors and
    /// uncaught exceptions recorded, so a test can assert that a page works offline and cleanly.
    /// </summary>
    public async Task<WatchedPage> OpenAsync()
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1200, Height = 900 } });
        // Generous limits: a page embeds 3.5 MB of plotly.js, and CI machines can be busy. A healthy page takes a few seconds.
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(60_000);
        var watched = new WatchedPage(context, await context.NewPageAsync());
        await context.RouteAsync(new Regex("^https?://", RegexOptions.IgnoreCase), async route =>
        {
            lock (watched.Problems) watched.Problems.Add("network request (blocked): " + route.Request.Url);
            await route.AbortAsync();
        });
        watched.Page.Console += (_, message) =>
        {
            if (message.Type == "error") lock (watched.Problems) watched.Problems.Add("console error: " + message.Text);
        };
        watched.Page.PageError += (_, error) => { lock (watched.Problems) watched.Problems.Add("page error: " + error); };
        return watched;
    }

    [GeneratedRegex(@"^\d\d-.*\.ipynb$")]
    private static partial Regex NumberedNotebook();
}

/// <summary>A page with the problems seen while it was open (blocked network requests, console errors, page errors).</summary>
public sealed class WatchedPage(IBrowserContext context, IPage page) : IAsyncDisposable
{
    /// <summary>The page.</summary>
    public IPage Page { get; } = page;

    /// <summary>What went wrong so far; empty for a clean page.</summary>
    public List<string> Problems { get; } = [];

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
