using System.Text.Json;
using Plotly.NET;
using WorkshopKit.Visuals;

namespace WorkshopKit.Tests.Visuals;

public class LogAxisLabelsTests
{
    private static JsonElement Layout(GenericChart chart) => JsonDocument.Parse(GenericChart.toJson(chart)).RootElement.GetProperty("layout");

    [Fact]
    public void AnAxisStyledWithPlotlyNetKeepsItsLogTypeAndTitleAndGetsFullLabels()
    {
        var chart = Plotly.NET.CSharp.Chart.Line<int, double, string>(new[] { 1, 2, 3 }, new[] { 0.02, 0.5, 7.0 });
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: "spread", AxisType: StyleParam.AxisType.Log);
        var y = Layout(chart.WithFullLogLabels()).GetProperty("yaxis");
        Assert.Equal("log", y.GetProperty("type").GetString());
        Assert.Equal("spread", y.GetProperty("title").GetProperty("text").GetString());
        Assert.Equal(LogAxisLabels.TickFormat, y.GetProperty("tickformat").GetString());
    }

    [Fact]
    public void OnlyTheNamedAxesChange()
    {
        var chart = Plotly.NET.CSharp.Chart.Line<int, double, string>(new[] { 1, 2 }, new[] { 1.0, 10.0 });
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: "x", AxisType: StyleParam.AxisType.Log);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: "y", AxisType: StyleParam.AxisType.Log);
        var layout = Layout(chart.WithFullLogLabels("xaxis"));
        Assert.Equal(LogAxisLabels.TickFormat, layout.GetProperty("xaxis").GetProperty("tickformat").GetString());
        Assert.False(layout.GetProperty("yaxis").TryGetProperty("tickformat", out _));
    }

    [Theory]
    [InlineData(0.15, 3.2, new[] { 0.1, 0.2, 0.5, 1, 2, 5 })]
    [InlineData(1.0, 1.0, new[] { 1.0 })]
    [InlineData(0.02, 0.5, new[] { 0.02, 0.05, 0.1, 0.2, 0.5 })]
    [InlineData(0.45, 12.0, new[] { 0.2, 0.5, 1, 2, 5, 10, 20 })]
    [InlineData(150.0, 150.0, new[] { 100.0, 200.0 })]
    public void OneTwoFiveTicksCoverTheRangeWithTheDecimalValues(double min, double max, double[] expected)
    {
        Assert.Equal(expected, LogAxisLabels.OneTwoFiveTicks(min, max));
    }

    [Theory]
    [InlineData(0.0, 1.0, "min")]
    [InlineData(-1.0, 1.0, "min")]
    [InlineData(double.NaN, 1.0, "min")]
    [InlineData(2.0, 1.0, "max")]
    [InlineData(1.0, double.PositiveInfinity, "max")]
    public void OneTwoFiveTicksRefuseRangesALogAxisCannotShow(double min, double max, string parameter)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => LogAxisLabels.OneTwoFiveTicks(min, max));
        Assert.Equal(parameter, e.ParamName);
    }
}
