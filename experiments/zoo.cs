#:project ../lib/WorkshopKit/WorkshopKit.csproj
#:property TreatWarningsAsErrors=false
#:property PublishAot=false
// Model zoo, the live-training goal of notebook 01 (98 % in 30 s on a CPU) and depth experiment for the capstone and the residual notebook.
// Run from the repository root:  dotnet run experiments/zoo.cs -- [goal|zoo|depth|all] [trainCount] [steps for depth]
// The zoo trains every model 3 epochs (ZooExperiment.Epochs) on trainCount images per dataset (8000: all of MNIST's).
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
string root = Datasets.FindDataDirectory();
var json = new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
var inv = CultureInfo.InvariantCulture;
Console.WriteLine($"threads {torch.get_num_threads()}, device cpu, data {root}");

if (what is "goal" or "all")
{
    // Notebook 01, section 9: the plain CNN trained live on the shipped MNIST with the notebook's own recipe. Records
    // test accuracy against training seconds and ships the trained weights (data/weights) that later cells load.
    var (train, test) = Datasets.Load(DatasetName.Mnist);
    var recipe = TrainingRecipes.PlainCnnMnist;
    torch.manual_seed(1);
    var model = ModelZoo.PlainCnn();
    var result = new Trainer(recipe).Fit(model, train, test, new ConsoleProgress(), "plain CNN");
    string machine = $"{CpuModel()}, {torch.get_num_threads()} threads, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end";
    string command = "dotnet run experiments/zoo.cs -- goal";
    var saved = SavedWeights.Save(model, Path.Combine(root, "weights", TrainingRecipes.PlainCnnMnistWeights + ".dat"), result, command, machine);
    var firstAtTarget = result.Curve.FirstOrDefault(p => p.TestAccuracy >= 0.98);
    var goal = new
    {
        command, machine, train = train.Count, test = test.Count, target = 0.98, steps = result.Steps, final = result.Last.TestAccuracy,
        reached = result.Last.TestAccuracy >= 0.98, firstStepAtTarget = firstAtTarget?.Step, secondsAtTarget = firstAtTarget?.Seconds,
        trainingSeconds = result.Seconds, weights = saved, curve = result.Curve,
    };
    WorkshopKit.Runtime.AtomicFile.WriteAllText(Path.Combine(root, "results/zoo/plain-cnn-goal.json"), JsonSerializer.Serialize(goal, json));
    Console.WriteLine(result);
    Console.WriteLine($"final test accuracy {result.Last.TestAccuracy:P2} after {result.Steps} steps and {result.Seconds:0.0} s of training; first at 98 %: step {firstAtTarget?.Step.ToString(inv) ?? "never"} ({firstAtTarget?.Seconds.ToString("0.0", inv) ?? "-"} s); weights {saved.Bytes} bytes, SHA-256 {saved.Sha256}");
}

if (what is "zoo" or "all")
    ZooExperiment.Zoo(Path.Combine(root, "results"), zooTrain, CPU, $"dotnet run experiments/zoo.cs -- zoo {zooTrain}",
        $"CPU, {torch.get_num_threads()} threads", Console.WriteLine);

if (what is "depth" or "all")
{
    // Notebook 06: a budget in steps (the same work on every machine), 3000 training images unless given.
    int depthSteps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 400;
    ZooExperiment.Depth(Path.Combine(root, "results"), args.Length > 1 ? zooTrain : 3000, depthSteps, CPU,
        $"dotnet run experiments/zoo.cs -- depth {(args.Length > 1 ? zooTrain : 3000)} {depthSteps}", Console.WriteLine);
}

static string CpuModel() => File.Exists("/proc/cpuinfo")
    ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
    : System.Runtime.InteropServices.RuntimeInformation.OSDescription;
