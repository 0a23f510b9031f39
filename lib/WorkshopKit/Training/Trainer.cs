using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using WorkshopKit.Data;
using WorkshopKit.Setup;
using WorkshopKit.Visuals;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Training;

/// <summary>
/// A minimal, deterministic trainer for image classifiers: seeded shuffling and augmentation, Adam or SGD,
/// per-epoch train/test loss and accuracy, early stopping and an optional time budget. Every batch runs inside a
/// dispose scope, so memory stays flat from epoch to epoch.
/// </summary>
/// <remarks>First used in notebook 08 (Capstone: the model zoo), section "Your turn: train your own variant".</remarks>
public sealed class Trainer(TrainerOptions? options = null)
{
    /// <summary>The settings in use.</summary>
    public TrainerOptions Options { get; } = options ?? new TrainerOptions();

    /// <summary>Trains on a shipped dataset split (see <see cref="Datasets.Load"/>).</summary>
    public TrainingResult Fit(nn.Module<Tensor, Tensor> model, Dataset train, Dataset test, IProgress<EpochResult>? progress = null, string? modelName = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        return Fit(model, train.Images, train.Labels, test.Images, test.Labels, progress, modelName);
    }

    /// <summary>Trains on image tensors (N, C, H, W) with int64 labels (N).</summary>
    /// <exception cref="ArgumentException">Images and labels disagree in count, or the options are out of range.</exception>
    public TrainingResult Fit(nn.Module<Tensor, Tensor> model, Tensor trainImages, Tensor trainLabels, Tensor testImages, Tensor testLabels,
        IProgress<EpochResult>? progress = null, string? modelName = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Validate(trainImages, trainLabels, "training");
        Validate(testImages, testLabels, "test");
        if (Options.Epochs < 1 || Options.BatchSize < 1 || !(Options.LearningRate > 0) || Options.MaxShift < 0 || Options.Patience < 0)
            throw new ArgumentException($"Trainer options out of range: Epochs {Options.Epochs} and BatchSize {Options.BatchSize} must be at least 1, LearningRate {Options.LearningRate} above 0, MaxShift {Options.MaxShift} and Patience {Options.Patience} at least 0.", nameof(model));
        var device = Options.Device ?? Devices.Pick().Device;
        model.to(device);
        var parameters = model.parameters().ToList();
        using optim.Optimizer optimizer = Options.Optimizer == OptimizerKind.Adam
            ? optim.Adam(parameters, Options.LearningRate)
            : optim.SGD(parameters, Options.LearningRate, momentum: Options.Momentum);
        var random = new Random(unchecked((int)Options.Seed));
        using var generator = new Generator((ulong)Options.Seed);
        var results = new List<EpochResult>();
        var total = Stopwatch.StartNew();
        total.Stop();
        string stop = $"{Options.Epochs} epochs done";
        double best = double.NegativeInfinity;
        int sinceBest = 0;
        long n = trainImages.shape[0];
        for (int epoch = 1; epoch <= Options.Epochs; epoch++)
        {
            var watch = Stopwatch.StartNew();
            total.Start();
            model.train();
            double lossSum = 0;
            long correct = 0, seen = 0;
            bool outOfTime = false, nonFinite = false;
            using (var epochScope = NewDisposeScope())
            {
                var order = randperm(n, generator: generator);
                for (long start = 0; start < n; start += Options.BatchSize)
                {
                    using var scope = NewDisposeScope();
                    var idx = order.slice(0, start, Math.Min(start + Options.BatchSize, n), 1);
                    var x = trainImages.index_select(0, idx).to(device);
                    var y = trainLabels.index_select(0, idx).to(device);
                    if (Options.MaxShift > 0) x = Shift(x, random);
                    optimizer.zero_grad();
                    var logits = model.call(x);
                    var loss = F.cross_entropy(logits, y);
                    double value = loss.item<float>();
                    if (!double.IsFinite(value)) { nonFinite = true; break; }
                    loss.backward();
                    optimizer.step();
                    long b = y.shape[0];
                    lossSum += value * b;
                    correct += logits.argmax(1).eq(y).sum().item<long>();
                    seen += b;
                    if (Options.TimeBudget is { } budget && total.Elapsed >= budget) { outOfTime = true; break; }
                }
            }
            total.Stop();
            watch.Stop();
            var (testLoss, testAcc) = Evaluate(model, testImages, testLabels, device);
            var result = new EpochResult(epoch, seen == 0 ? double.NaN : lossSum / seen, seen == 0 ? 0 : (double)correct / seen, testLoss, testAcc,
                watch.Elapsed.TotalSeconds, total.Elapsed.TotalSeconds, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            results.Add(result);
            progress?.Report(result);
            if (nonFinite) { stop = $"non-finite training loss in epoch {epoch}"; break; }
            if (outOfTime) { stop = $"time budget of {Options.TimeBudget!.Value.TotalSeconds:0} s reached in epoch {epoch}"; break; }
            if (testAcc > best) { best = testAcc; sinceBest = 0; }
            else if (Options.Patience > 0 && ++sinceBest >= Options.Patience) { stop = $"early stop: no better test accuracy for {Options.Patience} epoch(s)"; break; }
        }
        return new TrainingResult(modelName ?? model.GetName(), results, stop);
    }

    /// <summary>Mean cross-entropy and accuracy of the model on a labelled set, in evaluation mode and without gradients.</summary>
    public (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Validate(images, labels, "evaluation");
        device ??= Options.Device ?? Devices.Pick().Device;
        model.eval();
        using var noGrad = no_grad();
        double lossSum = 0;
        long correct = 0, n = images.shape[0];
        for (long start = 0; start < n; start += 500)
        {
            using var scope = NewDisposeScope();
            var x = images.slice(0, start, Math.Min(start + 500, n), 1).to(device);
            var y = labels.slice(0, start, Math.Min(start + 500, n), 1).to(device);
            var logits = model.call(x);
            lossSum += F.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
            correct += logits.argmax(1).eq(y).sum().item<long>();
        }
        return (lossSum / n, (double)correct / n);
    }

    /// <summary>Shifts the whole batch by up to <see cref="TrainerOptions.MaxShift"/> pixels in each direction (zero fill): cheap augmentation against position overfitting.</summary>
    private Tensor Shift(Tensor x, Random random)
    {
        int s = Options.MaxShift;
        int dy = random.Next(-s, s + 1), dx = random.Next(-s, s + 1);
        if (dx == 0 && dy == 0) return x;
        long h = x.shape[2], w = x.shape[3];
        var padded = F.pad(x, [s, s, s, s]);
        return padded[.., .., TensorIndex.Slice(s + dy, s + dy + h), TensorIndex.Slice(s + dx, s + dx + w)];
    }

    private static void Validate(Tensor images, Tensor labels, string what)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.dim() != 4 || labels.dim() != 1 || images.shape[0] != labels.shape[0] || labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"The {what} data must be images (N, C, H, W) and int64 labels (N); got images ({string.Join(", ", images.shape)}) and labels ({string.Join(", ", labels.shape)}) of {labels.dtype}. Use Dataset.Images and Dataset.Labels, or reshape and convert with .to(ScalarType.Int64).", nameof(images));
    }
}
