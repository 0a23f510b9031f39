using Microsoft.DotNet.Interactive.Formatting;
using WorkshopKit.Precision;

namespace WorkshopKit.Tests.Setup;

public class NotebookFormatterRegistrationTests
{
    [Fact]
    public void WorkshopKitValuesFormatAsTheirOwnHtmlOnceNotebookFormattingIsLoaded()
    {
        // WorkshopKit registers its formatter only when .NET Interactive's formatting library is (or gets) loaded,
        // not in every console app. This test loads it after WorkshopKit; without the registration, .NET Interactive's
        // default HTML for an object is a property table, not the value's own ToHtml().
        var counts = new SaturationCounts(NumberFormat.Fixed(16, 12), 10, 1, 2, 3);
        string html = counts.ToDisplayString(HtmlFormatter.MimeType);
        Assert.Equal(counts.ToHtml(), html);
    }
}
