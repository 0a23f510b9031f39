using TorchSharp;
using WorkshopKit.Runtime;

namespace WorkshopKit.GpuCheck;

/// <summary>Timing and comparison helpers shared by the checks.</summary>
internal static class Measure
{
    /// <summary>Waits for queued GPU work so that a stopwatch measures execution, not just the launch.</summary>
    public static void Sync(torch.Device device)
    {
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize(device);
    }

    /// <summary>
    /// Seconds per call of <paramref name="step"/>: warm-up calls first (cuDNN picks its algorithm, the allocator fills),
    /// then a calibrated number of calls filling about <paramref name="targetSeconds"/>, repeated three times; the median
    /// repeat. The library's one timing loop (<see cref="Timing"/>) does the work; each call runs in its own dispose
    /// scope so nothing accumulates on the device.
    /// </summary>
    public static double SecondsPerCall(torch.Device device, Action step, int warmup = 3, double targetSeconds = 0.3, int maxCalls = 1000)
    {
        int calls = Timing.CallsToFill(step, targetSeconds, maxCalls, device, warmup);
        return Timing.Measure(step, device, warmup: 0, repeats: 3, callsPerRepeat: calls).MedianSeconds;
    }

    /// <summary>
    /// Compares a candidate with a float32 CPU reference like allclose: |c - r| &lt;= atol + rtol * |r| everywhere.
    /// Returns the largest absolute error and the worst ratio of error to allowance (&lt;= 1 passes).
    /// </summary>
    public static (double MaxAbsError, double WorstRatio) Compare(torch.Tensor reference, torch.Tensor candidate, double atol, double rtol)
    {
        using var scope = torch.NewDisposeScope();
        var r = reference.detach().cpu().to(torch.ScalarType.Float32);
        var c = candidate.detach().cpu().to(torch.ScalarType.Float32);
        if (!r.shape.SequenceEqual(c.shape))
            throw new InvalidOperationException($"shapes differ: reference [{string.Join(", ", r.shape)}], candidate [{string.Join(", ", c.shape)}]");
        var error = (c - r).abs();
        var allowance = r.abs() * rtol + atol;
        double maxAbs = error.max().item<float>();
        double ratio = (error / allowance).max().item<float>();
        if (!c.isfinite().all().item<bool>()) ratio = double.PositiveInfinity;
        return (maxAbs, ratio);
    }
}

/// <summary>Sets cuDNN's and cuBLAS's TF32 switches for a block and restores the previous values afterwards.</summary>
internal sealed class Tf32Scope : IDisposable
{
    private readonly bool cudnn = torch.backends.cudnn.allow_tf32;
    private readonly bool matmul = torch.backends.cuda.matmul.allow_tf32;

    public Tf32Scope(bool allow)
    {
        torch.backends.cudnn.allow_tf32 = allow;
        torch.backends.cuda.matmul.allow_tf32 = allow;
    }

    public void Dispose()
    {
        torch.backends.cudnn.allow_tf32 = cudnn;
        torch.backends.cuda.matmul.allow_tf32 = matmul;
    }
}
