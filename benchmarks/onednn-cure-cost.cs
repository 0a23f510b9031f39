#!/usr/bin/env dotnet
// The cost of the kit's cure for a CPU whose cache leaf misleads oneDNN (docs/benchmarks.md, "oneDNN off"): median ms per
// Adam training step of notebook 08's "my variant" (batch 64) and notebook 04's autoencoder (batch 32) on random
// 28x28 images, in whatever convolution setting this process starts with (WORKSHOPKIT_ONEDNN, DNNL_MAX_CPU_ISA).
// benchmarks/onednn-cure-cost.sh runs it in alternating rounds per setting, one process at a time.
// Run from the repository root: dotnet run -c Release benchmarks/onednn-cure-cost.cs [-- steps]
#:project ../lib/WorkshopKit/WorkshopKit.csproj
#:property PublishAot=false

using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using WorkshopKit.Blocks;
using WorkshopKit.Geometry;
using WorkshopKit.Runtime;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

var read = Stopwatch.StartNew();
var cpu = CpuCacheTopology.Read();
double readMicroseconds = read.Elapsed.TotalMilliseconds * 1000;
var report = TorchRuntime.Initialize();
int steps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 40;

double Median(Func<nn.Module<Tensor, Tensor>> build, long batch, bool reconstruct)
{
    torch.manual_seed(1);
    using var model = build();
    using var optimizer = optim.Adam(model.parameters(), 3e-3);
    var times = new List<double>();
    for (int s = 0; s < steps + 5; s++)
    {
        using var scope = NewDisposeScope();
        var x = rand(batch, 1, 28, 28);
        var y = randint(0, 10, [batch]);
        var watch = Stopwatch.StartNew();
        optimizer.zero_grad();
        var output = model.call(x);
        (reconstruct ? F.mse_loss(output, x) : F.cross_entropy(output, y)).backward();
        optimizer.step();
        if (s >= 5) times.Add(watch.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    return times[times.Count / 2];
}

double variant = Median(() => new BlockSequence("my variant",
    new ConvLayer(1, 16, 3, stride: 2, normalization: Normalization.Batch),
    new DenseBlock(16, layerCount: 3, growthRate: 8),
    new TransitionLayer(40, compression: 0.5),
    new ResidualBlock(20, 32),
    new ClassifierHead(new FeatureShape(32, 7, 7), 10)), 64, reconstruct: false);
double autoencoder = Median(() => new BlockSequence("digit autoencoder",
    new ConvLayer(1, 8, 3, stride: 2, ConvPadding.SameTensorFlow),
    new ConvLayer(8, 4, 3, stride: 2, ConvPadding.SameTensorFlow),
    new ResizeConv(4, 8),
    new ResizeConv(8, 1, activation: Activation.None)), 32, reconstruct: true);
string setting = $"WORKSHOPKIT_ONEDNN={Environment.GetEnvironmentVariable("WORKSHOPKIT_ONEDNN") ?? "auto"} DNNL_MAX_CPU_ISA={Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") ?? "(unset)"}";
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{setting,-50} convolutions: {report.ConvolutionBackend,-18} 08 variant {variant,6:0.0} ms/step  04 autoencoder {autoencoder,6:0.0} ms/step  (CPUID read {readMicroseconds:0} us, {cpu?.Vendor}, threads {report.Threads})"));
