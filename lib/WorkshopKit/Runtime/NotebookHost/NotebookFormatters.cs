using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using WorkshopKit.Visuals;

namespace WorkshopKit.Runtime.NotebookHost;

/// <summary>
/// Teaches .NET Interactive to show WorkshopKit's results: every <see cref="IHtmlDisplay"/> as an HTML table and every
/// Plotly.NET chart as an offline chart (<see cref="NotebookChart"/>). Registered when WorkshopKit loads, so a notebook
/// needs no Plotly.NET.Interactive extension.
/// </summary>
/// <remarks>Taught in: 00-setup, "A first chart with Plotly.NET".</remarks>
internal static class NotebookFormatters
{
    private static int registered;

    /// <summary>Registers the formatters once per process (WorkshopKit does this when it loads; calling again is harmless).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1) return;
        Formatter.Register<IHtmlDisplay>((value, writer) => writer.Write(value.ToHtml()), HtmlFormatter.MimeType);
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(NotebookChart.ToHtml(chart)), HtmlFormatter.MimeType);
    }
}
