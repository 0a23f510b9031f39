using static TorchSharp.torch;

namespace WorkshopKit.Visuals;

/// <summary>
/// One panel of a <see cref="HeatmapGrid"/>: a 2-D array shown as coloured cells, row 0 at the top like an image,
/// with what the lessons draw on top of such a picture (values written in the cells, boxes, a grey image underneath).
/// </summary>
/// <param name="Title">Panel title, shown above it (or below, see <see cref="HeatmapGrid.TitlesBelow"/>).</param>
/// <param name="Values">The values (height, width); NaN leaves a cell empty.</param>
/// <remarks>First used in notebook 01 (Convolutional layers), section "Shuffling the pixels".</remarks>
public sealed record HeatmapPanel(string Title, float[,] Values)
{
    /// <summary>A panel from a 2-D tensor (copied to the CPU); select one image and channel first, e.g. <c>x[0, 0]</c>.</summary>
    public HeatmapPanel(string title, Tensor values) : this(title, values.ToArray2d()) { }

    /// <summary>
    /// A plotly.js colour scale name; "RdBu" with <see cref="Symmetric"/> suits signed values such as edge responses.
    /// "Greys" is drawn reversed, so that ink (high values) is dark on white as on paper.
    /// </summary>
    public string ColorScale { get; init; } = "Viridis";

    /// <summary>Centre the colour scale on zero, so positive and negative values of the same size get equally strong colours.</summary>
    public bool Symmetric { get; init; }

    /// <summary>A fixed colour range (it wins over the grid's shared range and over <see cref="Symmetric"/>), e.g. 1 to k*k for kernel taps.</summary>
    public (double Min, double Max)? ColorRange { get; init; }

    /// <summary>Write each value in its cell (only readable for small arrays).</summary>
    public bool ShowValues { get; init; }

    /// <summary>What a value is, shown before it when the mouse is over a cell (e.g. "tap"); empty for a bare number.</summary>
    public string ValueName { get; init; } = "";

    /// <summary>A grey image drawn underneath; the panel's own values are then drawn half transparent over it, and exact zeros are left empty so the image shows through.</summary>
    public float[,]? Background { get; init; }

    /// <summary>Rectangles drawn on top of the panel.</summary>
    public IReadOnlyList<HeatmapBox> Boxes { get; init; } = [];

    /// <summary>Axis title of the columns (units where there are any); empty for none.</summary>
    public string XTitle { get; init; } = "column (pixel)";

    /// <summary>Axis title of the rows; empty for none.</summary>
    public string YTitle { get; init; } = "row (pixel)";
}
