using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using WorkshopKit.Data;
using WorkshopKit.Runtime;

namespace WorkshopKit.Benchmarks.Data;

/// <summary>
/// How long loading the shipped datasets takes, against the floor of reading and decompressing the same files.
/// The Ratio column is the loader's cost (checksums, IDX parsing, tensor conversion) relative to that floor.
/// Run: dotnet run -c Release --project benchmarks/WorkshopKit.Benchmarks -- --filter '*DataLoad*'
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class DataLoadBenchmarks
{
    private string _dir = "";

    /// <summary>Loads TorchSharp and finds data/ once, outside the measurement.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.Initialize();
        _dir = Datasets.FindDataDirectory();
    }

    /// <summary>The floor: read and gunzip MNIST's four files, no checks, no tensors.</summary>
    [Benchmark(Baseline = true)]
    public long MnistReadAndGunzipOnly()
    {
        long total = 0;
        foreach (string file in Directory.GetFiles(Path.Combine(_dir, "mnist"), "*.gz"))
        {
            using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
            using var sink = new MemoryStream();
            gzip.CopyTo(sink);
            total += sink.Length;
        }
        return total;
    }

    /// <summary>The full MNIST load: checksums, IDX parsing, float32 tensors.</summary>
    [Benchmark]
    public int LoadMnist()
    {
        var (train, test) = Datasets.Load(DatasetName.Mnist, _dir);
        using (train)
        using (test)
            return train.Count + test.Count;
    }

    /// <summary>The full Fashion-MNIST load (15,000 images).</summary>
    [Benchmark]
    public int LoadFashionMnist()
    {
        var (train, test) = Datasets.Load(DatasetName.FashionMnist, _dir);
        using (train)
        using (test)
            return train.Count + test.Count;
    }
}
