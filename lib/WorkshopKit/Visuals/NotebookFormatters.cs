using Microsoft.DotNet.Interactive.Formatting;

namespace WorkshopKit.Visuals;

/// <summary>Teaches .NET Interactive to show every <see cref="IHtmlDisplay"/> as HTML, so results render as tables in notebooks.</summary>
public static class NotebookFormatters
{
    private static int registered;

    /// <summary>Registers the formatters once per process (WorkshopKit does this when it loads; calling again is harmless).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1) return;
        Formatter.Register<IHtmlDisplay>((value, writer) => writer.Write(value.ToHtml()), HtmlFormatter.MimeType);
    }
}
