#!/usr/bin/env dotnet
// Start-up with WorkshopKit compiled in from its sources, the way the twins include it (lib/WorkshopKit.Sources.cs,
// generated with the twins); compare with plain.cs and library.cs (#:project). Without #:project, dotnet run keeps
// its fast path (no MSBuild when nothing changed). Run from the repository root: dotnet run benchmarks/startup/included.cs
#:include ../../lib/WorkshopKit.Sources.cs
#:property PublishAot=false
#:property NoWarn=$(NoWarn);CS1591

using System.Diagnostics;
using TorchSharp;
using WorkshopKit.Runtime;

double beforeMain = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
var clock = Stopwatch.StartNew();
using var t = torch.ones(3, 3);
double firstTensor = clock.Elapsed.TotalMilliseconds;
Console.WriteLine($"WorkshopKit from sources: before Main {beforeMain:F0} ms, module initializer {StartupTimings.ModuleInitializer.TotalMilliseconds:F1} ms, first tensor {firstTensor:F0} ms, sum {t.sum().item<float>()}");
