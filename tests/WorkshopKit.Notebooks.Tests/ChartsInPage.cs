using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace WorkshopKit.Notebooks.Tests;

/// <summary>
/// How the browser tests decide that a chart was drawn, shared by the book test and the notebook-client tests.
/// WorkshopKit's notebook formatter names every chart div <c>workshopkit-chart-SESSION-N</c>.
/// </summary>
internal static partial class ChartsInPage
{
    /// <summary>
    /// A chart counts as drawn when plotly.js built its SVG (<c>.main-svg</c>) and at least one data trace in it:
    /// scatter/bar traces are <c>.plot .trace</c> groups, heatmaps are drawn as an <c>image</c> inside <c>.hm</c>.
    /// </summary>
    public const string DrawnJs = """
        id => {
          const div = document.getElementById(id);
          return !!div && !!div.querySelector('.main-svg') && Array.isArray(div.data) && div.data.length > 0
            && div.querySelectorAll('.plot .trace, .hm image, .heatmaplayer image').length > 0;
        }
        """;

    /// <summary>The ids of the chart divs written into an HTML text, in order (independent of what a browser makes of them).</summary>
    public static IReadOnlyList<string> ChartIds(string html) => ChartDiv().Matches(html).Select(m => m.Groups["id"].Value).ToList();

    /// <summary>Waits until the chart in div <paramref name="id"/> is drawn; false when it never is.</summary>
    public static Task<bool> IsDrawnAsync(IPage page, string id) =>
        WaitUntilAsync(page, $"({DrawnJs})({System.Text.Json.JsonSerializer.Serialize(id)})");

    /// <summary>Waits (up to 30 s) until a JavaScript expression is true; false when it never becomes true.</summary>
    public static async Task<bool> WaitUntilAsync(IPage page, string expression)
    {
        try
        {
            await page.WaitForFunctionAsync(expression, null, new() { Timeout = 30_000 });
            return true;
        }
        catch (System.TimeoutException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"<div id=\\?""(?<id>workshopkit-chart-[0-9a-f]+-\d+)\\?""><!-- Plotly chart will be drawn inside this DIV -->")]
    private static partial Regex ChartDiv();
}
