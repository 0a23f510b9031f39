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
using WorkshopKit.Runtime;
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
    WorkshopKit.Runtime.AtomicFile.WriteAllText(Path.Combine(root, "results/zoo/plain-cnn-60s.json"), JsonSerializer.Serialize(goal, json));
    WorkshopKit.Runtime.AtomicFile.WriteAllText(Path.Combine(root, "results/zoo/plain-cnn-60s.csv"), string.Join('\n', ["epoch,train_loss,train_acc,test_loss,test_acc,seconds,elapsed_seconds",
        .. result.Epochs.Select(e => string.Join(',', e.Epoch, F(e.TrainLoss), F(e.TrainAccuracy), F(e.TestLoss), F(e.TestAccuracy), F(e.Seconds), F(e.ElapsedSeconds)))]) + "\n");
    Console.WriteLine(result);
}

if (what is "zoo" or "all")
    ZooExperiment.Zoo(Path.Combine(root, "results"), zooTrain, perRun, CPU, $"dotnet run experiments/zoo.cs -- zoo {zooTrain} {perRun}",
        $"CPU, {torch.get_num_threads()} threads", Console.WriteLine);

if (what is "depth" or "all")
    ZooExperiment.Depth(Path.Combine(root, "results"), zooTrain, perRun, CPU, $"dotnet run experiments/zoo.cs -- depth {zooTrain} {perRun}", Console.WriteLine);

static string F(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
