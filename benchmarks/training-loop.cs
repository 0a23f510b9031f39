#!/usr/bin/env dotnet
// How fast the hand-written training loop of notebook 01 (section 9) reaches 98 % test accuracy with the plain CNN on
// 2 CPU threads, for each rung of the known ladder (docs/benchmarks.md, "Training loop: time to 98 %"): the recipe's
// settings, the data held in one tensor, larger batches, a one-cycle schedule, Adam with a lower beta1. Each run
// evaluates on the test set every `every` steps (outside the timed training), and reports the first step and the
// training seconds at which the accuracy reached 98 %, and the final accuracy.
// Run from the repository root: dotnet run -c Release benchmarks/training-loop.cs [-- seeds [rung-name-filter]]
#:project ../lib/WorkshopKit/WorkshopKit.csproj
#:property PublishAot=false

using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using WorkshopKit.Blocks;
using WorkshopKit.Data;
using WorkshopKit.Runtime;
using static TorchSharp.torch;

TorchRuntime.Initialize();
torch.set_num_threads(2);
int seeds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var (train, test) = Datasets.Load(DatasetName.Mnist);
Console.WriteLine($"CPU: {CpuCacheTopology.Read()?.Summary ?? "not x86"}; threads {torch.get_num_threads()}; train {train.Count}, test {test.Count}");

// The ladder, one rung per line; the last rungs are the loop of notebook 01 (random batches drawn with replacement).
var rungs = new (string Name, int Batch, int Steps, double Lr, double Beta1, bool OneCycle, bool Replacement)[]
{
    ("recipe: batch 64, Adam 3e-3, cosine", 64, 800, 3e-3, 0.9, false, false),
    ("batch 128, Adam 3e-3, cosine", 128, 400, 3e-3, 0.9, false, false),
    ("batch 128, one-cycle 1e-2", 128, 300, 1e-2, 0.9, true, false),
    ("batch 128, one-cycle 1e-2, beta1 0.8", 128, 300, 1e-2, 0.8, true, false),
    ("notebook 01: batch 128, one-cycle 1e-2, beta1 0.8, 200 steps", 128, 200, 1e-2, 0.8, true, true),
    ("notebook 01: batch 128, one-cycle 1e-2, beta1 0.8, 300 steps", 128, 300, 1e-2, 0.8, true, true),
    ("notebook 01: batch 256, one-cycle 1e-2, beta1 0.8, 200 steps", 256, 200, 1e-2, 0.8, true, true),
};
string only = args.Length > 1 ? args[1] : "";
foreach (var rung in rungs.Where(r => r.Name.Contains(only, StringComparison.Ordinal)))
    for (int seed = 1; seed <= seeds; seed++)
    {
        var (step98, seconds98, final, total) = Run(rung.Batch, rung.Steps, rung.Lr, rung.Beta1, rung.OneCycle, rung.Replacement, seed);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{rung.Name,-62} seed {seed}: 98 % at step {(step98 < 0 ? "never" : step98.ToString(CultureInfo.InvariantCulture)),5} after {seconds98,5:0.00} s; final {final:P2} after {total:0.00} s"));
    }

(int, double, double, double) Run(int batch, int steps, double lr, double beta1, bool oneCycle, bool replacement, int seed)
{
    torch.manual_seed(seed);
    using var model = ModelZoo.PlainCnn();
    using var optimizer = optim.Adam(model.parameters(), lr, beta1: beta1);
    optim.lr_scheduler.LRScheduler schedule = oneCycle
        ? optim.lr_scheduler.OneCycleLR(optimizer, max_lr: lr, total_steps: steps)
        : optim.lr_scheduler.CosineAnnealingLR(optimizer, steps);
    var timer = new Stopwatch();
    int first98 = -1;
    double seconds98 = double.NaN, accuracy = 0;
    int batchesPerEpoch = train.Count / batch;
    Tensor order = torch.randperm(train.Count);
    for (int step = 1; step <= steps; step++)
    {
        timer.Start();
        using (var scope = torch.NewDisposeScope())
        {
            int b = (step - 1) % batchesPerEpoch;
            if (!replacement && b == 0 && step > 1) { order.Dispose(); order = torch.randperm(train.Count); order.MoveToOuterDisposeScope(); }
            var index = replacement ? torch.randint(train.Count, [batch]) : order.narrow(0, b * batch, batch);
            model.train();
            var loss = nn.functional.cross_entropy(model.call(train.Images[index]), train.Labels[index]);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            schedule.step();
        }
        timer.Stop();
        if (step % 20 == 0 || step == steps)
        {
            accuracy = Accuracy(model);
            if (first98 < 0 && accuracy >= 0.98) { first98 = step; seconds98 = timer.Elapsed.TotalSeconds; }
        }
    }
    order.Dispose();
    return (first98, seconds98, accuracy, timer.Elapsed.TotalSeconds);
}

double Accuracy(nn.Module<Tensor, Tensor> model)
{
    using var scope = torch.NewDisposeScope();
    using var noGrad = torch.no_grad();
    model.eval();
    return model.call(test.Images).argmax(1).eq(test.Labels).to_type(ScalarType.Float32).mean().item<float>();
}
