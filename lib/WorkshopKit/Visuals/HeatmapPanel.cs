using Plotly.NET;
using static TorchSharp.torch;

namespace WorkshopKit.Visuals;

/// <summary>
/// One panel of <see cref="Heatmaps.SideBySide"/>: a 2-D array shown as coloured cells, row 0 at the top like an image.
/// </summary>
/// <param name="Title">Panel title, shown above it.</param>
/// <param name="Values">The values (height, width).</param>
/// <remarks>First used in notebook 01 (Convolutional layers), section "Shuffling the pixels".</remarks>
public sealed record HeatmapPanel(string Title, float[,] Values)
{
    /// <summary>A panel from a 2-D tensor (copied to the CPU).</summary>
    public HeatmapPanel(string title, Tensor values) : this(title, PlotlyFigure.ToArray(values)) { }

    /// <summary>A plotly.js colour scale name; "RdBu" with <see cref="Symmetric"/> suits signed values such as edge responses.</summary>
    public string ColorScale { get; init; } = "Viridis";

    /// <summary>Centre the colour scale on zero, so positive and negative values of the same size get equally strong colours.</summary>
    public bool Symmetric { get; init; }

    /// <summary>Write each value in its cell (only readable for small arrays).</summary>
    public bool ShowValues { get; init; }

    /// <summary>A grey image drawn underneath; the panel's own values are then drawn half transparent over it, and exact zeros are left empty so the image shows through.</summary>
    public float[,]? Background { get; init; }

    /// <summary>Rectangles drawn on top of the panel.</summary>
    public IReadOnlyList<HeatmapBox> Boxes { get; init; } = [];

    /// <summary>Axis title of the columns (units where there are any).</summary>
    public string XTitle { get; init; } = "column (pixel)";

    /// <summary>Axis title of the rows.</summary>
    public string YTitle { get; init; } = "row (pixel)";
}
