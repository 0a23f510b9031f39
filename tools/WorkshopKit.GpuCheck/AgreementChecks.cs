using TorchSharp;
using static TorchSharp.torch;

namespace WorkshopKit.GpuCheck;

/// <summary>
/// CPU-versus-CUDA agreement: the same seeded inputs through the same operator on both devices, with the
/// float32 CPU result as reference. Inputs are N(0,1) and weights N(0,1)/sqrt(fan-in), so outputs are of order 1
/// and absolute tolerances mean the same thing in every case.
/// </summary>
internal static class AgreementChecks
{
    // Tolerances (allclose form |gpu - cpu| <= atol + rtol |cpu|), derived from each format's unit roundoff u:
    // - float32, TF32 off: u = 6e-8; only the summation order differs, error ~ sqrt(fan-in) * u << 1e-4.
    // - TF32 and float16: inputs are rounded to 10 mantissa bits (u = 4.9e-4), each product is off by up to 2u
    //   relative; summed over fan-in terms of size 1/sqrt(fan-in) that is about 1e-3 per output (1 sigma);
    //   1e-2 leaves room for the largest of thousands of outputs.
    // - bfloat16: 7 mantissa bits (u = 3.9e-3), 8x float16's error, plus rounding of the output itself.
    private static readonly (string Name, ScalarType Type, bool Tf32, double Atol, double Rtol)[] Formats =
    [
        ("float32 TF32 off", ScalarType.Float32, false, 1e-4, 1e-4),
        ("float32 TF32 on", ScalarType.Float32, true, 1e-2, 1e-2),
        ("float16", ScalarType.Float16, false, 1e-2, 1e-2),
        ("bfloat16", ScalarType.BFloat16, false, 6e-2, 2e-2),
    ];

    private sealed record ConvCase(string Name, int Batch, int In, int Out, int H, int W, int K, int Stride, int Padding, int Dilation, int Groups, int OutputPadding = 0);

    private static readonly ConvCase[] Conv2dCases =
    [
        new("3x3 pad 1", 4, 16, 32, 20, 20, 3, 1, 1, 1, 1),
        new("5x5 stride 2 pad 2, 17x23", 2, 8, 12, 17, 23, 5, 2, 2, 1, 1),
        new("3x3 dilation 2 groups 4", 2, 8, 8, 15, 15, 3, 1, 2, 2, 4),
        new("3x3 depthwise", 2, 16, 16, 14, 14, 3, 1, 1, 1, 16),
        new("1x1", 8, 64, 32, 7, 7, 1, 1, 0, 1, 1),
    ];

    private static readonly ConvCase[] ConvTransposeCases =
    [
        new("3x3 stride 2 pad 1 outpad 1", 2, 16, 8, 12, 12, 3, 2, 1, 1, 1, 1),
        new("4x4 stride 2 pad 1, 9x11", 2, 8, 8, 9, 11, 4, 2, 1, 1, 1),
        new("3x3 stride 1 groups 2", 2, 8, 8, 10, 10, 3, 1, 1, 1, 2),
    ];

    [Check("agree-conv2d", 40, NeedsCuda = true, TimeoutSeconds = 90,
        Description = "conv2d on CUDA agrees with float32 CPU (strides, padding, dilation, groups) in float32 with and without TF32, float16 and bfloat16, within tolerances from each format's rounding.")]
    internal static CheckOutcome AgreeConv2d(CheckContext c) => Agree(c, Conv2dCases, transpose: false);

    [Check("agree-conv-transpose2d", 41, NeedsCuda = true, TimeoutSeconds = 90,
        Description = "conv_transpose2d on CUDA agrees with float32 CPU (stride 2, output padding, groups), same formats and tolerances as conv2d.")]
    internal static CheckOutcome AgreeConvTranspose2d(CheckContext c) => Agree(c, ConvTransposeCases, transpose: true);

    private static CheckOutcome Agree(CheckContext c, ConvCase[] cases, bool transpose)
    {
        var failures = new List<string>();
        double worst = 0;
        foreach (var k in cases)
        {
            using var scope = NewDisposeScope();
            var gen = new Generator(12345, CPU);
            var x = randn([k.Batch, k.In, k.H, k.W], generator: gen);
            // conv2d weights are (out, in/groups, k, k); conv_transpose2d weights are (in, out/groups, k, k).
            long[] wShape = transpose ? [k.In, k.Out / k.Groups, k.K, k.K] : [k.Out, k.In / k.Groups, k.K, k.K];
            double fanIn = transpose ? (double)k.In / k.Groups * k.K * k.K / (k.Stride * k.Stride) : (double)k.In / k.Groups * k.K * k.K;
            var w = randn(wShape, generator: gen) / Math.Sqrt(fanIn);
            var b = randn([k.Out], generator: gen) * 0.1;
            Tensor Run(Tensor xi, Tensor wi, Tensor bi) => transpose
                ? nn.functional.conv_transpose2d(xi, wi, bi, strides: [k.Stride, k.Stride], padding: [k.Padding, k.Padding],
                    output_padding: [k.OutputPadding, k.OutputPadding], groups: k.Groups, dilation: [k.Dilation, k.Dilation])
                : nn.functional.conv2d(xi, wi, bi, strides: [k.Stride, k.Stride], padding: [k.Padding, k.Padding],
                    dilation: [k.Dilation, k.Dilation], groups: k.Groups);
            var reference = Run(x, w, b);
            foreach (var f in Formats)
            {
                using var flags = new Tf32Scope(f.Tf32);
                var y = Run(x.to(f.Type).to(c.Cuda), w.to(f.Type).to(c.Cuda), b.to(f.Type).to(c.Cuda));
                var (maxAbs, ratio) = Measure.Compare(reference, y, f.Atol, f.Rtol);
                worst = Math.Max(worst, ratio);
                string line = $"{k.Name}, {f.Name}: max |gpu-cpu| = {CheckContext.Format(maxAbs)} (atol {f.Atol}, rtol {f.Rtol}; worst error/allowance {CheckContext.Format(ratio)})";
                c.Log((ratio <= 1 ? "ok   " : "FAIL ") + line);
                c.Metric($"{k.Name}, {f.Name}: max abs error", maxAbs, "");
                if (!(ratio <= 1)) failures.Add(line);
            }
        }
        return failures.Count == 0
            ? CheckOutcome.Pass($"{cases.Length} shapes x {Formats.Length} formats agree; worst error/allowance {CheckContext.Format(worst)}")
            : CheckOutcome.Fail($"{failures.Count} disagreement(s), first: {failures[0]}");
    }

    [Check("agree-training-step", 42, NeedsCuda = true, TimeoutSeconds = 90,
        Description = "Three SGD steps of a small CNN (conv-relu-pool x2, linear) from identical weights on CPU and CUDA (TF32 off): losses and final weights agree.")]
    internal static CheckOutcome AgreeTrainingStep(CheckContext c)
    {
        using var flags = new Tf32Scope(false);
        using var scope = NewDisposeScope();
        var gen = new Generator(2024, CPU);
        var images = randn([32, 1, 28, 28], generator: gen);
        var labels = randint(0, 10, [32], generator: gen);

        static nn.Module<Tensor, Tensor> Build()
        {
            manual_seed(7);
            return nn.Sequential(
                nn.Conv2d(1, 8, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(8, 16, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
                nn.Flatten(), nn.Linear(16 * 7 * 7, 10));
        }
        using var cpuModel = Build();
        using var gpuModel = Build();
        gpuModel.to(c.Cuda);

        const int steps = 3;
        var cpuLosses = Train(cpuModel, images, labels, steps);
        var gpuLosses = Train(gpuModel, images.to(c.Cuda), labels.to(c.Cuda), steps);

        // float32 with TF32 off: the devices differ only in summation order (about 1e-6 relative per operation);
        // three steps at lr 0.1 keep that well under 1e-4 in the loss and 1e-4 + 1e-3 relative in the weights.
        var failures = new List<string>();
        for (int s = 0; s < steps; s++)
        {
            double diff = Math.Abs(cpuLosses[s] - gpuLosses[s]);
            c.Log($"step {s + 1}: loss cpu {cpuLosses[s]:F6}, cuda {gpuLosses[s]:F6}, |diff| {CheckContext.Format(diff)}");
            c.Metric($"step {s + 1} |loss diff|", diff, "");
            if (!(diff <= 1e-4)) failures.Add($"step {s + 1} loss differs by {diff:E2} (> 1e-4)");
        }
        if (!(cpuLosses[^1] < cpuLosses[0])) failures.Add($"the loss did not fall on the CPU ({cpuLosses[0]:F4} -> {cpuLosses[^1]:F4})");
        double worst = 0;
        foreach (var ((name, p), (_, q)) in cpuModel.named_parameters().Zip(gpuModel.named_parameters()))
        {
            var (maxAbs, ratio) = Measure.Compare(p, q, 1e-4, 1e-3);
            worst = Math.Max(worst, ratio);
            c.Log($"{name}: max |cuda-cpu| after {steps} steps = {CheckContext.Format(maxAbs)}");
            if (!(ratio <= 1)) failures.Add($"{name} differs by {maxAbs:E2} (atol 1e-4, rtol 1e-3)");
        }
        return failures.Count == 0
            ? CheckOutcome.Pass($"losses {string.Join(" -> ", gpuLosses.Select(l => l.ToString("F4")))} on CUDA match the CPU; worst weight error/allowance {CheckContext.Format(worst)}")
            : CheckOutcome.Fail(string.Join("; ", failures));
    }

    private static double[] Train(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, int steps)
    {
        var optimizer = optim.SGD(model.parameters(), learningRate: 0.1);
        var losses = new double[steps];
        for (int s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(images), labels);
            loss.backward();
            optimizer.step();
            losses[s] = loss.cpu().item<float>();
        }
        return losses;
    }
}
