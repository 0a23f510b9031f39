using Plotly.NET;
using WorkshopKit.Visuals;

namespace WorkshopKit.Tests.Visuals;

public class HeatmapGridSideBySideTests
{
    [Fact]
    public void EachPanelGetsItsOwnAxesWithImageOrientationAndItsValues()
    {
        using var a = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using var b = -arange(6, dtype: ScalarType.Float32).reshape(3, 2);
        var chart = HeatmapGrid.SideBySide("two", [new HeatmapPanel("a", a), new HeatmapPanel("b", b) { Symmetric = true, XTitle = "x (px)" }]);
        using var doc = System.Text.Json.JsonDocument.Parse(GenericChart.toJson(chart));
        var data = doc.RootElement.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength());
        Assert.Equal("x2", data[1].GetProperty("xaxis").GetString());
        // row 1, column 2 of a is 5 (row-major), as plotly's z[row][col]
        Assert.Equal(5.0, data[0].GetProperty("z")[1][2].GetDouble());
        // symmetric: the colour range is centred on zero and reaches the largest magnitude (5)
        Assert.Equal(-5.0, data[1].GetProperty("zmin").GetDouble());
        Assert.Equal(5.0, data[1].GetProperty("zmax").GetDouble());
        var layout = doc.RootElement.GetProperty("layout");
        // row 0 at the top: the y range runs from the last row down to the first
        Assert.Equal(2.5, layout.GetProperty("yaxis2").GetProperty("range")[0].GetDouble());
        Assert.Equal(-0.5, layout.GetProperty("yaxis2").GetProperty("range")[1].GetDouble());
        Assert.Equal("x (px)", layout.GetProperty("xaxis2").GetProperty("title").GetProperty("text").GetString());
        var d1 = layout.GetProperty("xaxis").GetProperty("domain");
        var d2 = layout.GetProperty("xaxis2").GetProperty("domain");
        Assert.True(d1[1].GetDouble() < d2[0].GetDouble(), "panels must not overlap");
    }

    [Fact]
    public void ABoxCoversItsInclusiveCellsAndABackgroundIsDrawnUnderneath()
    {
        manual_seed(3);
        using var v = rand(5, 5);
        v[0, 0] = tensor(0f);
        using var bg = zeros(5, 5);
        var panel = new HeatmapPanel("rf", v) { Background = bg.ToArray2d(), Boxes = [new HeatmapBox(1, 3, 0, 2)] };
        using var doc = System.Text.Json.JsonDocument.Parse(GenericChart.toJson(HeatmapGrid.SideBySide("rf", [panel])));
        var data = doc.RootElement.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength());
        Assert.Equal("Greys", data[0].GetProperty("colorscale").GetString());
        Assert.True(data[1].GetProperty("opacity").GetDouble() < 1);
        // a zero over a background is left empty (null) so the image shows through; other values stay
        Assert.Equal(System.Text.Json.JsonValueKind.Null, data[1].GetProperty("z")[0][0].ValueKind);
        Assert.Equal(Math.Round(v[1, 1].item<float>(), 4), data[1].GetProperty("z")[1][1].GetDouble(), 6);
        var shape = doc.RootElement.GetProperty("layout").GetProperty("shapes")[0];
        Assert.Equal(-0.5, shape.GetProperty("x0").GetDouble());
        Assert.Equal(2.5, shape.GetProperty("x1").GetDouble());
        Assert.Equal(0.5, shape.GetProperty("y0").GetDouble());
        Assert.Equal(3.5, shape.GetProperty("y1").GetDouble());
    }

    [Fact]
    public void NoPanelsOrAMismatchedBackgroundAreRefusedWithTheSizes()
    {
        var none = Assert.Throws<ArgumentException>(() => HeatmapGrid.SideBySide("x", []));
        Assert.Contains("at least one panel", none.Message, StringComparison.Ordinal);
        var bad = Assert.Throws<ArgumentException>(() => HeatmapGrid.SideBySide("x", [new HeatmapPanel("p", new float[2, 2]) { Background = new float[3, 3] }]));
        Assert.Contains("3x3", bad.Message, StringComparison.Ordinal);
        Assert.Contains("2x2", bad.Message, StringComparison.Ordinal);
    }
}

public class PlotlyFigureTitleTests
{
    [Fact]
    public void WithTitleSetsTheLayoutTitleAndKeepsTheTraces()
    {
        var chart = Plotly.NET.CSharp.Chart.Line<double, double, string>(x: new[] { 1.0, 2.0 }, y: new[] { 3.0, 4.0 }).WithTitle("time per call");
        using var doc = System.Text.Json.JsonDocument.Parse(GenericChart.toJson(chart));
        Assert.Equal("time per call", doc.RootElement.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
        Assert.Equal(4.0, doc.RootElement.GetProperty("data")[0].GetProperty("y")[1].GetDouble());
    }
}
