using System.Globalization;
using Plotly.NET;
using WorkshopKit.Blocks;
using WorkshopKit.Data;
using WorkshopKit.Visuals;

namespace WorkshopKit.Training;

/// <summary>
/// The saved model-zoo runs (written by <c>experiments/zoo.cs</c>), so notebooks show accuracies and times without
/// training four models twice. A missing file is not an error: <see cref="Runs"/> is empty and <see cref="Source"/> says so,
/// and notebooks print <see cref="Command"/> to produce it.
/// </summary>
/// <param name="Runs">The saved runs (empty when nothing is saved yet).</param>
/// <param name="Source">The file read, or a note that it is missing.</param>
/// <param name="Command">The command that (re)generates the file, as recorded in it or the default.</param>
/// <param name="Note">The note saved with the runs (e.g. how loaded the machine was).</param>
/// <remarks>First used in notebook 07 (Dense blocks: every layer sees every earlier map), section "Cost versus a residual network".</remarks>
public sealed record ZooResults(IReadOnlyList<ZooRun> Runs, string Source, string Command, string? Note)
{
    /// <summary>The command that trains the zoo on both datasets and saves the results (run from the repository root).</summary>
    public const string DefaultCommand = "dotnet run experiments/zoo.cs -- zoo 8000";

    /// <summary>True when at least one run is saved.</summary>
    public bool Any => Runs.Count > 0;

    /// <summary>Reads <c>results/zoo/zoo.json</c> under the data folder (null: the repository's data folder).</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a zoo results file.</exception>
    public static ZooResults Load(string? dataDirectory = null)
    {
        // Named from the repository root (data/results/zoo/zoo.json): notebook outputs must not carry the checkout's path.
        var (path, shown) = ResultsFile.Locate(dataDirectory, "zoo", "zoo.json");
        if (!File.Exists(path)) return new ZooResults([], $"{shown} (not there yet)", DefaultCommand, null);
        var file = ResultsJson.Read<ZooResultsFile>(path, "zoo", DefaultCommand);
        return new ZooResults(file.Runs, shown, file.Command, file.Note);
    }

    /// <summary>The saved run of a model on a dataset, or null.</summary>
    public ZooRun? Find(DatasetName dataset, string model) =>
        Runs.FirstOrDefault(r => r.Dataset == dataset.ToString() && r.Model == model);
}
