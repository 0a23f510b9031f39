using System.Globalization;
using Plotly.NET;
using static TorchSharp.torch;

namespace WorkshopKit.Visuals;

/// <summary>
/// Heatmaps laid out in rows and columns in one chart, each on its own axes with square cells and row 0 at the top:
/// the one layout behind every multi-panel picture of the kit (an image next to its filtered version, feature maps,
/// pooled and upsampled sizes, dilated kernels, the convolution walkthrough), so that they all read the same way.
/// </summary>
/// <remarks>
/// First used in notebook 01 (Convolutional layers), section "Shuffling the pixels"; notebook 00 (Setup: start here)
/// meets it earlier inside <see cref="ConvolutionWalkthrough"/>, section "A chart with a slider". Sizes are worked
/// out in pixels (titles, tick labels and colour bars get fixed room), then turned into plotly.js axis domains.
/// </remarks>
public sealed class HeatmapGrid
{
    private const double MaxNaturalWidth = 880; // natural chart width, in pixels, beyond which the panels get smaller instead: the book's content column (a 1,000 px page less padding and the cell gutter)
    private const double MinColorBar = 120; // pixels
    private const double ModeBarColumn = 32; // pixels at the right edge where Plotly's upright toolbar shows on hover
    private readonly int? columns;
    private readonly int minimumCells = 1;
    private readonly int panelPixels = 300;

    /// <summary>A grid of the panels, left to right and then row by row; by default all in one row.</summary>
    /// <param name="title">Chart title.</param>
    /// <param name="panels">One or more panels.</param>
    /// <exception cref="ArgumentException">No panels, an empty panel, or a background whose size differs from its panel's values.</exception>
    public HeatmapGrid(string title, IReadOnlyList<HeatmapPanel> panels)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0) throw new ArgumentException("A heatmap grid needs at least one panel; pass e.g. [new HeatmapPanel(\"input\", x)].", nameof(panels));
        foreach (var panel in panels) Check(panel, nameof(panels));
        Title = title;
        Panels = panels;
    }

    /// <summary>Chart title.</summary>
    public string Title { get; }

    /// <summary>The panels, left to right and then row by row.</summary>
    public IReadOnlyList<HeatmapPanel> Panels { get; }

    /// <summary>Panels per row; null puts them all in one row.</summary>
    /// <exception cref="ArgumentException">Fewer than one column.</exception>
    public int? Columns
    {
        get => columns;
        init => columns = value is < 1 ? throw new ArgumentException($"Columns must be at least 1 (got {value}).", nameof(Columns)) : value;
    }

    /// <summary>Number of rows of panels.</summary>
    public int Rows => (Panels.Count + ColumnCount - 1) / ColumnCount;

    private int ColumnCount => Math.Min(Columns ?? Panels.Count, Panels.Count);

    /// <summary>One colour range for every panel (min and max over all of them), so equal values look equal; false stretches each panel.</summary>
    public bool SharedColorRange { get; init; }

    /// <summary>Show colour bars: one per panel, or one for the whole grid with <see cref="SharedColorRange"/>.</summary>
    public bool ColorBars { get; init; } = true;

    /// <summary>
    /// Draw a cell the same size in every panel, so that a 14x14 map really looks half as wide as a 28x28 one; panel
    /// widths then follow the maps' widths (at least <see cref="MinimumCells"/>) and the panels of a row are top-aligned.
    /// </summary>
    public bool SameCellSize { get; init; }

    /// <summary>With <see cref="SameCellSize"/>: the narrowest panel in cells, so a 1x1 map still has room for its title.</summary>
    /// <exception cref="ArgumentException">Below 1.</exception>
    public int MinimumCells
    {
        get => minimumCells;
        init => minimumCells = value < 1 ? throw new ArgumentException($"MinimumCells must be at least 1, but got {value}.", nameof(MinimumCells)) : value;
    }

    /// <summary>Append each map's size (rows x columns) to its title.</summary>
    public bool ShowSizes { get; init; }

    /// <summary>Write each panel's title below it, in place of its column axis title (compact, for many small maps).</summary>
    public bool TitlesBelow { get; init; }

    /// <summary>Show row and column numbers along the axes.</summary>
    public bool ShowTickLabels { get; init; } = true;

    /// <summary>A tick at every row and column (for small arrays whose cells the text refers to one by one).</summary>
    public bool TickEveryCell { get; init; }

    /// <summary>Pixels of white between neighbouring cells (0 for none).</summary>
    public int CellGap { get; init; }

    /// <summary>The longer side of the largest panel, in pixels, when the chart takes its natural size.</summary>
    /// <exception cref="ArgumentException">Below 20.</exception>
    public int PanelPixels
    {
        get => panelPixels;
        init => panelPixels = value < 20 ? throw new ArgumentException($"PanelPixels must be at least 20, but got {value}.", nameof(PanelPixels)) : value;
    }

    /// <summary>Chart width in pixels; null for the natural width (room for every panel at <see cref="PanelPixels"/>).</summary>
    public int? Width { get; init; }

    /// <summary>Chart height in pixels; null for the natural height.</summary>
    public int? Height { get; init; }

    /// <summary>
    /// Frames for a slider under the chart: each step replaces every panel's values and boxes (same sizes as
    /// <see cref="Panels"/>; titles, axes and colour settings stay those of <see cref="Panels"/>). Empty: no slider.
    /// </summary>
    public IReadOnlyList<(string Label, IReadOnlyList<HeatmapPanel> Panels)> Steps { get; init; } = [];

    /// <summary>Text in front of the current step's label, above the slider.</summary>
    public string StepPrefix { get; init; } = "";

    /// <summary>Heatmaps side by side in one row, each with its own colour bar: the common comparison picture.</summary>
    /// <param name="title">Chart title.</param>
    /// <param name="panels">One or more panels.</param>
    /// <param name="width">Width in pixels; by default the natural width.</param>
    /// <param name="height">Height in pixels; by default the natural height.</param>
    /// <exception cref="ArgumentException">No panels, or a background whose size differs from its panel's values.</exception>
    public static GenericChart SideBySide(string title, IReadOnlyList<HeatmapPanel> panels, int? width = null, int? height = null) =>
        new HeatmapGrid(title, panels) { Width = width, Height = height }.ToChart();

    /// <summary>
    /// Many small feature maps (a layer's or a block's output for one image), <paramref name="columns"/> per row, each
    /// titled below it. Each map keeps its own colour range (bright = strongest response of that map), because maps of
    /// different filters live on different scales and one shared range would leave most of them flat.
    /// </summary>
    /// <param name="maps">Titles and 2-D tensors (height, width); sizes may differ between maps.</param>
    /// <param name="columns">Maps per row.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="cellPixels">Side of one map in screen pixels.</param>
    /// <exception cref="ArgumentException">No maps, fewer than one column, or a map that is not 2-D.</exception>
    public static GenericChart FeatureMaps(IReadOnlyList<(string Title, Tensor Map)> maps, int columns, string title, int cellPixels = 170)
    {
        ArgumentNullException.ThrowIfNull(maps);
        if (maps.Count == 0) throw new ArgumentException("FeatureMaps needs at least one map; pass (title, tensor) pairs.", nameof(maps));
        if (columns < 1) throw new ArgumentException($"columns must be at least 1 (got {columns}).", nameof(columns));
        for (int i = 0; i < maps.Count; i++)
            if (maps[i].Map.dim() != 2)
                throw new ArgumentException($"Map {i} ('{maps[i].Title}') has shape [{string.Join(", ", maps[i].Map.shape)}], but each map must be 2-D (height, width); select one image and channel, e.g. output[0, c].", nameof(maps));
        var panels = maps.Select(m => new HeatmapPanel(m.Title, m.Map) { XTitle = "", YTitle = "" }).ToList();
        return new HeatmapGrid(title, panels)
        {
            Columns = columns, TitlesBelow = true, ShowTickLabels = false, ColorBars = false, PanelPixels = cellPixels,
        }.ToChart();
    }

    /// <summary>
    /// Maps side by side at the same scale per pixel, one shared colour range and each title carrying its map's size:
    /// the picture for pooling, upsampling and encoder-decoder lessons, where how the size changes matters as much as the values.
    /// </summary>
    /// <param name="title">The chart's title.</param>
    /// <param name="panels">The maps, left to right (1 to 8).</param>
    /// <param name="colorScale">A plotly.js colour scale for every panel; "Greys" is drawn reversed so that ink (high values) is dark.</param>
    /// <param name="sharedRange">True to give every panel the same colour range (min and max over all panels), so equal values look equal; false to stretch each panel.</param>
    /// <param name="minimumCells">The narrowest panel, in cells of the widest map's scale.</param>
    /// <param name="height">Chart height in pixels; by default the natural height.</param>
    /// <exception cref="ArgumentException">No panels, more than 8, or an empty map.</exception>
    public static GenericChart Strip(string title, IReadOnlyList<HeatmapPanel> panels, string colorScale = "Greys", bool sharedRange = true,
        int minimumCells = 6, int? height = null)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count is < 1 or > 8)
            throw new ArgumentException($"A heatmap strip shows 1 to 8 panels, but got {panels.Count}. Split the maps over several strips.", nameof(panels));
        var drawn = panels.Select((p, i) => p with { ColorScale = colorScale, YTitle = i == 0 ? p.YTitle : "" }).ToList();
        return new HeatmapGrid(title, drawn)
        {
            SameCellSize = true, MinimumCells = minimumCells, SharedColorRange = sharedRange, ColorBars = false, ShowSizes = true, Height = height,
        }.ToChart();
    }

    /// <summary>Shorthand for <see cref="Strip(string, IReadOnlyList{HeatmapPanel}, string, bool, int, int?)"/> with (title, 2-D tensor) pairs.</summary>
    public static GenericChart Strip(string title, params (string Title, Tensor Map)[] panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        return Strip(title, panels.Select(p => new HeatmapPanel(p.Title, p.Map)).ToList());
    }

    /// <summary>Builds the chart: one heatmap trace per panel (two with a background), panel titles as annotations, boxes as shapes.</summary>
    /// <exception cref="ArgumentException">A slider step whose panels differ in number or size from <see cref="Panels"/>.</exception>
    public GenericChart ToChart()
    {
        int n = Panels.Count, cols = ColumnCount, rows = Rows;
        foreach (var (label, stepPanels) in Steps)
        {
            if (stepPanels.Count != n)
                throw new ArgumentException($"Slider step '{label}' has {stepPanels.Count} panels but the grid has {n}; every step replaces all panels.", nameof(Steps));
            for (int i = 0; i < n; i++)
            {
                Check(stepPanels[i], nameof(Steps));
                if (stepPanels[i].Values.GetLength(0) != Panels[i].Values.GetLength(0) || stepPanels[i].Values.GetLength(1) != Panels[i].Values.GetLength(1))
                    throw new ArgumentException($"Slider step '{label}', panel {i}: {Size(stepPanels[i].Values)} values, but the grid's panel is {Size(Panels[i].Values)}; a step keeps every panel's size.", nameof(Steps));
            }
        }

        // Cells each panel's axes span (narrow maps get MinimumCells with the same cell size), and each row's tallest map.
        var wide = new int[n];
        var high = new int[n];
        for (int i = 0; i < n; i++)
        {
            wide[i] = SameCellSize ? Math.Max(Panels[i].Values.GetLength(1), MinimumCells) : Panels[i].Values.GetLength(1);
            high[i] = Panels[i].Values.GetLength(0);
        }
        var tallest = Enumerable.Range(0, rows).Select(r => RowPanels(r).Max(j => high[j])).ToArray();

        // Fixed room in pixels for what surrounds the panels.
        bool barPerPanel = ColorBars && !SharedColorRange;
        double YRoom(HeatmapPanel p) => (ShowTickLabels ? 28 : 0) + (p.YTitle.Length > 0 ? 24 : 0);
        double gapX = (barPerPanel ? 48 : 0) + 14 + Enumerable.Range(0, n).Where(i => i % cols > 0).Select(i => YRoom(Panels[i])).DefaultIfEmpty(0).Max();
        double left = 14 + Enumerable.Range(0, n).Where(i => i % cols == 0).Max(i => YRoom(Panels[i]));
        double right = 14 + (ColorBars ? 48 : 0);
        double panelsWidth = MaxNaturalWidth - left - right - gapX * (cols - 1); // the most a row of panels may take at the natural size

        // Natural pixel sizes: a slot per panel (its width) and a height per row.
        var slot = new double[n];
        var rowHeight = new double[rows];
        if (SameCellSize)
        {
            double rowCells = Enumerable.Range(0, rows).Max(r => RowPanels(r).Sum(j => (double)wide[j]));
            double cell = Math.Min(PanelPixels / (double)Enumerable.Range(0, n).Max(i => Math.Max(wide[i], high[i])), panelsWidth / rowCells);
            for (int i = 0; i < n; i++) slot[i] = wide[i] * cell;
            for (int r = 0; r < rows; r++) rowHeight[r] = tallest[r] * cell;
        }
        else
        {
            double side = Math.Max(20, Math.Min(PanelPixels, panelsWidth / cols));
            for (int i = 0; i < n; i++) slot[i] = side;
            for (int r = 0; r < rows; r++) rowHeight[r] = RowPanels(r).Max(j => Math.Max(20, side * high[j] / Math.Max(wide[j], high[j])));
        }
        if (barPerPanel)
            for (int r = 0; r < rows; r++) rowHeight[r] = Math.Max(rowHeight[r], MinColorBar); // a colour bar needs room for its tick labels
        double top = 56, bottom = 8 + (Steps.Count > 0 ? 110 : 0);
        var above = new double[rows];
        var below = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            var rowPanels = RowPanels(r).Select(j => Panels[j]).ToList();
            above[r] = TitlesBelow ? 8 : 8 + 17 * rowPanels.Max(p => TitleText(p).Split("<br>").Length);
            bool xTitles = rowPanels.Any(p => (TitlesBelow ? p.Title : p.XTitle).Length > 0);
            below[r] = 10 + (ShowTickLabels ? 20 : 0) + (xTitles ? (TitlesBelow ? 40 : 24) : 0); // a title below sits ~25 px under its axis; then room before the next row
        }
        double RowWidth(int r, double scale) => RowPanels(r).Sum(j => slot[j] * scale) + gapX * (RowPanels(r).Count() - 1);
        double titleWidth = 8.5 * System.Text.RegularExpressions.Regex.Replace(Title, "<[^>]*>", "").Length + 40; // about 8.5 px per character of the 17 px title font
        double width = Width ?? Math.Max(Math.Max(420, titleWidth), left + right + Enumerable.Range(0, rows).Max(r => RowWidth(r, 1)));
        double height = Height ?? top + bottom + above.Sum() + below.Sum() + rowHeight.Sum();
        double plotWidth = width - left - right, plotHeight = height - top - bottom;
        // Scale the panels (not the fixed room) to the chart's size; every row gets the same scale, so cells stay comparable.
        double sx = Enumerable.Range(0, rows).Min(r => (plotWidth - gapX * (RowPanels(r).Count() - 1)) / RowPanels(r).Sum(j => slot[j]));
        double sy = (plotHeight - above.Sum() - below.Sum()) / rowHeight.Sum();
        sx = Math.Max(sx, 1e-3);
        sy = Math.Max(sy, 1e-3);

        (double Lo, double Hi)? shared = null;
        if (SharedColorRange)
        {
            var all = Panels.Concat(Steps.SelectMany(s => s.Panels)).SelectMany(p => p.Values.Cast<float>()).Where(float.IsFinite).Select(v => (double)v).ToList();
            if (all.Count > 0) shared = (all.Min(), all.Max());
        }

        var traces = new List<Trace>();
        var valueTraces = new List<int>();
        var annotations = new List<object>();
        var layout = new Dictionary<string, object?>
        {
            ["title"] = new Dictionary<string, object?> { ["text"] = Title },
            ["width"] = Math.Round(width),
            ["height"] = Math.Round(height),
            ["showlegend"] = false,
            ["margin"] = new Dictionary<string, object?> { ["l"] = left, ["r"] = right, ["t"] = top, ["b"] = bottom },
        };
        double drawnRight = 0, drawnTop = 0, drawnBottom = 1;
        double y = 0; // pixels from the top of the plot area
        for (int r = 0; r < rows; r++)
        {
            y += above[r];
            double x = 0;
            foreach (int i in RowPanels(r))
            {
                var panel = Panels[i];
                string suffix = i == 0 ? "" : (i + 1).ToString(CultureInfo.InvariantCulture);
                // The drawn box: square cells as large as fit in the slot (with the same cell size: as the row's tallest
                // map fits), centred across and at the top of the row.
                double slotWidth = slot[i] * sx, slotHeight = rowHeight[r] * sy;
                double cellPixels = Math.Min(slotWidth / wide[i], slotHeight / (SameCellSize ? tallest[r] : high[i]));
                double x0 = x + (slotWidth - wide[i] * cellPixels) / 2, x1 = x0 + wide[i] * cellPixels;
                double y0 = y, y1 = y + high[i] * cellPixels;
                double from = Fraction(x0, plotWidth), to = Fraction(x1, plotWidth);
                double yTop = 1 - Fraction(y0, plotHeight), yBottom = 1 - Fraction(y1, plotHeight);
                x += slotWidth + gapX;

                if (panel.Background is { } bg)
                {
                    traces.Add(PlotlyFigure.Trace("heatmap", new Dictionary<string, object?>
                    {
                        ["z"] = PlotlyFigure.Rows(bg), ["xaxis"] = "x" + suffix, ["yaxis"] = "y" + suffix,
                        ["colorscale"] = "Greys", ["reversescale"] = true, ["showscale"] = false, ["hoverinfo"] = "skip",
                    }));
                }
                string valueName = panel.ValueName.Length > 0 ? panel.ValueName + " " : "";
                var trace = new Dictionary<string, object?>
                {
                    ["z"] = PlotlyFigure.Rows(Drawn(panel)),
                    ["xaxis"] = "x" + suffix,
                    ["yaxis"] = "y" + suffix,
                    ["name"] = panel.Title,
                    ["colorscale"] = panel.ColorScale,
                    ["reversescale"] = panel.ColorScale == "Greys",
                    ["opacity"] = panel.Background is null ? 1.0 : 0.6,
                    ["showscale"] = false,
                    ["hovertemplate"] = "row %{y}, column %{x}: " + valueName + "%{z}<extra>" + panel.Title + "</extra>",
                };
                if (panel.ColorRange is { } fixedRange)
                {
                    trace["zmin"] = fixedRange.Min;
                    trace["zmax"] = fixedRange.Max;
                }
                else if (shared is { } s)
                {
                    double m = Math.Max(Math.Abs(s.Lo), Math.Abs(s.Hi));
                    SetRange(trace, panel.Symmetric ? (-m, m) : (s.Lo, s.Hi), panel.Symmetric);
                }
                else if (panel.Symmetric)
                {
                    double m = panel.Values.Cast<float>().Where(float.IsFinite).Select(v => Math.Abs((double)v)).DefaultIfEmpty(0).Max();
                    SetRange(trace, (-m, m), true);
                }
                if (barPerPanel)
                {
                    trace["showscale"] = true;
                    trace["colorbar"] = ColorBar(Fraction(x1 + 6, plotWidth), yTop, Math.Max(yTop - yBottom, MinColorBar / plotHeight));
                }
                if (panel.ShowValues) trace["texttemplate"] = "%{z}";
                if (CellGap > 0)
                {
                    trace["xgap"] = CellGap;
                    trace["ygap"] = CellGap;
                }
                valueTraces.Add(traces.Count);
                traces.Add(PlotlyFigure.Trace("heatmap", trace));

                string xTitle = TitlesBelow ? panel.Title : panel.XTitle;
                layout["xaxis" + suffix] = Axis(from, to, "y" + suffix, xTitle, wide[i], rows: false);
                layout["yaxis" + suffix] = Axis(yBottom, yTop, "x" + suffix, panel.YTitle, high[i], rows: true);
                if (!TitlesBelow)
                {
                    // Centred over its panel, unless that would run past the chart's edge (a long title over a narrow last
                    // panel, "output = sum of products" over a 2x2 output, was cut off): then it ends before the edge,
                    // clear of the column that Plotly's upright toolbar takes there (NotebookChart).
                    double half = PanelTitlePixels(panel) / 2, centre = (x0 + x1) / 2, rightmost = plotWidth + right - ModeBarColumn;
                    (double titleX, string anchor) = centre + half > rightmost ? (rightmost / plotWidth, "right") // paper x beyond 1 is the right margin
                        : centre - half < 2 - left ? ((2 - left) / plotWidth, "left")
                        : ((from + to) / 2, "center");
                    annotations.Add(new Dictionary<string, object?>
                    {
                        ["text"] = TitleText(panel), ["showarrow"] = false,
                        ["xref"] = "paper", ["yref"] = "paper", ["x"] = titleX, ["y"] = yTop, ["yanchor"] = "bottom", ["xanchor"] = anchor,
                    });
                }
                drawnRight = Math.Max(drawnRight, to);
                drawnTop = Math.Max(drawnTop, yTop);
                drawnBottom = Math.Min(drawnBottom, yBottom);
            }
            y += rowHeight[r] * sy + below[r];
        }
        if (ColorBars && SharedColorRange)
        {
            var last = traces[valueTraces[^1]];
            last.SetProperty("showscale", true);
            last.SetProperty("colorbar", ColorBar(drawnRight + 6 / plotWidth, drawnTop, Math.Max(drawnTop - drawnBottom, MinColorBar / plotHeight)));
        }
        layout["shapes"] = Shapes(Panels);
        layout["annotations"] = annotations.ToArray();
        if (Steps.Count > 0)
        {
            var sliderSteps = Steps.Select(s => (object)new Dictionary<string, object?>
            {
                ["method"] = "update",
                ["label"] = s.Label,
                ["args"] = new object[]
                {
                    new Dictionary<string, object?> { ["z"] = s.Panels.Select(p => (object)PlotlyFigure.Rows(Drawn(p))).ToArray() },
                    new Dictionary<string, object?> { ["shapes"] = Shapes(s.Panels) },
                    valueTraces.ToArray(),
                },
            }).ToArray();
            layout["sliders"] = new object[]
            {
                new Dictionary<string, object?>
                {
                    ["active"] = 0, ["steps"] = sliderSteps, ["pad"] = new Dictionary<string, object?> { ["t"] = 40 },
                    ["currentvalue"] = new Dictionary<string, object?> { ["prefix"] = StepPrefix },
                },
            };
        }
        return PlotlyFigure.Chart(traces, layout);
    }

    private IEnumerable<int> RowPanels(int row) => Enumerable.Range(row * ColumnCount, Math.Min(ColumnCount, Panels.Count - row * ColumnCount));

    // About 7 px per character of the 12 px annotation font, for the widest line of a panel's title.
    private double PanelTitlePixels(HeatmapPanel panel) =>
        7.0 * TitleText(panel).Split("<br>").Max(line => System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(line, "<[^>]*>", "")).Length);

    private string TitleText(HeatmapPanel panel) =>
        System.Net.WebUtility.HtmlEncode(panel.Title) + (ShowSizes ? $"<br>{Size(panel.Values)}" : "");

    private static string Size(float[,] values) => string.Create(CultureInfo.InvariantCulture, $"{values.GetLength(0)}x{values.GetLength(1)}");

    private static double Fraction(double pixels, double total) => Math.Clamp(pixels / total, 0, 1);

    private static void Check(HeatmapPanel panel, string parameter)
    {
        ArgumentNullException.ThrowIfNull(panel, parameter);
        if (panel.Values.Length == 0)
            throw new ArgumentException($"Every panel needs at least one value; panel '{panel.Title}' is empty (0 rows or columns).", parameter);
        if (panel.Background is { } bg && (bg.GetLength(0) != panel.Values.GetLength(0) || bg.GetLength(1) != panel.Values.GetLength(1)))
            throw new ArgumentException($"Panel '{panel.Title}': the background is {Size(bg)} but the values are {Size(panel.Values)}; they must have the same size.", parameter);
    }

    // The values as drawn: over a background, exact zeros are left empty so that the image shows through.
    private static float[,] Drawn(HeatmapPanel panel)
    {
        if (panel.Background is null) return panel.Values;
        var values = (float[,])panel.Values.Clone();
        for (int i = 0; i < values.GetLength(0); i++)
            for (int j = 0; j < values.GetLength(1); j++)
                if (values[i, j] == 0) values[i, j] = float.NaN;
        return values;
    }

    private static void SetRange(Dictionary<string, object?> trace, (double Lo, double Hi) range, bool symmetric)
    {
        if (symmetric)
        {
            trace["zmid"] = 0.0;
            double m = Math.Max(range.Hi, 1e-12);
            range = (-m, m);
        }
        trace["zmin"] = range.Lo;
        trace["zmax"] = range.Hi > range.Lo ? range.Hi : range.Lo + 1;
    }

    // A colour bar from the top of its panel down, as long as the panel (at least MinColorBar pixels, so its labels do not collide).
    private static Dictionary<string, object?> ColorBar(double x, double top, double length) => new()
    {
        ["x"] = x, ["xanchor"] = "left", ["y"] = top, ["yanchor"] = "top", ["len"] = Math.Min(length, top), ["thickness"] = 10,
    };

    private object[] Shapes(IReadOnlyList<HeatmapPanel> panels) =>
        panels.SelectMany((panel, i) => panel.Boxes.Select(box =>
        {
            var shape = new Dictionary<string, object?>
            {
                ["type"] = "rect",
                ["xref"] = i == 0 ? "x" : "x" + (i + 1).ToString(CultureInfo.InvariantCulture),
                ["yref"] = i == 0 ? "y" : "y" + (i + 1).ToString(CultureInfo.InvariantCulture),
                ["x0"] = box.Left - 0.5, ["x1"] = box.Right + 0.5, ["y0"] = box.Top - 0.5, ["y1"] = box.Bottom + 0.5,
                ["line"] = new Dictionary<string, object?> { ["color"] = box.Color, ["width"] = box.LineWidth, ["dash"] = box.Dash },
            };
            if (box.Fill is { } fill) shape["fillcolor"] = fill;
            return (object)shape;
        })).ToArray();

    // Fixed ranges (cells that are empty, NaN, still count) and square cells; rows run downwards as in an image.
    private Dictionary<string, object?> Axis(double from, double to, string anchor, string label, int cells, bool rows)
    {
        var axis = new Dictionary<string, object?>
        {
            ["domain"] = new[] { from, to }, ["anchor"] = anchor,
            ["title"] = TitlesBelow && !rows
                ? new Dictionary<string, object?> { ["text"] = label, ["font"] = new Dictionary<string, object?> { ["size"] = 11 } }
                : new Dictionary<string, object?> { ["text"] = label },
            ["range"] = rows ? new[] { cells - 0.5, -0.5 } : new[] { -0.5, cells - 0.5 },
            ["constrain"] = "domain", ["showgrid"] = false, ["zeroline"] = false,
            ["showline"] = true, ["mirror"] = true, ["linecolor"] = "#c8c8c8", // a thin frame: white cells stay inside the panel
        };
        if (rows)
        {
            axis["scaleanchor"] = anchor;
            axis["scaleratio"] = 1;
            axis["constraintoward"] = "top";
        }
        if (TickEveryCell || cells <= 10) axis["dtick"] = 1; // no ticks between cells of a small array
        if (!ShowTickLabels)
        {
            axis["showticklabels"] = false;
            axis["ticks"] = "";
        }
        return axis;
    }
}
