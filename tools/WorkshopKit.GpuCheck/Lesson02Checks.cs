using TorchSharp;
using WorkshopKit.Costs;
using static TorchSharp.torch;

namespace WorkshopKit.GpuCheck;

/// <summary>Notebook 02's GPU part: the cuDNN row of <see cref="ConvSpeed.Compare"/> (never run on a machine without a GPU).</summary>
internal static class Lesson02Checks
{
    [Check("lesson02-conv-speed", 60, NeedsCuda = true, TimeoutSeconds = 120,
        Description = "Notebook 02's timing table with a GPU: ConvSpeed.Compare(8, 16, 8) adds a conv2d (cuDNN) row that reproduces conv2d on the CPU (TF32 tolerance 1e-2) and reports achieved GFLOP/s.")]
    internal static CheckOutcome ConvSpeedWithCudnn(CheckContext c)
    {
        var result = ConvSpeed.Compare(channels: 8, size: 16, outChannels: 8, kernel: 3, gpu: c.Cuda, seed: 2);
        foreach (var row in result.Rows)
            c.Metric($"{row.Method} [{row.Device}]", row.GflopsPerSecond, "GFLOP/s useful");
        c.Log(result.ToString());
        bool cuda = c.Cuda.type == DeviceType.CUDA;
        int expectedRows = cuda ? 5 : 4; // --cpu-as-target: no CUDA device, so no cuDNN row
        if (result.Rows.Count != expectedRows)
            return CheckOutcome.Fail($"expected {expectedRows} rows, got {result.Rows.Count}");
        if (result.Rows.Any(r => !double.IsFinite(r.GflopsPerSecond) || r.GflopsPerSecond <= 0))
            return CheckOutcome.Fail("a rate was not a positive number");
        return CheckOutcome.Pass(string.Join(", ", result.Rows.Select(r => $"{r.Method} {r.GflopsPerSecond:G3}")) + " GFLOP/s");
    }
}
