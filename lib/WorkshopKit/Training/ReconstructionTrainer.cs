using System.Diagnostics;
using System.Globalization;
using Plotly.NET;
using TorchSharp;
using WorkshopKit.Visuals;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Training;

/// <summary>
/// Trains a model to reproduce its input (an autoencoder) with Adam and mean squared error: the smallest training loop
/// that shows an encoder-decoder at work, with no labels needed. A fixed number of steps over seeded batches keeps it
/// deterministic (a time budget would stop at a different step on a busy machine).
/// </summary>
/// <remarks>First used in notebook 04 (Pooling and upsampling), section "Training it briefly".</remarks>
public static class ReconstructionTrainer
{
    /// <summary>
    /// Runs <paramref name="steps"/> Adam steps on seeded mini-batches of <paramref name="trainImages"/>. Images are
    /// converted to the model's precision (e.g. float64 after <c>model.to(ScalarType.Float64)</c>).
    /// </summary>
    /// <param name="model">Maps (N, C, H, W) images to outputs of the same shape.</param>
    /// <param name="trainImages">Training images (N, C, H, W).</param>
    /// <param name="testImages">Held-out images for the before/after loss.</param>
    /// <param name="steps">Optimizer steps (at least 1); batches cycle through reshuffled epochs.</param>
    /// <param name="batchSize">Images per step (at least 1).</param>
    /// <param name="learningRate">Adam's step size (above 0).</param>
    /// <param name="seed">Seeds the batch order (seed the model's initial weights with torch.manual_seed before building it).</param>
    /// <param name="device">Where to train; the images' device when null.</param>
    /// <exception cref="ArgumentException">Images that are not 4-D, settings out of range, or a model whose output shape differs from its input's.</exception>
    /// <exception cref="InvalidOperationException">The loss or a gradient stayed NaN or infinite for <see cref="MaxAttempts"/> attempts of one step (lower the learning rate).</exception>
    public static ReconstructionResult Fit(nn.Module<Tensor, Tensor> model, Tensor trainImages, Tensor testImages, int steps = 200, int batchSize = 64,
        double learningRate = 3e-3, long seed = 1, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckImages(trainImages, nameof(trainImages));
        CheckImages(testImages, nameof(testImages));
        if (steps < 1 || batchSize < 1 || !(learningRate > 0))
            throw new ArgumentException($"steps ({steps}) and batchSize ({batchSize}) must be at least 1 and learningRate ({learningRate}) above 0.", nameof(steps));
        device ??= trainImages.device;
        model.to(device);
        var dtype = ParameterType(model, trainImages);
        double before = TestLoss(model, testImages, device);

        using var optimizer = optim.Adam(model.parameters(), learningRate);
        using var generator = new Generator(unchecked((ulong)seed));
        long n = trainImages.shape[0];
        var losses = new List<double>(steps);
        int retried = 0;
        var watch = Stopwatch.StartNew();
        model.train();
        using (var epochScope = NewDisposeScope())
        {
            var order = randperm(n, generator: generator);
            long position = 0;
            for (int step = 0; step < steps; step++)
            {
                if (position >= n)
                {
                    order = randperm(n, generator: generator);
                    position = 0;
                }
                using var scope = NewDisposeScope();
                var idx = order.slice(0, position, Math.Min(position + batchSize, n), 1);
                position += batchSize;
                var x = trainImages.index_select(0, idx.to(trainImages.device)).to(device).to_type(dtype);
                double value = double.NaN;
                for (int attempt = 0; ; attempt++)
                {
                    using var attemptScope = NewDisposeScope();
                    optimizer.zero_grad();
                    var y = model.call(x);
                    if (!y.shape.SequenceEqual(x.shape))
                        throw new ArgumentException($"An autoencoder must return its input's shape ({Shape(x)}), but the model returned {Shape(y)}. Check the decoder's upsampling factors and output channels.", nameof(model));
                    var loss = F.mse_loss(y, x);
                    value = loss.to_type(ScalarType.Float64).item<double>();
                    if (double.IsFinite(value))
                    {
                        loss.backward();
                        if (GradientsFinite(model)) break;
                    }
                    if (attempt == MaxAttempts - 1)
                        throw new InvalidOperationException($"The reconstruction loss or its gradient was not finite (loss {value}) at step {step + 1}, {MaxAttempts} times in a row. Lower the learning rate (now {learningRate}) or check the input for NaN.");
                    retried++;
                }
                optimizer.step();
                losses.Add(value);
            }
        }
        watch.Stop();
        double after = TestLoss(model, testImages, device);
        return new ReconstructionResult(losses, before, after, watch.Elapsed.TotalSeconds, n, retried);
    }

    /// <summary>
    /// How often one step is computed before giving up when its loss or gradient is not finite. On the development host
    /// (libtorch 2.10 CPU through TorchSharp 0.107) a convolution's input gradient sporadically comes back as NaN, also
    /// for a single conv2d; recomputing the same step on the same batch gives the correct, finite gradient, so a retry
    /// keeps training deterministic. A real divergence stays non-finite and still stops the run.
    /// </summary>
    public const int MaxAttempts = 5;

    /// <summary>The model's output for <paramref name="images"/> in evaluation mode, without gradients, on the images' device.</summary>
    public static Tensor Reconstruct(nn.Module<Tensor, Tensor> model, Tensor images)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckImages(images, nameof(images));
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var device = model.parameters().FirstOrDefault()?.device ?? images.device;
        return model.call(images.to(device).to_type(ParameterType(model, images))).to_type(images.dtype).to(images.device).MoveToOuterDisposeScope();
    }

    // Images are fed in the model's precision, so a model moved to float64 trains on float32 data without a copy step in the notebook.
    private static ScalarType ParameterType(nn.Module<Tensor, Tensor> model, Tensor images) =>
        model.parameters().FirstOrDefault()?.dtype ?? images.dtype;

    private static bool GradientsFinite(nn.Module<Tensor, Tensor> model)
    {
        foreach (var p in model.parameters())
        {
            if (p.grad is { } g && !g.isfinite().all().item<bool>()) return false;
        }
        return true;
    }

    private static double TestLoss(nn.Module<Tensor, Tensor> model, Tensor images, Device device)
    {
        model.eval();
        using var noGrad = no_grad();
        double sum = 0;
        long n = images.shape[0];
        for (long start = 0; start < n; start += 500)
        {
            using var scope = NewDisposeScope();
            var x = images.slice(0, start, Math.Min(start + 500, n), 1).to(device).to_type(ParameterType(model, images));
            var y = model.call(x);
            if (!y.shape.SequenceEqual(x.shape))
                throw new ArgumentException($"An autoencoder must return its input's shape ({Shape(x)}), but the model returned {Shape(y)}. Check the decoder's upsampling factors and output channels.", nameof(model));
            sum += F.mse_loss(y, x, nn.Reduction.Sum).to_type(ScalarType.Float64).item<double>();
        }
        return sum / images.numel();
    }

    private static void CheckImages(Tensor images, string name)
    {
        ArgumentNullException.ThrowIfNull(images, name);
        if (images.dim() != 4 || images.shape[0] < 1)
            throw new ArgumentException($"{name} must be a batch of images (N, C, H, W) with N >= 1, but got shape {Shape(images)}. Use dataset.Images or image.reshape(1, 1, 28, 28).", name);
    }

    private static string Shape(Tensor t) => $"({string.Join(", ", t.shape)})";
}
