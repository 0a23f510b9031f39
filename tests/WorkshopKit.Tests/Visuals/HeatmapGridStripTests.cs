using System.Text.Json;
using Plotly.NET;
using WorkshopKit.Visuals;

namespace WorkshopKit.Tests.Visuals;

public class HeatmapGridStripTests
{
    [Fact]
    public void PanelsKeepTheirValuesAndWidthsFollowTheMapSizes()
    {
        manual_seed(2);
        using var big = rand(28, 28);
        using var small = rand(14, 14);
        using var tiny = rand(1, 1);
        var chart = HeatmapGrid.Strip("sizes", ("input", big), ("pooled", small), ("global", tiny));
        using var doc = JsonDocument.Parse(GenericChart.toJson(chart));
        var data = doc.RootElement.GetProperty("data");
        Assert.Equal(3, data.GetArrayLength());

        // Values: row r, column c of the trace is the tensor's [r, c] (rounded to 4 decimals for the page).
        var z = data[1].GetProperty("z");
        Assert.Equal(14, z.GetArrayLength());
        Assert.Equal(Math.Round(small[3, 5].item<float>(), 4), z[3][5].GetDouble(), 6);

        // Same scale per pixel: the 28-wide panel gets twice the 14-wide panel's width; the 1x1 panel gets the minimum (6 cells).
        var layout = doc.RootElement.GetProperty("layout");
        double Width(string axis)
        {
            var d = layout.GetProperty(axis).GetProperty("domain");
            return d[1].GetDouble() - d[0].GetDouble();
        }
        Assert.Equal(2.0, Width("xaxis") / Width("xaxis2"), 6);
        Assert.Equal(14.0 / 6, Width("xaxis2") / Width("xaxis3"), 6);
        Assert.True(layout.GetProperty("xaxis3").GetProperty("domain")[1].GetDouble() <= 1.0 + 1e-9);

        // Shared colour range over all panels, and each title carries the map's size.
        double lo = Math.Min(Math.Min(big.min().item<float>(), small.min().item<float>()), tiny.item<float>());
        Assert.Equal(lo, data[2].GetProperty("zmin").GetDouble(), 5);
        var titles = layout.GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()).ToList();
        Assert.Equal(["input<br>28x28", "pooled<br>14x14", "global<br>1x1"], titles);
    }

    [Fact]
    public void WrongInputsAreRefusedWithTheFix()
    {
        using var volume = ones(1, 28, 28);
        var notTwoD = Assert.Throws<ArgumentException>(() => HeatmapGrid.Strip("x", ("volume", volume)));
        Assert.Contains("x[0, 0]", notTwoD.Message, StringComparison.Ordinal);
        var none = Assert.Throws<ArgumentException>(() => HeatmapGrid.Strip("x", Array.Empty<HeatmapPanel>()));
        Assert.Contains("1 to 8 panels", none.Message, StringComparison.Ordinal);
    }
}
