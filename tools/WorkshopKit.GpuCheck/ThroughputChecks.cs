using TorchSharp;
using static TorchSharp.torch;

namespace WorkshopKit.GpuCheck;

/// <summary>Achieved speed: conv2d TFLOP/s from counted FLOPs, and the plain-copy bandwidth that later speed ratios are measured against.</summary>
internal static class ThroughputChecks
{
    // The workshop's reference layer: B=64 images, 256 -> 256 channels, 56x56, 3x3 kernel, padding 1 (ResNet's conv3 stage).
    private const int Batch = 64, Channels = 256, Size = 56, Kernel = 3;

    /// <summary>FLOPs of one conv2d call: 2 k^2 R^2 M N per image (a multiply and an add per weight and output pixel).</summary>
    public static double ConvFlops(int batch) => 2.0 * Kernel * Kernel * Size * Size * Channels * Channels * batch;

    [Check("conv2d-tflops", 20, NeedsCuda = true, TimeoutSeconds = 120,
        Description = "conv2d B=64, C=256->256, 56x56, k=3, padding 1 (236.8 GFLOP by 2k^2R^2MN per call): achieved TFLOP/s in float32 (TorchSharp's default TF32 setting, TF32 off, TF32 on), float16 and bfloat16.")]
    internal static CheckOutcome Conv2dTflops(CheckContext c)
    {
        var device = c.Cuda;
        // --cpu-as-target (testing the program without a GPU) runs one image instead of 64, to finish in seconds.
        int batch = device.type == DeviceType.CUDA ? Batch : 1;
        bool cudnnTf32 = backends.cudnn.allow_tf32, matmulTf32 = backends.cuda.matmul.allow_tf32;
        c.Log($"defaults: backends.cudnn.allow_tf32 = {cudnnTf32} (conv2d uses this one), backends.cuda.matmul.allow_tf32 = {matmulTf32}");
        c.Log($"B={batch}: FLOPs per call: {ConvFlops(batch) / 1e9:F1} GFLOP");
        var variants = new (string Name, ScalarType Type, bool? Tf32)[]
        {
            ($"float32 default (cudnn TF32 {(cudnnTf32 ? "on" : "off")})", ScalarType.Float32, null),
            ("float32 TF32 off", ScalarType.Float32, false),
            ("float32 TF32 on", ScalarType.Float32, true),
            ("float16", ScalarType.Float16, null),
            ("bfloat16", ScalarType.BFloat16, null),
        };
        var tflops = new Dictionary<string, double>();
        foreach (var (name, type, tf32) in variants)
        {
            using var flags = tf32 is { } allow ? new Tf32Scope(allow) : null;
            tflops[name] = ConvTflops(device, type, batch, out double ms);
            c.Metric($"{name}: time per call", ms, "ms");
            c.Metric($"{name}", tflops[name], "TFLOP/s");
        }
        double fp32 = tflops[variants[0].Name];
        c.Metric("float16 / float32-default", tflops["float16"] / fp32, "ratio");
        c.Metric("bfloat16 / float32-default", tflops["bfloat16"] / fp32, "ratio");
        c.Metric("float32 TF32 on / TF32 off", tflops["float32 TF32 on"] / tflops["float32 TF32 off"], "ratio");
        c.Log("reference (platform notes, H100, TorchSharp 0.107 + PyTorch 2.11 libs): 266 / 467 / 477 TFLOP/s in fp32(TF32) / fp16 / bf16");
        if (tflops.Values.Any(v => !double.IsFinite(v) || v <= 0))
            return CheckOutcome.Fail("a measurement was not a positive number");
        return CheckOutcome.Pass(string.Join(", ", tflops.Select(kv => $"{kv.Key} {kv.Value:F0}")) + " TFLOP/s");
    }

    /// <summary>Times conv2d on the given device and type; returns TFLOP/s and the milliseconds per call.</summary>
    public static double ConvTflops(Device device, ScalarType type, int batch, out double msPerCall)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var x = randn([batch, Channels, Size, Size], dtype: type, device: device);
        var w = (randn([Channels, Channels, Kernel, Kernel], dtype: type, device: device) * 0.02).detach();
        double seconds = Measure.SecondsPerCall(device, () => nn.functional.conv2d(x, w, padding: [1, 1]));
        msPerCall = seconds * 1e3;
        return ConvFlops(batch) / seconds / 1e12;
    }

    [Check("copy-bandwidth", 30, TimeoutSeconds = 90,
        Description = "Plain copy (x.clone()) bandwidth, read + write bytes per second: the baseline for stochastic-rounding throughput ratios. CPU with 2^24 float32 values, CUDA with 2^28.")]
    internal static CheckOutcome CopyBandwidth(CheckContext c)
    {
        var runs = new List<(Device Device, int Log2)> { (CPU, 24) };
        if (c.Shared.Cuda is { type: DeviceType.CUDA } cuda) runs.Add((cuda, 28));
        else c.Log($"CUDA part skipped: {c.Shared.CudaAbsence}");
        var summary = new List<string>();
        foreach (var (device, log2) in runs)
        {
            using var scope = NewDisposeScope();
            long n = 1L << log2;
            var x = rand([n], device: device);
            var y = x.clone();
            if (!y.eq(x).all().item<bool>()) return CheckOutcome.Fail($"clone on {device} differs from its source");
            y.Dispose();
            double seconds = Measure.SecondsPerCall(device, () => x.clone(), targetSeconds: 0.3);
            double gbps = 2.0 * n * sizeof(float) / seconds / 1e9;
            c.Metric($"{device.type} copy 2^{log2} float32: time", seconds * 1e3, "ms");
            c.Metric($"{device.type} copy 2^{log2} float32: bandwidth (read+write)", gbps, "GB/s");
            summary.Add($"{device.type} {gbps:F1} GB/s");
        }
        c.Log("reference (platform notes): H100 2980 GB/s; 2-thread Xeon CPU 23.9 GB/s");
        return CheckOutcome.Pass(string.Join(", ", summary));
    }
}
