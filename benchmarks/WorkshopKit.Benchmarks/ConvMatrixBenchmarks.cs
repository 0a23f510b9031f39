using BenchmarkDotNet.Attributes;
using TorchSharp;
using WorkshopKit.Geometry;
using WorkshopKit.MatrixViews;
using WorkshopKit.Runtime;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Benchmarks;

/// <summary>
/// The convolution matrix of a 1x16x64x64 input, 16 output channels, k=3, SAME (65,536 x 65,536, 9,241,600 non-zeros):
/// building it, and W x as a sparse product, against conv2d itself (the baseline).
/// Run: dotnet run -c Release --project benchmarks/WorkshopKit.Benchmarks -- --filter '*ConvMatrixLarge*'
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class ConvMatrixLargeBenchmarks
{
    private Tensor weight = null!, x = null!;
    private ConvMatrix matrix = null!;

    /// <summary>Creates the weight, the input and one prebuilt matrix.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(1);
        weight = randn(16, 16, 3, 3);
        x = randn(1, 16, 64, 64);
        matrix = ConvMatrix.Build(weight, (16, 64, 64), padding: ConvPadding.SameTensorFlow);
    }

    /// <summary>Disposes native tensors.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        matrix.Dispose();
        weight.Dispose();
        x.Dispose();
    }

    /// <summary>conv2d itself.</summary>
    [Benchmark(Baseline = true)]
    public void Conv2d()
    {
        using var y = F.conv2d(x, weight, padding: [1, 1]);
    }

    /// <summary>Building W (index arithmetic and the COO tensor).</summary>
    [Benchmark]
    public void BuildMatrix()
    {
        using var m = ConvMatrix.Build(weight, (16, 64, 64), padding: ConvPadding.SameTensorFlow);
    }

    /// <summary>Building W and its first product, which lays out the compressed rows.</summary>
    [Benchmark]
    public void BuildMatrixAndFirstProduct()
    {
        using var m = ConvMatrix.Build(weight, (16, 64, 64), padding: ConvPadding.SameTensorFlow);
        using var y = m.Apply(x);
    }

    /// <summary>W x with the compressed-row kernel (<see cref="ConvMatrix.Apply"/>).</summary>
    [Benchmark]
    public void SparseProduct()
    {
        using var y = matrix.Apply(x);
    }

    /// <summary>W x on the COO entries (gather, multiply, index_add).</summary>
    [Benchmark]
    public void SparseGather()
    {
        using var y = matrix.ApplyWithGather(x);
    }

    /// <summary>W x through torch.mm on the sparse COO tensor (libtorch coalesces on every call).</summary>
    [Benchmark]
    public void SparseTorchMm()
    {
        using var y = matrix.ApplyWithSparseMm(x);
    }
}

/// <summary>
/// A small convolution (1x4x16x16 input, 4 output channels, k=3, SAME: W is 1,024 x 1,024): conv2d (baseline) versus
/// the sparse product versus the dense product.
/// Run: dotnet run -c Release --project benchmarks/WorkshopKit.Benchmarks -- --filter '*ConvMatrixSmall*'
/// </summary>
[ShortRunJob]
public class ConvMatrixSmallBenchmarks
{
    private Tensor weight = null!, x = null!, dense = null!, xv = null!;
    private ConvMatrix matrix = null!;

    /// <summary>Creates the tensors and both matrix forms.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(1);
        weight = randn(4, 4, 3, 3);
        x = randn(1, 4, 16, 16);
        xv = x.reshape(1024, 1);
        matrix = ConvMatrix.Build(weight, (4, 16, 16), padding: ConvPadding.SameTensorFlow);
        dense = matrix.ToDense();
    }

    /// <summary>Disposes native tensors.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        matrix.Dispose();
        foreach (var t in new[] { weight, x, dense, xv }) t.Dispose();
    }

    /// <summary>conv2d itself.</summary>
    [Benchmark(Baseline = true)]
    public void Conv2d()
    {
        using var y = F.conv2d(x, weight, padding: [1, 1]);
    }

    /// <summary>W x with the compressed-row kernel (<see cref="ConvMatrix.Apply"/>).</summary>
    [Benchmark]
    public void SparseProduct()
    {
        using var y = matrix.Apply(x);
    }

    /// <summary>W x on the COO entries (gather, multiply, index_add).</summary>
    [Benchmark]
    public void SparseGather()
    {
        using var y = matrix.ApplyWithGather(x);
    }

    /// <summary>W x through torch.mm on the sparse COO tensor (libtorch coalesces on every call).</summary>
    [Benchmark]
    public void SparseTorchMm()
    {
        using var y = matrix.ApplyWithSparseMm(x);
    }

    /// <summary>W x with the dense matrix.</summary>
    [Benchmark]
    public void DenseProduct()
    {
        using var y = dense.mm(xv);
    }
}
