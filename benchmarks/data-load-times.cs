#!/usr/bin/env dotnet
// Times Datasets.Load: wall clock and process CPU time, first call (with JIT) and later calls.
// Run from the repository root: dotnet run benchmarks/data-load-times.cs
#:project ../lib/WorkshopKit/WorkshopKit.csproj
#:property PublishAot=false

using System.Diagnostics;
using WorkshopKit.Data;
using WorkshopKit.Runtime;

TorchRuntime.Initialize();
var process = Process.GetCurrentProcess();
for (int round = 1; round <= 3; round++)
{
    foreach (var name in new[] { DatasetName.Mnist, DatasetName.FashionMnist })
    {
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var (train, test) = Datasets.Load(name);
        long wall = clock.ElapsedMilliseconds;
        process.Refresh();
        Console.WriteLine($"round {round} {name,-12} {train.Count + test.Count,6} images: wall {wall,5} ms, CPU {(process.TotalProcessorTime - cpuBefore).TotalMilliseconds,5:F0} ms");
        train.Dispose();
        test.Dispose();
    }
}
