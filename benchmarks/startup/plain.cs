#!/usr/bin/env dotnet
// Start-up baseline: the same app as library.cs on plain TorchSharp (no WorkshopKit).
// Run from the repository root: dotnet run benchmarks/startup/plain.cs  (see docs/benchmarks.md, "Start-up")
#:package TorchSharp-cpu
#:property PublishAot=false

using System.Diagnostics;
using TorchSharp;

double beforeMain = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
var clock = Stopwatch.StartNew();
using var t = torch.ones(3, 3);
double firstTensor = clock.Elapsed.TotalMilliseconds;
Console.WriteLine($"plain TorchSharp: before Main {beforeMain:F0} ms, first tensor {firstTensor:F0} ms, sum {t.sum().item<float>()}");
