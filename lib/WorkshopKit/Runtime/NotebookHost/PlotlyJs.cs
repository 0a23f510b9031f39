using System.Text.RegularExpressions;
using Plotly.NET;

namespace WorkshopKit.Runtime.NotebookHost;

/// <summary>
/// The plotly.js bundle that ships inside the Plotly.NET package (MIT license). WorkshopKit embeds this copy wherever a
/// chart is shown (notebook outputs, the HTML book, twins' chart files) because Plotly.NET's own HTML loads plotly.js
/// from a CDN, which leaves every chart blank on a laptop without network.
/// </summary>
/// <remarks>Taught in: 00-setup, "A first chart with Plotly.NET".</remarks>
internal static partial class PlotlyJs
{
    private static readonly Lazy<(string Script, string Version)> Bundle = new(Load);

    /// <summary>The minified plotly.js source.</summary>
    public static string Script => Bundle.Value.Script;

    /// <summary>Its version, e.g. <c>3.0.1</c>, read from the resource name.</summary>
    public static string Version => Bundle.Value.Version;

    /// <summary>
    /// A <c>&lt;script&gt;</c> element that defines <c>window.Plotly</c> once per page. It hides a page's AMD
    /// <c>define</c> while plotly.js runs (classic Jupyter and nbconvert pages carry require.js, and plotly.js would
    /// otherwise register itself as an AMD module instead of a global) and does nothing when the page already has
    /// plotly. The <c>data-workshopkit-plotly</c> attribute lets the HTML book (tools/WorkshopKit.Runner/NotebookHtml.cs, which
    /// matches it) replace it by one shared file.
    /// </summary>
    public static string InlineScriptElement() =>
        $"<script type=\"text/javascript\" data-workshopkit-plotly=\"{Version}\">/* plotly.js {Version} (MIT license), embedded by WorkshopKit so charts draw offline */\n" +
        "(function () { if (window.Plotly) return; var amd = window.define; window.define = undefined; try {\n" +
        Script.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase) +
        "\n} finally { window.define = amd; } }).call(window);</script>";

    private static (string, string) Load()
    {
        var assembly = typeof(GenericChart).Assembly;
        string name = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith(".min.js", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} {assembly.GetName().Version} has no embedded plotly.min.js resource, so charts cannot be drawn offline. Use the Plotly.NET version pinned in Directory.Packages.props.");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        var version = VersionInName().Match(name);
        return (reader.ReadToEnd(), version.Success ? version.Groups[1].Value : "unknown");
    }

    [GeneratedRegex(@"plotly-(\d+\.\d+\.\d+)")]
    private static partial Regex VersionInName();
}
