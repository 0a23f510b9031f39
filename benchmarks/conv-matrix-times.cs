#!/usr/bin/env dotnet
// The explicit convolution matrix of docs/benchmarks.md ("Convolution as a matrix"): 1x16x64x64 input, 16 outputs,
// k=3, SAME, so W is 65,536 x 65,536 with 9,241,600 non-zeros. Times the build and W x by every route, with conv2d
// as the baseline of the same run, medians of interleaved repeats. PyTorch's twin: benchmarks/pytorch/conv_matrix.py.
// Run from the repository root: dotnet run -c Release benchmarks/conv-matrix-times.cs [-- repeats]
#:project ../lib/WorkshopKit/WorkshopKit.csproj
#:property PublishAot=false

using System.Diagnostics;
using TorchSharp;
using WorkshopKit.Geometry;
using WorkshopKit.MatrixViews;
using WorkshopKit.Runtime;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

TorchRuntime.Initialize();
int repeats = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 15;
torch.manual_seed(1);
using var weight = randn(16, 16, 3, 3);
using var x = randn(1, 16, 64, 64);
using var matrix = ConvMatrix.Build(weight, (16, 64, 64), padding: ConvPadding.SameTensorFlow);
using var reference = F.conv2d(x, weight, padding: [1, 1])[0];

var cases = new (string Name, Action Run)[]
{
    ("conv2d (baseline)", () => { using var y = F.conv2d(x, weight, padding: [1, 1]); }),
    ("build W", () => { using var m = ConvMatrix.Build(weight, (16, 64, 64), padding: ConvPadding.SameTensorFlow); }),
    ("build W + first Apply (lays out the compressed rows)", () => { using var m = ConvMatrix.Build(weight, (16, 64, 64), padding: ConvPadding.SameTensorFlow); using var y = m.Apply(x); }),
    ("W x, Apply (" + matrix.ProductKernel + ")", () => { using var y = matrix.Apply(x); }),
    ("W x, gather + index_add", () => { using var y = matrix.ApplyWithGather(x); }),
    ("W x, torch.mm on the COO tensor", () => { using var y = matrix.ApplyWithSparseMm(x); }),
};
foreach (var c in cases) { using var scope = NewDisposeScope(); c.Run(); } // warm-up
var times = cases.Select(_ => new List<double>()).ToArray();
for (int r = 0; r < repeats; r++)
    for (int i = 0; i < cases.Length; i++)
    {
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        cases[i].Run();
        times[i].Add(clock.Elapsed.TotalMilliseconds);
    }
// Interleaved (every case once per round, so a burst of load hits all cases alike), hence its own loop rather than
// Timing.Measure; the statistic is Timing's median.
static double Median(List<double> v) => Timing.Median(v);
double baseline = Median(times[0]);
Console.WriteLine($"TorchSharp {typeof(torch).Assembly.GetName().Version}, {torch.get_num_threads()} threads, {repeats} interleaved repeats, medians; W: {matrix.Rows:N0} x {matrix.Columns:N0}, {matrix.NonZeros:N0} non-zeros");
for (int i = 0; i < cases.Length; i++)
    Console.WriteLine($"{cases[i].Name,-55} {Median(times[i]),9:F2} ms  {Median(times[i]) / baseline,7:F1} x conv2d");
using (var y = matrix.Apply(x))
    Console.WriteLine($"Apply vs conv2d: relative error {((y - reference).norm().item<float>() / reference.norm().item<float>()):E2}");
