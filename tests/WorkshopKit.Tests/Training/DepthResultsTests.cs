using WorkshopKit.Training;

namespace WorkshopKit.Tests.Training;

public sealed class DepthResultsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("depth-results-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void AMissingFileGivesNoRunsAndTheCommand()
    {
        var saved = DepthResults.Load(dir);
        Assert.False(saved.Any);
        Assert.Contains("not there yet", saved.Source, StringComparison.Ordinal);
        Assert.Equal(DepthResults.DefaultCommand, saved.Command);
    }

    [Fact]
    public void SavedRunsAreReadTypedAndTinyGradientNormsKeepTheirDigits()
    {
        Directory.CreateDirectory(Path.Combine(dir, "results", "depth"));
        File.WriteAllText(Path.Combine(dir, "results", "depth", "depth.json"), """
            {"command":"dotnet run experiments/zoo.cs -- depth 2000 20","runs":[
             {"model":"plain","convLayers":20,"parameters":44410,"gradNormFirstLayerAtInit":3.43085e-10,"gradNormLastConvAtInit":0.0258,"testAccuracy":0.107,"curve":[{},{},{}],"stop":"3 epochs done","device":"cpu"},
             {"model":"residual","convLayers":20,"parameters":44954,"gradNormFirstLayerAtInit":0.00114575,"gradNormLastConvAtInit":0.0667,"testAccuracy":0.902,"curve":[{},{},{}],"stop":"3 epochs done","device":"cpu"}]}
            """);
        var saved = DepthResults.Load(dir);
        Assert.Equal(2, saved.Runs.Count);
        Assert.Equal(new DepthRun("plain", 20, 44410, 3.43085e-10, 0.0258, 0.107, 3), saved.Runs[0]);
        Assert.Contains("3.43085E-10", saved.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AFileOfAnotherShapeIsRefusedWithTheCommand()
    {
        Directory.CreateDirectory(Path.Combine(dir, "results", "depth"));
        File.WriteAllText(Path.Combine(dir, "results", "depth", "depth.json"), """{"runs":[{"model":"plain"}]}""");
        var e = Assert.Throws<InvalidDataException>(() => DepthResults.Load(dir));
        Assert.Contains(DepthResults.DefaultCommand, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRepositoryFileLoads()
    {
        var saved = DepthResults.Load();
        Assert.All(saved.Runs, r => Assert.Equal(20, r.ConvLayers));
    }
}
