using BenchmarkDotNet.Running;

// Run one suite with: dotnet run -c Release --project benchmarks/WorkshopKit.Benchmarks -- --filter '*Name*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
