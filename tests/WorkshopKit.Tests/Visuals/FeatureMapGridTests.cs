using Plotly.NET;
using WorkshopKit.Visuals;

namespace WorkshopKit.Tests.Visuals;

public class FeatureMapGridTests
{
    [Fact]
    public void EachMapIsAHeatmapOnItsOwnAxesWithItsValues()
    {
        using var a = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using var b = ones(4, 4);
        using var c = zeros(1, 1);
        var json = GenericChart.toJson(FeatureMapGrid.Create([("a", a), ("b", b), ("c", c)], columns: 2, title: "maps"));
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var data = doc.RootElement.GetProperty("data");
        Assert.Equal(3, data.GetArrayLength());
        Assert.Equal(["x", "x2", "x3"], data.EnumerateArray().Select(t => t.GetProperty("xaxis").GetString()));
        // values row by row, as in the tensor (row 0 first)
        var z = data[0].GetProperty("z");
        Assert.Equal(2, z.GetArrayLength());
        Assert.Equal([3.0, 4.0, 5.0], z[1].EnumerateArray().Select(v => v.GetDouble()));
        var layout = doc.RootElement.GetProperty("layout");
        Assert.Equal(2, layout.GetProperty("grid").GetProperty("rows").GetInt32());
        Assert.Equal("b", layout.GetProperty("xaxis2").GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("reversed", layout.GetProperty("yaxis3").GetProperty("autorange").GetString());
    }

    [Fact]
    public void AThreeDimensionalMapIsRefusedWithAFix()
    {
        using var m = zeros(2, 3, 3);
        var e = Assert.Throws<ArgumentException>(() => FeatureMapGrid.Create([("m", m)], 1, "t"));
        Assert.Contains("must be 2-D", e.Message, StringComparison.Ordinal);
        Assert.Contains("output[0, c]", e.Message, StringComparison.Ordinal);
    }
}
