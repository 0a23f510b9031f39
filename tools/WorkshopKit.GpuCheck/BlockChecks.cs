using System.Diagnostics;
using TorchSharp;
using WorkshopKit.Blocks;
using WorkshopKit.Data;
using WorkshopKit.Training;
using static TorchSharp.torch;

namespace WorkshopKit.GpuCheck;

/// <summary>The workshop's blocks and model zoo on CUDA: same outputs as on the CPU, and one training epoch timed on both.</summary>
internal static class BlockChecks
{
    [Check("blocks-agree", 60, NeedsCuda = true, TimeoutSeconds = 120,
        Description = "Every zoo model (plain, collaborative, ResNet, DenseNet) gives the same logits on CUDA as on the CPU for a batch of 32 digits (float32; tolerance 1e-3 absolute, cuDNN may reorder sums and use TF32), and gradients reach every parameter on CUDA.")]
    internal static CheckOutcome Agree(CheckContext c)
    {
        var failures = new List<string>();
        var (train, test) = Datasets.Load(DatasetName.Mnist);
        using var _ = train;
        using var __ = test;
        // TF32 would round inputs to 10 mantissa bits; turn it off so the comparison is about the blocks, not the number format.
        bool cudnnTf32 = backends.cudnn.allow_tf32;
        backends.cudnn.allow_tf32 = false;
        try
        {
            foreach (var name in ModelZoo.Names)
            {
                using var scope = NewDisposeScope();
                manual_seed(1);
                var model = ModelZoo.Create(name);
                model.eval();
                var x = train.Images[TensorIndex.Slice(0, 32)];
                var cpuOut = model.call(x);
                model.to(c.Cuda);
                var cudaOut = model.call(x.to(c.Cuda)).cpu();
                double diff = (cpuOut - cudaOut).abs().max().item<float>();
                c.Metric($"{name}: max |CPU - CUDA| logit", diff, "");
                if (!(diff <= 1e-3)) failures.Add($"{name} differs by {diff:G3}");

                model.train();
                model.zero_grad();
                var loss = nn.functional.cross_entropy(model.call(x.to(c.Cuda)), train.Labels[TensorIndex.Slice(0, 32)].to(c.Cuda));
                loss.backward();
                int missing = model.parameters().Count(p => p.grad is null || p.grad.abs().sum().item<float>() == 0);
                c.Metric($"{name}: parameters without gradient on CUDA", missing, "");
                if (missing > 0) failures.Add($"{name}: {missing} parameters got no gradient");
            }
        }
        finally { backends.cudnn.allow_tf32 = cudnnTf32; }
        return failures.Count == 0 ? CheckOutcome.Pass("all zoo models agree with the CPU within 1e-3 and train on CUDA") : CheckOutcome.Fail(string.Join("; ", failures));
    }

    [Check("zoo-epoch", 61, NeedsCuda = true, TimeoutSeconds = 240,
        Description = "One training epoch (Adam, batch 64, the 8,004 shipped MNIST training digits) of each zoo model on the CPU and on CUDA: seconds per epoch, the GPU/CPU speed-up, and test accuracy after that epoch.")]
    internal static CheckOutcome ZooEpoch(CheckContext c)
    {
        var (train, test) = Datasets.Load(DatasetName.Mnist);
        using var _ = train;
        using var __ = test;
        var summary = new List<string>();
        foreach (var name in ModelZoo.Names)
        {
            double Seconds(Device device, out double accuracy)
            {
                manual_seed(1);
                var model = ModelZoo.Create(name);
                var clock = Stopwatch.StartNew();
                var result = new Trainer(new TrainerOptions { Epochs = 1, BatchSize = 64, LearningRate = 2e-3, Device = device, Seed = 1 }).Fit(model, train, test, null, name);
                accuracy = result.Last.TestAccuracy;
                return result.Last.Seconds > 0 ? result.Last.Seconds : clock.Elapsed.TotalSeconds;
            }
            double cpu = Seconds(CPU, out double cpuAccuracy);
            double gpu = Seconds(c.Cuda, out double gpuAccuracy);
            c.Metric($"{name}: CPU ({get_num_threads()} threads) epoch", cpu, "s");
            c.Metric($"{name}: CUDA epoch", gpu, "s");
            c.Metric($"{name}: speed-up", cpu / gpu, "x");
            c.Metric($"{name}: test accuracy after 1 epoch, CPU / CUDA", cpuAccuracy, $"/ {gpuAccuracy:F4}");
            summary.Add($"{name} {cpu / gpu:F1}x");
        }
        return CheckOutcome.Pass("GPU/CPU epoch speed-up: " + string.Join(", ", summary));
    }
}
