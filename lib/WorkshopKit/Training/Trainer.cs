using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using WorkshopKit.Data;
using WorkshopKit.Setup;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Training;

/// <summary>
/// The workshop's one training loop. It takes seeded mini-batches from a <see cref="Dataset"/>, runs one step on each
/// (autograd with Adam or SGD on the <see cref="TrainerOptions.Loss"/>, or a model's own hand-written update), measures
/// the test set before training, every <see cref="TrainerOptions.EvaluateEvery"/> steps and after each epoch, and stops
/// after the epochs, a step budget, early stopping or a time budget. Every step runs in a dispose scope, so memory stays
/// flat from epoch to epoch.
/// </summary>
/// <remarks>First used in notebook 04 (Pooling and upsampling), section "Training it briefly" (an autoencoder); notebook 08 (Capstone: the model zoo), section "Your turn: train your own variant" (a classifier).</remarks>
public sealed class Trainer(TrainerOptions? options = null)
{
    private const int EvaluationBatch = 500;

    /// <summary>The settings in use.</summary>
    public TrainerOptions Options { get; } = options ?? new TrainerOptions();

    /// <summary>Trains an <c>nn.Module</c> with autograd and the configured optimizer and loss.</summary>
    /// <param name="model">A classifier returning class scores (N, classes), or for <see cref="TrainingLoss.Reconstruction"/> a model returning its input's shape.</param>
    /// <param name="train">The training set (see <see cref="Datasets.Load"/>, <see cref="Dataset.Take"/>).</param>
    /// <param name="test">The held-out set measured during training.</param>
    /// <param name="progress">Receives each epoch's result as soon as it is measured (e.g. <see cref="ConsoleProgress"/>); one that is also an <c>IProgress&lt;CurvePoint&gt;</c> (e.g. <see cref="Visuals.LiveTrainingChart"/>) receives every test point too.</param>
    /// <param name="modelName">The name shown in results; the module's name when null.</param>
    /// <exception cref="ArgumentException">Options out of range, or a model whose output does not fit the loss.</exception>
    /// <exception cref="InvalidOperationException">The loss or a gradient was not finite: the step is not retried, because a retry that succeeds hides wrong gradients (the message names the self-check and the learning rate).</exception>
    public TrainingResult Fit(nn.Module<Tensor, Tensor> model, Dataset train, Dataset test, IProgress<EpochResult>? progress = null, string? modelName = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckRun(train, test);
        var device = Options.Device ?? Devices.Pick().Device;
        model.to(device);
        var parameters = model.parameters().ToList();
        var dtype = parameters.FirstOrDefault()?.dtype ?? ScalarType.Float32;
        using optim.Optimizer optimizer = Options.Optimizer == OptimizerKind.Adam
            ? optim.Adam(parameters, Options.LearningRate)
            : optim.SGD(parameters, Options.LearningRate, momentum: Options.Momentum);
        var schedule = Options.CosineSchedule && Options.Steps is { } total
            ? optim.lr_scheduler.CosineAnnealingLR(optimizer, total)
            : null;
        (double, Tensor?) Step(Tensor x, Tensor y, int step)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var output = model.call(x);
            CheckOutput(output, x, train.ClassNames.Count, nameof(model));
            var loss = Options.Loss == TrainingLoss.Reconstruction ? F.mse_loss(output, x) : F.cross_entropy(output, y);
            double value = loss.to_type(ScalarType.Float64).item<double>();
            if (double.IsFinite(value)) loss.backward();
            if (!double.IsFinite(value) || !GradientsFinite(parameters))
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The training loss or its gradient was not finite (loss {value}) at step {step}. If the learning rate ({Options.LearningRate}) is small, suspect the machine: run `dotnet run --project tools/WorkshopKit.Cli -- doctor`, whose float32 convolution self-check ({nameof(Runtime.ConvSelfCheck)}) compares this host's convolutions with float64; otherwise lower the learning rate or check the input for NaN."));
            optimizer.step();
            schedule?.step();
            return (value, output.detach().MoveToOuterDisposeScope());
        }

        Tensor Predict(Tensor x)
        {
            var output = model.call(x);
            CheckOutput(output, x, train.ClassNames.Count, nameof(model));
            return output;
        }

        return Run(modelName ?? model.GetName(), new Loop(Step, Predict, on => model.train(on)), train, test, device, dtype, progress);
    }

    /// <summary>
    /// Trains a model that updates itself (<see cref="IHandTrainedModel"/>, e.g. the low-precision perceptron) with the
    /// same batches, evaluation and stop rules; the optimizer settings are unused. Runs on the CPU, where such models keep
    /// their weights.
    /// </summary>
    /// <exception cref="InvalidOperationException">A step returned a non-finite loss (a hand-written step has already changed the weights, so it is not recomputed).</exception>
    public TrainingResult Fit(IHandTrainedModel model, Dataset train, Dataset test, IProgress<EpochResult>? progress = null, string? modelName = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckRun(train, test);
        if (Options.Loss != TrainingLoss.CrossEntropy)
            throw new ArgumentException($"A hand-trained model computes its own cross-entropy step; Loss must be {nameof(TrainingLoss.CrossEntropy)}, not {Options.Loss}.", nameof(model));

        (double, Tensor?) Step(Tensor x, Tensor y, int step)
        {
            double value = model.TrainStep(x, y, Options.LearningRate);
            if (!double.IsFinite(value))
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The hand-trained model's loss was not finite ({value}) at step {step}. Lower the learning rate (now {Options.LearningRate}) or widen the number format."));
            return (value, null);
        }

        return Run(modelName ?? model.GetType().Name, new Loop(Step, model.Predict, _ => { }), train, test, CPU, ScalarType.Float32, progress);
    }

    /// <summary>
    /// The model's output for <paramref name="images"/> in evaluation mode and without gradients, computed on the
    /// model's device and precision and returned on the images' device and dtype: for looking at what a trained model does.
    /// </summary>
    public static Tensor Predict(nn.Module<Tensor, Tensor> model, Tensor images)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.shape[0] < 1)
            throw new ArgumentException($"images must be a batch of images (N, C, H, W) with N >= 1, but got shape {Shape(images)}. Use dataset.Images or image.reshape(1, 1, 28, 28).", nameof(images));
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var first = model.parameters().FirstOrDefault();
        var device = first?.device ?? images.device;
        var dtype = first?.dtype ?? images.dtype;
        return model.call(images.to(device).to_type(dtype)).to_type(images.dtype).to(images.device).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The fraction of <paramref name="data"/> that a classifier gets right, in evaluation mode and without gradients
    /// (<see cref="Predict"/> on batches of <paramref name="batchSize"/> images): for measuring a trained model once, e.g. on
    /// the test split after every choice was made on a validation split.
    /// </summary>
    /// <param name="model">A classifier returning class scores (N, classes); it is left in evaluation mode.</param>
    /// <param name="data">The images and labels to score.</param>
    /// <param name="batchSize">Images per forward pass, at least 1.</param>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, Dataset data, int batchSize = EvaluationBatch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"Batch size must be at least 1; got {batchSize}.");
        long correct = 0;
        foreach (var (images, labels) in data.Batches(batchSize, shuffle: false, seed: 0))
        {
            using var scope = NewDisposeScope();
            scope.Attach(images);
            scope.Attach(labels);
            var scores = Predict(model, images);
            if (scores.dim() != 2 || scores.shape[0] != images.shape[0])
                throw new ArgumentException($"A classifier must return one row of class scores per image, shape ({images.shape[0]}, classes), but the model returned {Shape(scores)}.", nameof(model));
            correct += scores.argmax(1).eq(labels).sum().item<long>();
        }
        return (double)correct / data.Count;
    }

    // The two kinds of step share everything else: this is what differs between them.
    private sealed record Loop(Func<Tensor, Tensor, int, (double Loss, Tensor? Output)> Step, Func<Tensor, Tensor> Predict, Action<bool> SetTraining);

    private TrainingResult Run(string name, Loop loop, Dataset train, Dataset test, Device device, ScalarType dtype, IProgress<EpochResult>? progress)
    {
        bool classify = Options.Loss == TrainingLoss.CrossEntropy;
        var random = new Random(unchecked((int)Options.Seed));
        var epochs = new List<EpochResult>();
        var stepLosses = new List<double>();
        var total = new Stopwatch();
        var points = progress as IProgress<CurvePoint>;
        var curve = new List<CurvePoint>();
        void Measure(int at, double trainLoss)
        {
            var (loss, accuracy) = Evaluate(loop, test, device, dtype);
            var point = new CurvePoint(at, trainLoss, loss, accuracy, total.Elapsed.TotalSeconds);
            curve.Add(point);
            points?.Report(point);
        }
        Measure(0, double.NaN);
        string stop = Options.Steps is { } steps ? $"{steps} steps done" : $"{Options.Epochs} epochs done";
        double best = double.NegativeInfinity, sinceLoss = 0;
        int step = 0, sinceBest = 0, sinceCount = 0;
        for (int epoch = 1; Options.Steps is { } budget ? step < budget : epoch <= Options.Epochs; epoch++)
        {
            var watch = Stopwatch.StartNew();
            total.Start();
            loop.SetTraining(true);
            double lossSum = 0;
            long correct = 0, seen = 0;
            bool outOfTime = false, stepsDone = false, accuracyKnown = classify;
            using (var batches = train.Batches(Options.BatchSize, shuffle: true, EpochSeed(epoch)).GetEnumerator())
            {
                while (true)
                {
                    using var scope = NewDisposeScope();
                    if (!batches.MoveNext()) break;
                    var (images, labels) = batches.Current;
                    if (Options.DropLast && images.shape[0] < Options.BatchSize) break;
                    var x = images.to(device).to_type(dtype);
                    var y = labels.to(device);
                    if (Options.MaxShift > 0) x = Shift(x, random);
                    var (value, output) = loop.Step(x, y, step + 1);
                    step++;
                    long b = y.shape[0];
                    stepLosses.Add(value);
                    lossSum += value * b;
                    seen += b;
                    sinceLoss += value;
                    sinceCount++;
                    if (accuracyKnown && output is not null) correct += output.argmax(1).eq(y).sum().item<long>();
                    else accuracyKnown = false; // a hand-trained step returns no scores
                    if (Options.EvaluateEvery > 0 && step % Options.EvaluateEvery == 0)
                    {
                        total.Stop();
                        watch.Stop();
                        Measure(step, sinceLoss / sinceCount);
                        (sinceLoss, sinceCount) = (0, 0);
                        loop.SetTraining(true);
                        watch.Start();
                        total.Start();
                    }
                    if (step >= Options.Steps) { stepsDone = true; break; }
                    if (Options.TimeBudget is { } time && total.Elapsed >= time) { outOfTime = true; break; }
                }
            }
            total.Stop();
            watch.Stop();
            if (seen == 0)
                throw new ArgumentException($"Epoch {epoch} had no training step: the training set has {train.Count} images and DropLast skips a batch smaller than BatchSize ({Options.BatchSize}). Lower BatchSize or turn DropLast off.", nameof(train));
            if (curve[^1].Step != step)
            {
                Measure(step, sinceLoss / sinceCount);
                (sinceLoss, sinceCount) = (0, 0);
            }
            var measured = curve[^1];
            var result = new EpochResult(epoch, lossSum / seen, accuracyKnown ? (double)correct / seen : double.NaN, measured.TestLoss, measured.TestAccuracy,
                watch.Elapsed.TotalSeconds, total.Elapsed.TotalSeconds, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            epochs.Add(result);
            progress?.Report(result);
            if (stepsDone) break;
            if (outOfTime) { stop = $"time budget of {Options.TimeBudget!.Value.TotalSeconds:0} s reached in epoch {epoch}"; break; }
            double score = classify ? measured.TestAccuracy : -measured.TestLoss;
            if (score > best) { best = score; sinceBest = 0; }
            else if (Options.Patience > 0 && ++sinceBest >= Options.Patience) { stop = $"early stop: no better test result for {Options.Patience} epoch(s)"; break; }
        }
        return new TrainingResult(name, epochs, stop)
        {
            Loss = Options.Loss, StepLosses = stepLosses, Curve = curve, TrainingImages = train.Count,
        };
    }

    // One seed per epoch, derived from the run's seed, so that each epoch visits the images in a new order that the seed fixes.
    private long EpochSeed(int epoch) => unchecked(Options.Seed * 1_000_003 + epoch);

    /// <summary>Mean test loss and accuracy (NaN for reconstruction), in evaluation mode and without gradients.</summary>
    private (double Loss, double Accuracy) Evaluate(Loop loop, Dataset test, Device device, ScalarType dtype)
    {
        loop.SetTraining(false);
        using var noGrad = no_grad();
        double lossSum = 0;
        long correct = 0, elements = 0;
        using var batches = test.Batches(EvaluationBatch, shuffle: false, seed: 0).GetEnumerator();
        while (true)
        {
            using var scope = NewDisposeScope();
            if (!batches.MoveNext()) break;
            var x = batches.Current.Images.to(device).to_type(dtype);
            var y = batches.Current.Labels.to(device);
            var output = loop.Predict(x);
            if (Options.Loss == TrainingLoss.Reconstruction)
            {
                lossSum += F.mse_loss(output, x, nn.Reduction.Sum).to_type(ScalarType.Float64).item<double>();
                elements += x.numel();
            }
            else
            {
                lossSum += F.cross_entropy(output, y, reduction: nn.Reduction.Sum).to_type(ScalarType.Float64).item<double>();
                correct += output.argmax(1).eq(y).sum().item<long>();
                elements += y.shape[0];
            }
        }
        return Options.Loss == TrainingLoss.Reconstruction ? (lossSum / elements, double.NaN) : (lossSum / elements, (double)correct / test.Count);
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

    private void CheckOutput(Tensor output, Tensor input, int classes, string name)
    {
        if (Options.Loss == TrainingLoss.Reconstruction)
        {
            if (!output.shape.SequenceEqual(input.shape))
                throw new ArgumentException($"An autoencoder must return its input's shape ({Shape(input)}), but the model returned {Shape(output)}. Check the decoder's upsampling factors and output channels.", name);
        }
        else if (output.dim() != 2 || output.shape[0] != input.shape[0] || output.shape[1] < classes)
        {
            throw new ArgumentException($"A classifier must return one score per class, shape ({input.shape[0]}, {classes}) for this batch and the dataset's {classes} classes, but the model returned {Shape(output)}. End the model with a ClassifierHead, or set Loss = TrainingLoss.Reconstruction for an autoencoder.", name);
        }
    }

    private void CheckRun(Dataset train, Dataset test)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        var o = Options;
        if (o.CosineSchedule && o.Steps is null)
            throw new ArgumentException("CosineSchedule anneals the learning rate over a known number of steps: set Steps as well (e.g. Steps = 600).", nameof(train));
        if (o.Epochs < 1 || o.Steps < 1 || o.BatchSize < 1 || !(o.LearningRate > 0 && double.IsFinite(o.LearningRate)) || !(o.Momentum >= 0 && double.IsFinite(o.Momentum))
            || o.MaxShift < 0 || o.Patience < 0 || o.EvaluateEvery < 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Trainer options out of range: Epochs ({o.Epochs}), Steps ({o.Steps?.ToString(CultureInfo.InvariantCulture) ?? "null"}) and BatchSize ({o.BatchSize}) must be at least 1, LearningRate ({o.LearningRate}) finite and above 0, Momentum ({o.Momentum}) finite and at least 0, MaxShift ({o.MaxShift}), Patience ({o.Patience}) and EvaluateEvery ({o.EvaluateEvery}) at least 0."), nameof(train));
        if (o.TimeBudget is { } budget && budget <= TimeSpan.Zero)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"TimeBudget must be above zero (got {budget.TotalSeconds} s): the budget is checked after each step, so a budget of zero or less would still train one step and stop. Use e.g. TimeSpan.FromSeconds(30), or null for no limit (Steps gives a budget that is the same on every machine)."), nameof(train));
        if (train.Count == 0 || test.Count == 0)
            throw new ArgumentException($"Training needs images in both sets; the training set has {train.Count} and the test set {test.Count}. Use Dataset.Take with a count of at least 1.", nameof(train));
    }

    private static bool GradientsFinite(List<TorchSharp.Modules.Parameter> parameters)
    {
        foreach (var p in parameters)
        {
            if (p.grad is { } g && !g.isfinite().all().item<bool>()) return false;
        }
        return true;
    }

    private static string Shape(Tensor t) => $"({string.Join(", ", t.shape)})";
}
