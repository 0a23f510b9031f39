using System.Globalization;
using System.Text.Json;
using TorchSharp;
using WorkshopKit.Blocks;
using WorkshopKit.Costs;
using WorkshopKit.Data;
using WorkshopKit.Runtime;
using static TorchSharp.torch;

namespace WorkshopKit.Training;

/// <summary>
/// The capstone's model-zoo comparison and the residual notebook's depth experiment, as one reusable routine, so the
/// file-based app <c>experiments/zoo.cs</c> (CPU) and the GPU check (CUDA) produce the same files:
/// <c>zoo/zoo.json|csv</c> and <c>depth/depth.json|csv</c> under a results folder.
/// </summary>
/// <remarks>Comes with <see cref="ZooComparison"/>, first used in notebook 08 (Capstone: the model zoo), section "The zoo in one table".</remarks>
internal static class ZooExperiment
{
    /// <summary>Epochs of every zoo run, on every device.</summary>
    public const int Epochs = 3;

    /// <summary>
    /// Trains every zoo model on both datasets for <see cref="Epochs"/> epochs (a budget in steps, so every machine
    /// trains the same steps; a CPU's table still differs from a GPU's, by as much as a new seed: docs/blocks.md) and
    /// saves the table.
    /// </summary>
    /// <param name="resultsFolder">Folder that receives <c>zoo/zoo.json</c> and <c>zoo/zoo.csv</c> (e.g. data/results).</param>
    /// <param name="trainImages">Training images per dataset (the first ones of the shipped train split).</param>
    /// <param name="device">Where to train.</param>
    /// <param name="command">The command line recorded in the file, so readers know how to regenerate it.</param>
    /// <param name="note">What to know about the measurement (machine, load).</param>
    /// <param name="progress">Receives one line per finished run.</param>
    public static void Zoo(string resultsFolder, int trainImages, Device device, string command, string note, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        var rows = new List<ZooRun>();
        var csv = new List<string> { "dataset,model,parameters,macs,macs_all_taps,train_images,epochs,seconds_per_epoch,test_accuracy" };
        foreach (var ds in new[] { DatasetName.Mnist, DatasetName.FashionMnist })
        {
            var (fullTrain, test) = Datasets.Load(ds);
            using var train = fullTrain.Take(trainImages);
            foreach (var name in ModelZoo.Names)
            {
                manual_seed(1);
                var model = ModelZoo.Create(name);
                var profile = ModelProfiler.Profile(model, [1, 1, 28, 28]);
                var result = new Trainer(new TrainerOptions { Epochs = Epochs, BatchSize = 64, LearningRate = 2e-3, Device = device, Seed = 1 })
                    .Fit(model, train, test, null, name);
                double perEpoch = result.Epochs.Average(e => e.Seconds);
                rows.Add(new ZooRun(ds.ToString(), name, model.ParameterCount, profile.Macs, profile.MacsAllTaps, train.Count, result.Epochs.Count,
                    perEpoch, result.Last.TestAccuracy, result.Epochs, result.StopReason, device.ToString()));
                csv.Add(string.Join(',', ds, name, model.ParameterCount, profile.Macs, profile.MacsAllTaps, train.Count, result.Epochs.Count, F(perEpoch), F(result.Last.TestAccuracy)));
                progress?.Invoke($"{ds} {name}: {model.ParameterCount} params, {profile.MacsAllTaps} MACs, {result.Last.TestAccuracy:P2}, {perEpoch:0.00} s/epoch on {device}");
            }
            fullTrain.Dispose();
            test.Dispose();
        }
        string folder = Path.Combine(resultsFolder, "zoo");
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, "zoo.json"), JsonSerializer.Serialize(new ZooResultsFile(command, rows, note), ResultsJson.Options));
        AtomicFile.WriteAllText(Path.Combine(folder, "zoo.csv"), string.Join('\n', csv) + "\n");
    }

    /// <summary>
    /// Plain versus residual stacks, without and with batch normalization, 20 convolutions deep (and 8 deep with batch
    /// normalization, for the depth comparison): gradient norms at the first and last convolution at initialization (mean
    /// over 5 batches), then the same fixed number of Adam steps for each; saves <c>depth/depth.json|csv</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is below 1 (checked before any data is loaded).</exception>
    public static void Depth(string resultsFolder, int trainImages, int steps, Device device, string command, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        Guard.AtLeast(steps, 1, nameof(steps), "Pass the number of Adam steps each stack trains for, e.g. 400 (experiments/zoo.cs -- depth 3000 400).");
        var (fullTrain, test) = Datasets.Load(DatasetName.Mnist);
        using var train = fullTrain.Take(trainImages);
        var rows = new List<DepthRun>();
        var csv = new List<string> { "model,normalization,conv_layers,parameters,grad_norm_first_layer_at_init,grad_norm_last_conv_at_init,train_loss_last_epoch,train_accuracy_last_epoch,test_accuracy,steps,seconds" };
        var configs = new[]
        {
            (false, Normalization.None, 20), (true, Normalization.None, 20), (false, Normalization.Batch, 20), (true, Normalization.Batch, 20),
            (false, Normalization.Batch, 8), (true, Normalization.Batch, 8),
        };
        foreach (var (residual, normalization, depth) in configs)
        {
            manual_seed(1);
            var model = residual ? ModelZoo.ResidualStack(depth, normalization) : ModelZoo.PlainStack(depth, normalization);
            model.to(device);
            var (first, last) = GradNorms(model, train, device);
            string name = residual ? "residual" : "plain", norm = normalization == Normalization.Batch ? "batch" : "none";
            var result = new Trainer(new TrainerOptions { Steps = steps, BatchSize = 64, LearningRate = 1e-3, Device = device, Seed = 1 })
                .Fit(model, train, test, null, $"{name} stack, {depth} conv, {norm}");
            rows.Add(new DepthRun(name, norm, depth, model.ParameterCount, first, last, result.Last.TrainLoss, result.Last.TrainAccuracy,
                result.Last.TestAccuracy, result.Steps, result.Curve, device.ToString()));
            csv.Add(string.Join(',', name, norm, depth, model.ParameterCount, F(first), F(last), F(result.Last.TrainLoss), F(result.Last.TrainAccuracy), F(result.Last.TestAccuracy), result.Steps, F(result.Seconds)));
            progress?.Invoke($"{name} {depth} {norm}: grad norm first {first:E3}, last conv {last:E3}, train acc {result.Last.TrainAccuracy:P2}, test acc {result.Last.TestAccuracy:P2}");
        }
        fullTrain.Dispose();
        test.Dispose();
        string folder = Path.Combine(resultsFolder, "depth");
        Directory.CreateDirectory(folder);
        string setup = $"stacks of 16-map 3x3 convolutions, default init, {trainImages} MNIST training images, {steps} Adam steps (1e-3) of 64 images each; " +
            "gradient norms: mean over 5 batches at initialization; train loss and accuracy: over the last epoch's batches while training";
        AtomicFile.WriteAllText(Path.Combine(folder, "depth.json"), JsonSerializer.Serialize(new DepthResultsFile(command, setup, rows), ResultsJson.Options));
        AtomicFile.WriteAllText(Path.Combine(folder, "depth.csv"), string.Join('\n', csv) + "\n");
    }

    private static (double First, double Last) GradNorms(BlockSequence model, Dataset train, Device device)
    {
        // Notebook 06's rule (GradientProbe.WeightGradients: the main-path convolutions, input side first): the stem's and
        // the last 3x3 convolution's weight-gradient norms, averaged over 5 batches at initialization.
        model.train();
        double first = 0, last = 0;
        int k = 0;
        foreach (var (x, y) in train.Batches(64, shuffle: true, seed: 3))
        {
            using var scope = NewDisposeScope();
            scope.Attach(x);
            scope.Attach(y);
            var norms = GradientProbe.WeightGradients(model, x.to(device), y.to(device)).Norms;
            first += norms[0].Norm;
            last += norms[^1].Norm;
            if (++k == 5) break;
        }
        return (first / k, last / k);
    }

    // Six significant digits, not six decimals: a first-layer gradient norm of 3.4e-10 must not print as 0.
    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
