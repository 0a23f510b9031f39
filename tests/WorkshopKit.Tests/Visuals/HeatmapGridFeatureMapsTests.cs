using Plotly.NET;
using WorkshopKit.Visuals;

namespace WorkshopKit.Tests.Visuals;

public class HeatmapGridFeatureMapsTests
{
    [Fact]
    public void EachMapIsAHeatmapOnItsOwnAxesWithItsValues()
    {
        using var a = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using var b = ones(4, 4);
        using var c = zeros(1, 1);
        var json = GenericChart.toJson(HeatmapGrid.FeatureMaps([("a", a), ("b", b), ("c", c)], columns: 2, title: "maps"));
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var data = doc.RootElement.GetProperty("data");
        Assert.Equal(3, data.GetArrayLength());
        Assert.Equal(["x", "x2", "x3"], data.EnumerateArray().Select(t => t.GetProperty("xaxis").GetString()));
        // values row by row, as in the tensor (row 0 first)
        var z = data[0].GetProperty("z");
        Assert.Equal(2, z.GetArrayLength());
        Assert.Equal([3.0, 4.0, 5.0], z[1].EnumerateArray().Select(v => v.GetDouble()));
        var layout = doc.RootElement.GetProperty("layout");
        // two rows of panels: the y domains take two distinct places, map c below maps a and b
        var tops = new[] { "yaxis", "yaxis2", "yaxis3" }.Select(a => layout.GetProperty(a).GetProperty("domain")[1].GetDouble()).ToList();
        Assert.Equal(2, tops.Distinct().Count());
        Assert.True(layout.GetProperty("yaxis3").GetProperty("domain")[1].GetDouble() < layout.GetProperty("yaxis").GetProperty("domain")[0].GetDouble(), "the second row lies below the first");
        Assert.Equal("b", layout.GetProperty("xaxis2").GetProperty("title").GetProperty("text").GetString());
        // row 0 at the top (an explicit reversed range rather than autorange "reversed": empty cells keep their place)
        var range = layout.GetProperty("yaxis3").GetProperty("range");
        Assert.True(range[0].GetDouble() > range[1].GetDouble(), "the y axis runs from the last row down to the first");
    }

    [Fact]
    public void AThreeDimensionalMapIsRefusedWithAFix()
    {
        using var m = zeros(2, 3, 3);
        var e = Assert.Throws<ArgumentException>(() => HeatmapGrid.FeatureMaps([("m", m)], 1, "t"));
        Assert.Contains("must be 2-D", e.Message, StringComparison.Ordinal);
        Assert.Contains("output[0, c]", e.Message, StringComparison.Ordinal);
    }
}
