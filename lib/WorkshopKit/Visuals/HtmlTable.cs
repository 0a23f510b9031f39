using System.Net;
using System.Text;

namespace WorkshopKit.Visuals;

/// <summary>Builds the small HTML and text tables that WorkshopKit's results display in notebooks and consoles.</summary>
/// <param name="Headers">Column titles.</param>
/// <param name="Rows">Cell texts, one array per row, as many cells as headers.</param>
/// <param name="Caption">An optional caption shown above the table.</param>
/// <remarks>First used in notebook 01 (Convolutional layers), section "5. What does it cost? Counting FLOPs, then timing".</remarks>
public sealed record HtmlTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows, string? Caption = null) : IHtmlDisplay
{
    /// <inheritdoc />
    public string ToHtml()
    {
        var sb = new StringBuilder("<table class=\"workshopkit\">");
        if (Caption is not null) sb.Append("<caption>").Append(WebUtility.HtmlEncode(Caption)).Append("</caption>");
        sb.Append("<thead><tr>");
        foreach (var h in Headers) sb.Append("<th>").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var row in Rows)
        {
            sb.Append("<tr>");
            foreach (var cell in row) sb.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
            sb.Append("</tr>");
        }
        return sb.Append("</tbody></table>").ToString();
    }

    /// <summary>The table as aligned plain text, for consoles and <c>ToString()</c>.</summary>
    public override string ToString()
    {
        int n = Headers.Count;
        var widths = new int[n];
        for (int c = 0; c < n; c++)
            widths[c] = Math.Max(Headers[c].Length, Rows.Count == 0 ? 0 : Rows.Max(r => c < r.Count ? r[c].Length : 0));
        var sb = new StringBuilder();
        if (Caption is not null) sb.AppendLine(Caption);
        void Line(IReadOnlyList<string> cells)
        {
            for (int c = 0; c < n; c++)
            {
                string cell = c < cells.Count ? cells[c] : "";
                sb.Append(c == 0 ? cell.PadRight(widths[c]) : "  " + cell.PadLeft(widths[c]));
            }
            sb.AppendLine();
        }
        Line(Headers);
        sb.AppendLine(new string('-', widths.Sum() + 2 * (n - 1)));
        foreach (var r in Rows) Line(r);
        return sb.ToString().TrimEnd();
    }
}
