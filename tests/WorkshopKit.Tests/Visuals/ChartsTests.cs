using System.Text.Json;
using Plotly.NET;
using WorkshopKit.Visuals;

namespace WorkshopKit.Tests.Visuals;

public class ChartsTests
{
    private static JsonElement Figure(GenericChart chart) => JsonDocument.Parse(GenericChart.toJson(chart)).RootElement;

    private static string? Title(JsonElement owner) => owner.GetProperty("title").GetProperty("text").GetString();

    [Fact]
    public void BarHasOneBarPerNameWithItsValueColourAndTheTitles()
    {
        var chart = Charts.Bar("Cost", "design", "MACs (millions)", ["a", "b", "c"], [1.5, 2, 30], ["#111111", "#222222", "#333333"]);
        var figure = Figure(chart);
        var trace = Assert.Single(figure.GetProperty("data").EnumerateArray());
        Assert.Equal("bar", trace.GetProperty("type").GetString());
        Assert.Equal(["a", "b", "c"], trace.GetProperty("x").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([1.5, 2.0, 30.0], trace.GetProperty("y").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(["#111111", "#222222", "#333333"],
            trace.GetProperty("marker").GetProperty("color").EnumerateArray().Select(e => e.GetString()));
        var layout = figure.GetProperty("layout");
        Assert.Equal("Cost", Title(layout));
        Assert.Equal("design", Title(layout.GetProperty("xaxis")));
        Assert.Equal("MACs (millions)", Title(layout.GetProperty("yaxis")));
        Assert.Equal(720, layout.GetProperty("width").GetInt32());
        Assert.Equal(420, layout.GetProperty("height").GetInt32());
    }

    [Fact]
    public void BarWithoutColoursLeavesTheMarkerToPlotly()
    {
        var trace = Figure(Charts.Bar("t", "x", "y", ["a"], [1.0])).GetProperty("data")[0];
        Assert.False(trace.TryGetProperty("marker", out _));
    }

    [Fact]
    public void BarRefusesValuesOrColoursThatDoNotMatchTheNames()
    {
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => Charts.Bar("t", "x", "y", ["a", "b"], [1.0])).ParamName);
        Assert.Equal("colors", Assert.Throws<ArgumentException>(() => Charts.Bar("t", "x", "y", ["a"], [1.0], ["red", "blue"])).ParamName);
    }

    [Fact]
    public void LinesDrawOneNamedLineWithMarkersPerSeriesOverTheSharedX()
    {
        int[] x = [1, 2, 3];
        var chart = Charts.Lines("Spread", "layer", "std", x, [("first", [0.5, 0.25, 0.125]), ("second", [1.0, 1.0, 1.0])]);
        var figure = Figure(chart);
        var traces = figure.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, traces.Count);
        Assert.Equal(["first", "second"], traces.Select(t => t.GetProperty("name").GetString()));
        Assert.All(traces, t => Assert.Equal("scatter", t.GetProperty("type").GetString()));
        Assert.All(traces, t => Assert.Equal("lines+markers", t.GetProperty("mode").GetString()));
        Assert.All(traces, t => Assert.Equal([1, 2, 3], t.GetProperty("x").EnumerateArray().Select(e => e.GetInt32())));
        Assert.Equal([0.5, 0.25, 0.125], traces[0].GetProperty("y").EnumerateArray().Select(e => e.GetDouble()));
        var layout = figure.GetProperty("layout");
        Assert.Equal("Spread", Title(layout));
        Assert.Equal("layer", Title(layout.GetProperty("xaxis")));
        Assert.Equal("std", Title(layout.GetProperty("yaxis")));
        Assert.False(layout.GetProperty("yaxis").TryGetProperty("type", out _));
    }

    [Fact]
    public void LogYMakesTheYAxisLogarithmicWithFullTickLabels()
    {
        var y = Figure(Charts.Lines("t", "x", "y (log scale)", [1, 2], [("s", [0.01, 10.0])], logY: true))
            .GetProperty("layout").GetProperty("yaxis");
        Assert.Equal("log", y.GetProperty("type").GetString());
        Assert.Equal("~g", y.GetProperty("tickformat").GetString());
        Assert.Equal([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10], y.GetProperty("tickvals").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal("y (log scale)", Title(y));
    }

    [Fact]
    public void LinesTakeArraysAsANotebookHasThem()
    {
        int[] layers = [1, 2];
        double[] first = [3.0, 4.0], second = [5.0, 6.0];
        var traces = Figure(Charts.Lines("t", "x", "y", layers, [("first", first), ("second", second)])).GetProperty("data");
        Assert.Equal([5.0, 6.0], traces[1].GetProperty("y").EnumerateArray().Select(e => e.GetDouble()));
    }

    [Fact]
    public void LinesRefuseNoSeriesOrASeriesOfTheWrongLength()
    {
        Assert.Throws<ArgumentException>(() => Charts.Lines("t", "x", "y", [1, 2], []));
        var e = Assert.Throws<ArgumentException>(() => Charts.Lines("t", "x", "y", [1, 2], [("short", [1.0])]));
        Assert.Contains("short", e.Message, StringComparison.Ordinal);
    }
}
