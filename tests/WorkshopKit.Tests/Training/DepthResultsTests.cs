using WorkshopKit.Training;
using static TorchSharp.torch;

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
            {"command":"dotnet run experiments/zoo.cs -- depth 3000 400","setup":"stacks","runs":[
             {"model":"plain","normalization":"none","convLayers":20,"parameters":44410,"gradNormFirstLayerAtInit":3.43085e-10,"gradNormLastConvAtInit":0.0258,"trainLossLastEpoch":2.30,"trainAccuracyLastEpoch":0.11,"testAccuracy":0.107,"steps":400,"curve":[{"Step":0,"TrainLoss":"NaN","TestLoss":2.31,"TestAccuracy":0.1,"Seconds":0,"TestError":0.9}],"device":"cpu"},
             {"model":"residual","normalization":"batch","convLayers":8,"parameters":44954,"gradNormFirstLayerAtInit":0.00114575,"gradNormLastConvAtInit":0.0667,"trainLossLastEpoch":0.1,"trainAccuracyLastEpoch":0.97,"testAccuracy":0.902,"steps":400,"curve":[],"device":"cpu"}]}
            """);
        var saved = DepthResults.Load(dir);
        Assert.Equal(2, saved.Runs.Count);
        var plain = saved.Runs[0];
        Assert.Equal(("plain", "none", 20, 44410L, 3.43085e-10, 0.0258), (plain.Model, plain.Normalization, plain.ConvLayers, plain.Parameters, plain.GradNormFirstLayerAtInit, plain.GradNormLastConvAtInit));
        Assert.Equal((2.30, 0.11, 0.107, 400, "cpu"), (plain.TrainLoss, plain.TrainAccuracy, plain.TestAccuracy, plain.Steps, plain.Device));
        Assert.True(double.IsNaN(Assert.Single(plain.Curve).TrainLoss)); // "NaN" in the file: no training loss before the first step
        Assert.Equal(0.97, saved.Find("residual", "batch", 8)!.TrainAccuracy);
        Assert.Null(saved.Find("residual", "batch", 20));
        Assert.Contains("3.43E-10", saved.ToString(), StringComparison.Ordinal); // not 0
        Assert.Contains("44,410", saved.ToString(), StringComparison.Ordinal);
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
    public void WhatTheExperimentWritesIsWhatTheLoaderReads()
    {
        // The experiment serializes the same typed records the loader reads (training it here would take minutes on 2 cores).
        var run = new DepthRun("plain", "none", 20, 44410, 1.96e-10, 0.0248, 2.303, 0.098, 0.099, 400, [new CurvePoint(0, double.NaN, 2.316, 0.1)], "cpu");
        Directory.CreateDirectory(Path.Combine(dir, "results", "depth"));
        File.WriteAllText(Path.Combine(dir, "results", "depth", "depth.json"),
            System.Text.Json.JsonSerializer.Serialize(new DepthResultsFile("test command", "stacks", [run]), ResultsJson.Options));
        var saved = DepthResults.Load(dir);
        var read = Assert.Single(saved.Runs);
        Assert.Equal(run with { Curve = read.Curve }, read);
        Assert.Equal(run.Curve, read.Curve);
        Assert.Equal("test command", saved.Command);
    }

    [Fact]
    public void TheGradientRuleMeasuresTheStemAndTheLast3x3Conv()
    {
        // The depth experiment's gradient norms are GradientProbe's first and last entries: in a 20-convolution residual
        // stack those are the stem (items.0) and conv20 (items.10, after the stem and nine blocks), never a 1x1 projection.
        using var stack = WorkshopKit.Blocks.ModelZoo.ResidualStack(20);
        var norms = GradientProbe.WeightGradients(stack, randn(4, 1, 28, 28), tensor(new long[] { 0, 1, 2, 3 })).Norms;
        Assert.Equal(20, norms.Count);
        Assert.Equal("items.0.conv", norms[0].Where);
        Assert.Equal("items.10.conv", norms[^1].Where);
    }

    [Fact]
    public void TheRepositoryFileLoads()
    {
        var saved = DepthResults.Load();
        // Vanishing gradients (no batch norm) and the depth comparison (with it), all with the same step budget.
        Assert.NotNull(saved.Find("plain", "none", 20));
        Assert.NotNull(saved.Find("residual", "none", 20));
        Assert.NotNull(saved.Find("plain", "batch", 20));
        Assert.NotNull(saved.Find("plain", "batch", 8));
        Assert.Single(saved.Runs.Select(r => r.Steps).Distinct());
    }
}
