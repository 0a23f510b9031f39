using System.Text.Json;
using Plotly.NET;
using WorkshopKit.Visuals;

namespace WorkshopKit.Tests.Visuals;

public class HeatmapGridTests
{
    private static JsonDocument Json(GenericChart chart) => JsonDocument.Parse(GenericChart.toJson(chart));

    private static string Suffix(int i) => i == 0 ? "" : (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static (double X0, double X1, double Y0, double Y1) Domains(JsonElement layout, int i)
    {
        var x = layout.GetProperty("xaxis" + Suffix(i)).GetProperty("domain");
        var y = layout.GetProperty("yaxis" + Suffix(i)).GetProperty("domain");
        return (x[0].GetDouble(), x[1].GetDouble(), y[0].GetDouble(), y[1].GetDouble());
    }

    private static HeatmapPanel[] FivePanels()
    {
        manual_seed(11);
        return [.. Enumerable.Range(0, 5).Select(i =>
        {
            using var t = randn(3 + i, 4 + (i % 2));
            return new HeatmapPanel($"p{i}", t);
        })];
    }

    [Fact]
    public void PanelsFillRowsLeftToRight_EachOnItsOwnAxesAndNoTwoPanelsOverlap()
    {
        var grid = new HeatmapGrid("five", FivePanels()) { Columns = 2 };
        Assert.Equal(3, grid.Rows);
        using var doc = Json(grid.ToChart());
        var data = doc.RootElement.GetProperty("data");
        var layout = doc.RootElement.GetProperty("layout");
        Assert.Equal(5, data.GetArrayLength());
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal("x" + Suffix(i), data[i].GetProperty("xaxis").GetString());
            Assert.Equal("y" + Suffix(i), data[i].GetProperty("yaxis").GetString());
            Assert.Equal("y" + Suffix(i), layout.GetProperty("xaxis" + Suffix(i)).GetProperty("anchor").GetString());
        }
        var d = Enumerable.Range(0, 5).Select(i => Domains(layout, i)).ToList();
        Assert.All(d, r => Assert.True(r.X0 >= 0 && r.X1 <= 1 && r.Y0 >= 0 && r.Y1 <= 1 && r.X0 < r.X1 && r.Y0 < r.Y1, $"domain {r} inside the paper"));
        for (int a = 0; a < 5; a++)
            for (int b = a + 1; b < 5; b++)
            {
                bool apart = d[a].X1 <= d[b].X0 || d[b].X1 <= d[a].X0 || d[a].Y1 <= d[b].Y0 || d[b].Y1 <= d[a].Y0;
                Assert.True(apart, $"panels {a} and {b} overlap: {d[a]} and {d[b]}");
            }
        // left to right within a row, then downwards: panel 1 right of panel 0, panel 2 below panel 0, panel 4 below panel 2
        Assert.True(d[1].X0 >= d[0].X1);
        Assert.True(d[2].Y1 <= d[0].Y0);
        Assert.True(d[4].Y1 <= d[2].Y0);
        // one title per panel, above it
        var titles = layout.GetProperty("annotations").EnumerateArray().ToList();
        Assert.Equal(["p0", "p1", "p2", "p3", "p4"], titles.Select(t => t.GetProperty("text").GetString()));
        for (int i = 0; i < 5; i++) Assert.Equal(d[i].Y1, titles[i].GetProperty("y").GetDouble(), 9);
    }

    [Fact]
    public void CellsAreSquareOnScreen_AndWithSameCellSizeEqualInEveryPanel()
    {
        using var big = ones(12, 20);
        using var small = ones(6, 5);
        var chart = new HeatmapGrid("sizes", [new HeatmapPanel("big", big), new HeatmapPanel("small", small)]) { SameCellSize = true, MinimumCells = 1 }.ToChart();
        using var doc = Json(chart);
        var layout = doc.RootElement.GetProperty("layout");
        var margin = layout.GetProperty("margin");
        double plotW = layout.GetProperty("width").GetDouble() - margin.GetProperty("l").GetDouble() - margin.GetProperty("r").GetDouble();
        double plotH = layout.GetProperty("height").GetDouble() - margin.GetProperty("t").GetDouble() - margin.GetProperty("b").GetDouble();
        (double Across, double Down) CellPixels(int i)
        {
            var (x0, x1, y0, y1) = Domains(layout, i);
            var xr = layout.GetProperty("xaxis" + Suffix(i)).GetProperty("range");
            var yr = layout.GetProperty("yaxis" + Suffix(i)).GetProperty("range");
            return ((x1 - x0) * plotW / (xr[1].GetDouble() - xr[0].GetDouble()), (y1 - y0) * plotH / (yr[0].GetDouble() - yr[1].GetDouble()));
        }
        var a = CellPixels(0);
        var b = CellPixels(1);
        Assert.Equal(a.Across, a.Down, 3);
        Assert.Equal(a.Across, b.Across, 3);
        Assert.Equal(b.Across, b.Down, 3);
        // the small map keeps its own 6 rows and starts at the top of the row, like the big one
        Assert.Equal(5.5, layout.GetProperty("yaxis2").GetProperty("range")[0].GetDouble());
        Assert.Equal(Domains(layout, 0).Y1, Domains(layout, 1).Y1, 9);
    }

    [Fact]
    public void ASharedColourRangeIsTheMinimumAndMaximumOverAllPanels_WithOneColourBar()
    {
        var panels = FivePanels();
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        foreach (var p in panels)
        {
            using var t = tensor(p.Values.Cast<float>().ToArray());
            lo = Math.Min(lo, t.min().item<float>());
            hi = Math.Max(hi, t.max().item<float>());
        }
        using var doc = Json(new HeatmapGrid("shared", panels) { SharedColorRange = true }.ToChart());
        var data = doc.RootElement.GetProperty("data").EnumerateArray().ToList();
        Assert.All(data, t =>
        {
            Assert.Equal(lo, t.GetProperty("zmin").GetDouble(), 5);
            Assert.Equal(hi, t.GetProperty("zmax").GetDouble(), 5);
        });
        Assert.Single(data, t => t.GetProperty("showscale").GetBoolean());

        // symmetric and shared: centred on zero, reaching the largest magnitude over all panels
        var symmetric = panels.Select(p => p with { Symmetric = true }).ToList();
        using var doc2 = Json(new HeatmapGrid("shared", symmetric) { SharedColorRange = true }.ToChart());
        double m = Math.Max(-lo, hi);
        Assert.All(doc2.RootElement.GetProperty("data").EnumerateArray(), t =>
        {
            Assert.Equal(-m, t.GetProperty("zmin").GetDouble(), 5);
            Assert.Equal(m, t.GetProperty("zmax").GetDouble(), 5);
        });
    }

    [Fact]
    public void PerPanelColourBarsSitRightOfTheirPanelAndAFixedRangeWins()
    {
        var panels = FivePanels().Take(3).ToList();
        panels[2] = panels[2] with { ColorRange = (-1, 9) };
        using var doc = Json(new HeatmapGrid("bars", panels).ToChart());
        var data = doc.RootElement.GetProperty("data");
        var layout = doc.RootElement.GetProperty("layout");
        for (int i = 0; i < 3; i++)
        {
            Assert.True(data[i].GetProperty("showscale").GetBoolean());
            double x = data[i].GetProperty("colorbar").GetProperty("x").GetDouble();
            Assert.True(x >= Domains(layout, i).X1, $"colour bar {i} starts right of its panel");
            if (i < 2) Assert.True(x < Domains(layout, i + 1).X0, $"colour bar {i} ends before the next panel");
        }
        Assert.Equal(-1.0, data[2].GetProperty("zmin").GetDouble());
        Assert.Equal(9.0, data[2].GetProperty("zmax").GetDouble());
        Assert.False(data[0].TryGetProperty("zmin", out _), "without a shared or fixed range a panel is stretched to its own values");
    }

    [Fact]
    public void BoxesAreDrawnOnTheirPanelsAxesAroundTheirInclusiveCells()
    {
        var panels = FivePanels();
        panels[3] = panels[3] with { Boxes = [new HeatmapBox(1, 2, 0, 3, "deepskyblue") { Dash = "dot", LineWidth = 3 }] };
        panels[0] = panels[0] with { Boxes = [new HeatmapBox(0, 0, 1, 1)] };
        using var doc = Json(new HeatmapGrid("boxes", panels) { Columns = 3 }.ToChart());
        var shapes = doc.RootElement.GetProperty("layout").GetProperty("shapes").EnumerateArray().ToList();
        Assert.Equal(2, shapes.Count);
        Assert.Equal("x", shapes[0].GetProperty("xref").GetString());
        Assert.Equal(0.5, shapes[0].GetProperty("x0").GetDouble());
        Assert.Equal(1.5, shapes[0].GetProperty("x1").GetDouble());
        Assert.Equal(-0.5, shapes[0].GetProperty("y0").GetDouble());
        Assert.Equal(0.5, shapes[0].GetProperty("y1").GetDouble());
        Assert.Equal("x4", shapes[1].GetProperty("xref").GetString());
        Assert.Equal("y4", shapes[1].GetProperty("yref").GetString());
        Assert.Equal((-0.5, 3.5, 0.5, 2.5), (shapes[1].GetProperty("x0").GetDouble(), shapes[1].GetProperty("x1").GetDouble(), shapes[1].GetProperty("y0").GetDouble(), shapes[1].GetProperty("y1").GetDouble()));
        Assert.Equal("dot", shapes[1].GetProperty("line").GetProperty("dash").GetString());
        Assert.Equal(3, shapes[1].GetProperty("line").GetProperty("width").GetInt32());
    }

    [Fact]
    public void SliderStepsReplaceEveryPanelsValuesAndBoxes()
    {
        float[,] Filled(float v) => new float[,] { { v, v }, { v, v } };
        HeatmapPanel[] Frame(int k) => [new HeatmapPanel("a", Filled(k)) { Boxes = [new HeatmapBox(k % 2, k % 2, 0, 0)] }, new HeatmapPanel("b", Filled(10 * k))];
        var grid = new HeatmapGrid("steps", Frame(0))
        {
            Steps = [.. Enumerable.Range(0, 3).Select(k => ($"step {k}", (IReadOnlyList<HeatmapPanel>)Frame(k)))], StepPrefix = "now: ",
        };
        using var doc = Json(grid.ToChart());
        var slider = doc.RootElement.GetProperty("layout").GetProperty("sliders")[0];
        Assert.Equal("now: ", slider.GetProperty("currentvalue").GetProperty("prefix").GetString());
        var steps = slider.GetProperty("steps");
        Assert.Equal(3, steps.GetArrayLength());
        var last = steps[2].GetProperty("args");
        Assert.Equal("step 2", steps[2].GetProperty("label").GetString());
        Assert.Equal(2.0, last[0].GetProperty("z")[0][1][1].GetDouble());
        Assert.Equal(20.0, last[0].GetProperty("z")[1][0][0].GetDouble());
        Assert.Equal(-0.5, last[1].GetProperty("shapes")[0].GetProperty("y0").GetDouble()); // step 2's box covers row 2 % 2 = 0
        Assert.Equal([0, 1], last[2].EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(1.5, steps[1].GetProperty("args")[1].GetProperty("shapes")[0].GetProperty("y1").GetDouble());

        var wrongSize = new HeatmapGrid("bad", Frame(0)) { Steps = [("s", [new HeatmapPanel("a", new float[3, 3]), new HeatmapPanel("b", Filled(1))])] };
        Assert.Contains("3x3", Assert.Throws<ArgumentException>(() => wrongSize.ToChart()).Message, StringComparison.Ordinal);
        var wrongCount = new HeatmapGrid("bad", Frame(0)) { Steps = [("s", [new HeatmapPanel("a", Filled(1))])] };
        Assert.Contains("1 panels but the grid has 2", Assert.Throws<ArgumentException>(() => wrongCount.ToChart()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TitlesBelowReplaceTheColumnAxisTitle_AndBadSettingsAreRefused()
    {
        using var doc = Json(new HeatmapGrid("below", FivePanels()) { TitlesBelow = true, ShowTickLabels = false }.ToChart());
        var layout = doc.RootElement.GetProperty("layout");
        Assert.Equal(0, layout.GetProperty("annotations").GetArrayLength());
        Assert.Equal("p3", layout.GetProperty("xaxis4").GetProperty("title").GetProperty("text").GetString());
        Assert.False(layout.GetProperty("yaxis4").GetProperty("showticklabels").GetBoolean());

        Assert.Throws<ArgumentException>(() => new HeatmapGrid("x", FivePanels()) { Columns = 0 });
        Assert.Throws<ArgumentException>(() => new HeatmapGrid("x", FivePanels()) { MinimumCells = 0 });
        Assert.Contains("is empty", Assert.Throws<ArgumentException>(() => new HeatmapGrid("x", [new HeatmapPanel("e", new float[0, 3])])).Message, StringComparison.Ordinal);
    }
}
