using System.Globalization;
using Plotly.NET;
using static TorchSharp.torch;

namespace WorkshopKit.Visuals;

/// <summary>One picture of a <see cref="HeatmapStrip"/>: a title and a 2-D map (a single image and channel).</summary>
/// <param name="Title">What the map is, e.g. "max pool 2x2"; the strip appends the map's size.</param>
/// <param name="Values">The map as (height, width) values.</param>
/// <remarks>First used in notebook 04 (Pooling and upsampling), section "Where the checkerboard comes from".</remarks>
public sealed record StripPanel(string Title, float[,] Values)
{
    /// <summary>Copies a 2-D tensor (height, width) into a panel; select one image and channel first, e.g. <c>x[0, 0]</c>.</summary>
    public StripPanel(string title, Tensor map) : this(title, PlotlyFigure.ToArray(map)) { }
}
