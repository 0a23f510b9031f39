#:project ../lib/WorkshopKit/WorkshopKit.csproj
#:property PublishAot=false
// Retrains the limited-precision experiment and writes data/results/precision/{results.json,results.csv,curves.html}
// plus the stagnation demo (stagnation.json).
// Run from the repository root:  dotnet run experiments/precision.cs [-- --train 3000 --test 1000 --epochs 3] [--synthetic]
using System.Text.Json;
using TorchSharp;
using WorkshopKit.Data;
using WorkshopKit.Precision;
using static TorchSharp.torch;

WorkshopKit.Runtime.TorchRuntime.Initialize();
int trainCount = Option("--train", 3000), testCount = Option("--test", 1000), epochs = Option("--epochs", 3);
string output = Path.Combine(WorkshopKit.Runtime.RepoPaths.FindRoot(Environment.CurrentDirectory) ?? Environment.CurrentDirectory, "data", "results", "precision");
torch.manual_seed(1);

// The shipped MNIST (first trainCount / testCount items of the fixed split); --synthetic uses the stand-in task instead.
Dataset train, test;
string dataset;
if (Environment.GetCommandLineArgs().Contains("--synthetic"))
{
    string[] digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    var (trainX, trainY) = SyntheticDigits.Create(trainCount, seed: 1);
    var (testX, testY) = SyntheticDigits.Create(testCount, seed: 2);
    (train, test) = (new Dataset("synthetic/train", trainX, trainY, digits), new Dataset("synthetic/test", testX, testY, digits));
    dataset = $"synthetic digits ({trainCount} train / {testCount} test)";
}
else
{
    var (fullTrain, fullTest) = Datasets.Load(DatasetName.Mnist);
    train = fullTrain.Take(Math.Min(trainCount, fullTrain.Count));
    test = fullTest.Take(Math.Min(testCount, fullTest.Count));
    dataset = $"MNIST ({train.Count} train / {test.Count} test)";
}

var settings = PrecisionResults.DefaultSettings with { Epochs = epochs };
var results = PrecisionResults.Train(dataset, train, test, PrecisionConfig.PaperGrid(8, 10, 12, 14), hidden: 100, settings, Console.WriteLine);
results.Save(output);
Console.WriteLine(results);

var stagnation = new[]
{
    StagnationDemo.Run(FloatFormat.Float16, Rounding.Nearest, seed: 1),
    StagnationDemo.Run(FloatFormat.Float16, Rounding.Stochastic, seed: 1),
    StagnationDemo.Run(NumberFormat.Fixed(16, 12), Rounding.Nearest, seed: 1),
    StagnationDemo.Run(NumberFormat.Fixed(16, 12), Rounding.Stochastic, seed: 1),
};
WorkshopKit.Runtime.AtomicFile.WriteAllText(Path.Combine(output, "stagnation.json"), JsonSerializer.Serialize(stagnation.Select(s => new
{
    format = s.Format.Name, mode = s.Mode.ToString(), s.Steps, s.Mean, s.Exact,
}), new JsonSerializerOptions { WriteIndented = true }));
foreach (var s in stagnation) Console.WriteLine($"{s.Format.Name,-9} {s.Mode,-11} final mean {s.FinalMean:F4}  exact {s.ExactSum:F4}");
Console.WriteLine($"saved to {output}");

static int Option(string name, int fallback)
{
    var args = Environment.GetCommandLineArgs();
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}

