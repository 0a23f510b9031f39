#!/usr/bin/env dotnet
// Start-up with WorkshopKit referenced the way the twins reference it (#:project); compare with plain.cs.
// Run from the repository root: dotnet run benchmarks/startup/library.cs  (see docs/benchmarks.md, "Start-up")
#:project ../../lib/WorkshopKit/WorkshopKit.csproj
#:property PublishAot=false

using System.Diagnostics;
using TorchSharp;
using WorkshopKit.Runtime;

// Process start to here; WorkshopKit's module initializer has already run (the JIT runs it when it compiles Main).
double beforeMain = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
var clock = Stopwatch.StartNew();
using var t = torch.ones(3, 3);
double firstTensor = clock.Elapsed.TotalMilliseconds;

// The initializer's file work once more, warm (what Prepare does when nothing needs patching, without the cache).
clock.Restart();
bool? hostHasVersion = TorchRuntime.HostLibStdCxxDefines(TorchRuntime.UnusedGlibcxxVersion);
int candidates = 0;
foreach (var candidate in TorchRuntime.LibTorchSharpCandidates())
{
    _ = ElfVersionNeeds.Read(candidate);
    candidates++;
}
double fileWork = clock.Elapsed.TotalMilliseconds;
Console.WriteLine($"WorkshopKit: before Main {beforeMain:F0} ms, module initializer {StartupTimings.ModuleInitializer.TotalMilliseconds:F1} ms, " +
    $"first tensor {firstTensor:F0} ms, sum {t.sum().item<float>()}; the ELF reads repeated warm: {fileWork:F1} ms " +
    $"(host libstdc++ has {TorchRuntime.UnusedGlibcxxVersion}: {hostHasVersion}; {candidates} libLibTorchSharp.so copies)");
