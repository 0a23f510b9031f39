using System.Globalization;
using WorkshopKit.Visuals;

namespace WorkshopKit.Training;

/// <summary>
/// The saved depth experiment (plain versus residual stacks, without and with batch normalization, written by <c>experiments/zoo.cs -- depth</c>),
/// read from its JSON file so notebooks never split CSV lines. A missing file is not an error: <see cref="Runs"/> is empty.
/// </summary>
/// <param name="Runs">The saved runs (empty when nothing is saved yet).</param>
/// <param name="Source">The file read, or a note that it is missing.</param>
/// <param name="Command">The command that (re)generates the file.</param>
/// <remarks>Taught in notebook 06 (residual blocks), section "The depth experiment".</remarks>
public sealed record DepthResults(IReadOnlyList<DepthRun> Runs, string Source, string Command) : IHtmlDisplay
{
    /// <summary>The command that runs the experiment and saves the results (run from the repository root).</summary>
    public const string DefaultCommand = "dotnet run experiments/zoo.cs -- depth 3000 400";

    /// <summary>True when at least one run is saved.</summary>
    public bool Any => Runs.Count > 0;

    /// <summary>Reads <c>results/depth/depth.json</c> under the data folder (null: the repository's data folder).</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a depth results file.</exception>
    public static DepthResults Load(string? dataDirectory = null)
    {
        var (path, shown) = ResultsFile.Locate(dataDirectory, "depth", "depth.json");
        if (!File.Exists(path)) return new DepthResults([], $"{shown} (not there yet)", DefaultCommand);
        var file = ResultsJson.Read<DepthResultsFile>(path, "depth", DefaultCommand);
        return new DepthResults(file.Runs, shown, file.Command);
    }

    /// <summary>The runs as a table (gradient norms with three significant digits in exponent form where small, so 3.4e-10 does not print as 0).</summary>
    public HtmlTable ToTable() => new(
        ["model", "batch norm", "conv layers", "parameters", "gradient norm, first layer (init)", "gradient norm, last conv (init)", "train loss (last epoch)", "train accuracy (last epoch)", "test accuracy", "steps"],
        Runs.Select(r => (IReadOnlyList<string>)[r.Model, r.Normalization, I(r.ConvLayers), r.Parameters.ToString("N0", CultureInfo.InvariantCulture), G(r.GradNormFirstLayerAtInit), G(r.GradNormLastConvAtInit),
            r.TrainLoss.ToString("0.000", CultureInfo.InvariantCulture), P(r.TrainAccuracy), P(r.TestAccuracy), I(r.Steps)]).ToList(),
        $"Saved depth experiment ({Source})");

    /// <inheritdoc />
    public string ToHtml() => ToTable().ToHtml();

    /// <inheritdoc />
    public override string ToString() => ToTable().ToString();

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string G(double v) => v.ToString("G3", CultureInfo.InvariantCulture);

    private static string P(double v) => v.ToString("P2", CultureInfo.InvariantCulture);

    /// <summary>The run of one configuration, or null when it is not saved.</summary>
    public DepthRun? Find(string model, string normalization, int convLayers) =>
        Runs.FirstOrDefault(r => r.Model == model && r.Normalization == normalization && r.ConvLayers == convLayers);
}
