#:project ../lib/WorkshopKit/WorkshopKit.csproj
#:property TreatWarningsAsErrors=false
#:property PublishAot=false
// Model zoo, 98%-in-60-s goal and depth experiment for the capstone and the residual notebook.
// Run from the repository root:  dotnet run experiments/zoo.cs -- [goal|zoo|depth|all] [zooTrainCount] [secondsPerRun]
// Writes data/results/zoo/*.json|csv and data/results/depth/*.json|csv.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TorchSharp;
using WorkshopKit.Blocks;
using WorkshopKit.Costs;
using WorkshopKit.Data;
using WorkshopKit.Setup;
using WorkshopKit.Training;
using static TorchSharp.torch;

TorchRuntime.Initialize();
string what = args.Length > 0 ? args[0] : "all";
int zooTrain = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3000;
double perRun = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 30;
string root = Datasets.FindDataDirectory();
var json = new JsonSerializerOptions { WriteIndented = true };
var inv = CultureInfo.InvariantCulture;
Console.WriteLine($"threads {torch.get_num_threads()}, device cpu, data {root}");

if (what is "goal" or "all")
{
    // The plain CNN on the full shipped MNIST train split, 60 s of training, evaluated after every epoch.
    var (train, test) = Datasets.Load(DatasetName.Mnist);
    torch.manual_seed(1);
    var model = ModelZoo.PlainCnn();
    var result = new Trainer(new TrainerOptions { Epochs = 30, BatchSize = 64, LearningRate = 2e-3, MaxShift = 1, TimeBudget = TimeSpan.FromSeconds(60), Device = CPU, Seed = 1 })
        .Fit(model, train, test, new ConsoleProgress(), "plain CNN");
    var goal = new { command = "dotnet run experiments/zoo.cs -- goal", train = train.Count, test = test.Count, target = 0.98, reached = result.Epochs.Any(e => e.TestAccuracy >= 0.98),
        firstEpochAtTarget = result.Epochs.FirstOrDefault(e => e.TestAccuracy >= 0.98)?.Epoch, secondsAtTarget = result.Epochs.FirstOrDefault(e => e.TestAccuracy >= 0.98)?.ElapsedSeconds,
        final = result.Last.TestAccuracy, stop = result.StopReason, epochs = result.Epochs, note = "machine shared with other helpers while measured; rerun on a quiet machine" };
    File.WriteAllText(Path.Combine(root, "results/zoo/plain-cnn-60s.json"), JsonSerializer.Serialize(goal, json));
    File.WriteAllLines(Path.Combine(root, "results/zoo/plain-cnn-60s.csv"), ["epoch,train_loss,train_acc,test_loss,test_acc,seconds,elapsed_seconds",
        .. result.Epochs.Select(e => string.Join(',', e.Epoch, F(e.TrainLoss), F(e.TrainAccuracy), F(e.TestLoss), F(e.TestAccuracy), F(e.Seconds), F(e.ElapsedSeconds)))]);
    Console.WriteLine(result);
}

if (what is "zoo" or "all")
{
    var rows = new List<object>();
    var csv = new List<string> { "dataset,model,parameters,macs,macs_all_taps,train_images,epochs,seconds_per_epoch,test_accuracy" };
    foreach (var ds in new[] { DatasetName.Mnist, DatasetName.FashionMnist })
    {
        var (fullTrain, test) = Datasets.Load(ds);
        using var train = fullTrain.Take(zooTrain);
        foreach (var name in ModelZoo.Names)
        {
            torch.manual_seed(1);
            var model = ModelZoo.Create(name);
            var profile = ModelProfiler.Profile(model, [1, 1, 28, 28]);
            var result = new Trainer(new TrainerOptions { Epochs = 3, BatchSize = 64, LearningRate = 2e-3, TimeBudget = TimeSpan.FromSeconds(perRun), Device = CPU, Seed = 1 })
                .Fit(model, train, test, new ConsoleProgress(), name);
            double perEpoch = result.Epochs.Average(e => e.Seconds);
            rows.Add(new { dataset = ds.ToString(), model = name, parameters = model.ParameterCount, macs = profile.Macs, macsAllTaps = profile.MacsAllTaps,
                trainImages = train.Count, epochs = result.Epochs.Count, secondsPerEpoch = perEpoch, testAccuracy = result.Last.TestAccuracy, curve = result.Epochs, stop = result.StopReason });
            csv.Add(string.Join(',', ds, name, model.ParameterCount, profile.Macs, profile.MacsAllTaps, train.Count, result.Epochs.Count, F(perEpoch), F(result.Last.TestAccuracy)));
            Console.WriteLine($"{ds} {name}: {model.ParameterCount} params, {profile.MacsAllTaps} MACs, {result.Last.TestAccuracy:P2}, {perEpoch:0.0} s/epoch");
        }
    }
    File.WriteAllText(Path.Combine(root, "results/zoo/zoo.json"), JsonSerializer.Serialize(new { command = $"dotnet run experiments/zoo.cs -- zoo {zooTrain} {perRun}", runs = rows, note = "machine shared with other helpers while measured" }, json));
    File.WriteAllLines(Path.Combine(root, "results/zoo/zoo.csv"), csv);
}

if (what is "depth" or "all")
{
    var (fullTrain, test) = Datasets.Load(DatasetName.Mnist);
    using var train = fullTrain.Take(zooTrain);
    var rows = new List<object>();
    var csv = new List<string> { "model,conv_layers,parameters,grad_norm_first_layer_at_init,grad_norm_last_conv_at_init,test_accuracy,epochs,seconds" };
    foreach (var residual in new[] { false, true })
    {
        torch.manual_seed(1);
        var model = residual ? ModelZoo.ResidualStack(20) : ModelZoo.PlainStack(20);
        var (first, last) = GradNorms(model, train);
        var result = new Trainer(new TrainerOptions { Epochs = 3, BatchSize = 64, LearningRate = 1e-3, TimeBudget = TimeSpan.FromSeconds(perRun), Device = CPU, Seed = 1 })
            .Fit(model, train, test, new ConsoleProgress(), residual ? "residual stack" : "plain stack");
        string name = residual ? "residual" : "plain";
        rows.Add(new { model = name, convLayers = 20, parameters = model.ParameterCount, gradNormFirstLayerAtInit = first, gradNormLastConvAtInit = last,
            testAccuracy = result.Last.TestAccuracy, curve = result.Epochs, stop = result.StopReason });
        csv.Add(string.Join(',', name, 20, model.ParameterCount, F(first), F(last), F(result.Last.TestAccuracy), result.Epochs.Count, F(result.Epochs.Sum(e => e.Seconds))));
        Console.WriteLine($"{name}: grad norm first {first:E3}, last conv {last:E3}, acc {result.Last.TestAccuracy:P2}");
    }
    File.WriteAllText(Path.Combine(root, "results/depth/depth.json"), JsonSerializer.Serialize(new { command = $"dotnet run experiments/zoo.cs -- depth {zooTrain} {perRun}",
        setup = "20 conv layers of 16 maps, no normalization, default init, Adam 1e-3, batch 64; gradient norms: mean over 5 batches at initialization", runs = rows }, json));
    File.WriteAllLines(Path.Combine(root, "results/depth/depth.csv"), csv);
}

static string F(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

static (double First, double Last) GradNorms(BlockSequence model, Dataset train)
{
    // Gradient norm of the stem's weights and of the last 3x3 conv's weights, averaged over 5 batches at initialization.
    var weights = model.named_parameters().Where(p => p.parameter.dim() == 4).Select(p => p.parameter).ToList();
    double first = 0, last = 0;
    int k = 0;
    model.train();
    foreach (var (x, y) in train.Batches(64, shuffle: true, seed: 3))
    {
        using var scope = NewDisposeScope();
        model.zero_grad();
        nn.functional.cross_entropy(model.call(x), y).backward();
        first += weights[0].grad!.norm().item<float>();
        last += weights[^1].grad!.norm().item<float>();
        if (++k == 5) break;
    }
    model.zero_grad();
    return (first / k, last / k);
}
