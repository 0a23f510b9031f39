using TorchSharp;
using WorkshopKit.Runtime;
using WorkshopKit.Training;
using static TorchSharp.torch;

namespace WorkshopKit.Precision;

/// <summary>
/// A two-layer perceptron (784 -> hidden -> 10) trained with every stored number on a low-precision grid, written out by
/// hand so each rounding is visible: the forward pass, the backward pass and the update are plain matrix products whose
/// results are rounded with the <see cref="Quantizer"/> (float32 accumulation, rounded results, as in Gupta et al. 2015).
/// With no quantizer it is the float32 baseline. The <see cref="Trainer"/> batches and evaluates it like any model.
/// </summary>
/// <remarks>First used in notebook 02 (Hardware and precision), section "2.4 Limited-precision training (saved results)" (through <see cref="PrecisionResults"/>).</remarks>
internal sealed class LowPrecisionMlp : IHandTrainedModel, IDisposable
{
    private readonly Quantizer? quantizer;

    /// <summary>Creates the network with small random weights (already rounded onto the grid).</summary>
    /// <param name="inputs">Input features (784 for 28x28 images).</param>
    /// <param name="hidden">Hidden units.</param>
    /// <param name="classes">Output classes.</param>
    /// <param name="quantizer">How every stored value is rounded; null trains in float32.</param>
    /// <param name="seed">Seed of the initial weights.</param>
    public LowPrecisionMlp(int inputs, int hidden, int classes, Quantizer? quantizer, long seed)
    {
        Guard.AtLeast(inputs, 1, nameof(inputs), "Pass the number of input features, 784 for 28x28 images.");
        Guard.AtLeast(hidden, 1, nameof(hidden), "Use at least one hidden unit (the saved results use 100).");
        Guard.AtLeast(classes, 2, nameof(classes), "A classifier needs at least two classes (10 for digits).");
        this.quantizer = quantizer;
        var g = new Generator((ulong)seed);
        // He-style scale for ReLU layers: keeps activations of order 1 so they fit a fixed-point range.
        W1 = Q(randn(hidden, inputs, generator: g).mul_(Math.Sqrt(2.0 / inputs)));
        B1 = zeros(hidden);
        W2 = Q(randn(classes, hidden, generator: g).mul_(Math.Sqrt(2.0 / hidden)));
        B2 = zeros(classes);
    }

    /// <summary>First layer weights (hidden x inputs).</summary>
    public Tensor W1 { get; }

    /// <summary>First layer biases.</summary>
    public Tensor B1 { get; }

    /// <summary>Second layer weights (classes x hidden).</summary>
    public Tensor W2 { get; }

    /// <summary>Second layer biases.</summary>
    public Tensor B2 { get; }

    /// <summary>Rounds a freshly computed float32 tensor in place (or leaves it alone in the float32 baseline).</summary>
    private Tensor Q(Tensor t) => quantizer is null ? t : quantizer.Quantize_(t);

    /// <summary>Class scores (logits) for a batch of flattened inputs, every layer output rounded.</summary>
    public Tensor Forward(Tensor x)
    {
        CheckInputs(x, nameof(x), flattened: true);
        using var scope = NewDisposeScope();
        Tensor h = Q(x.matmul(W1.t()).add_(B1)).relu_();
        return Q(h.matmul(W2.t()).add_(B2)).MoveToOuterDisposeScope();
    }

    /// <summary>One step of minibatch gradient descent with hand-written backpropagation; returns the batch's mean loss.</summary>
    /// <param name="images">Batch of inputs, any shape with the batch first (flattened here).</param>
    /// <param name="labels">Class indices (int64).</param>
    /// <param name="learningRate">Step size.</param>
    public float TrainStep(Tensor images, Tensor labels, double learningRate)
    {
        CheckInputs(images, nameof(images), flattened: false);
        ArgumentNullException.ThrowIfNull(labels);
        if (!(learningRate > 0 && double.IsFinite(learningRate)))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate,
                $"The learning rate must be a finite positive number, but learningRate = {learningRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}: NaN or infinity would make every weight NaN. Use e.g. 0.1.");
        long batch = images.shape[0];
        Guard.ClassLabels(labels, batch, W2.shape[0], nameof(labels));
        using var scope = NewDisposeScope();
        // Explicit scalars, disposed here: a number passed straight to an operation becomes a Scalar that only the garbage
        // collector frees, and TorchSharp 0.107 can let it be freed during the native call (environment.md, "implicit scalars").
        using Scalar batchSize = batch, zero = 0, rate = learningRate;
        Tensor x = Q(images.reshape(batch, -1).to_type(ScalarType.Float32).clone());

        // Forward: each product accumulates in float32, then its result is rounded onto the grid.
        Tensor z1 = Q(x.matmul(W1.t()).add_(B1));
        Tensor h1 = z1.relu();                          // ReLU keeps grid values on the grid
        Tensor z2 = Q(h1.matmul(W2.t()).add_(B2));
        Tensor logProbabilities = z2.log_softmax(1);
        float loss = nn.functional.nll_loss(logProbabilities, labels).item<float>();

        // Backward: gradient of the mean cross-entropy, rounded after every operation.
        Tensor dz2 = Q(logProbabilities.exp().sub_(nn.functional.one_hot(labels, z2.shape[1]).to_type(ScalarType.Float32)).div_(batchSize));
        Tensor dW2 = Q(dz2.t().matmul(h1));
        Tensor db2 = Q(dz2.sum(0L, false));
        Tensor dh1 = Q(dz2.matmul(W2));
        Tensor dz1 = dh1.mul_(z1.gt(zero));             // masking keeps grid values on the grid
        Tensor dW1 = Q(dz1.t().matmul(x));
        Tensor db1 = Q(dz1.sum(0L, false));

        // Update: the step itself is rounded, then the new weight (it can saturate).
        Update(W1, dW1, rate);
        Update(B1, db1, rate);
        Update(W2, dW2, rate);
        Update(B2, db2, rate);
        return loss;
    }

    private void Update(Tensor parameter, Tensor gradient, Scalar learningRate)
    {
        Tensor step = Q(gradient.mul_(learningRate));   // with round to nearest, steps below eps/2 vanish here
        Q(parameter.sub_(step));
    }

    /// <summary>Class scores for a batch of images (any shape with the batch first), the input rounded onto the grid as in training.</summary>
    public Tensor Predict(Tensor images)
    {
        CheckInputs(images, nameof(images), flattened: false);
        using var scope = NewDisposeScope();
        Tensor x = Q(images.reshape(images.shape[0], -1).to_type(ScalarType.Float32).clone());
        return Forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Inputs must be a non-empty float32 batch with W1's features per row: libtorch's matmul aborts the process
    /// (c10::Error) on a float64 batch and answers other mismatches with raw native text.
    /// </summary>
    private void CheckInputs(Tensor x, string name, bool flattened)
    {
        Guard.FloatingTensor(x, name, flattened ? [ScalarType.Float32] : []);
        if (x.dim() < 2 || x.shape[0] < 1)
            throw new ArgumentException($"{name} must be a batch (N, ...) with at least one row, but its shape is [{string.Join(", ", x.shape)}]. Add the batch dimension with unsqueeze(0).", name);
        long features = x.numel() / x.shape[0];
        if ((flattened && x.dim() != 2) || features != W1.shape[1])
            throw new ArgumentException(
                $"{name} must have {W1.shape[1]} features per row{(flattened ? " as (N, features)" : "")}, but its shape is [{string.Join(", ", x.shape)}] ({features} per row). " +
                "Pass images of the size the network was built for.", name);
        if (x.device.type != W1.device.type)
            throw new ArgumentException($"{name} is on {x.device} but the network is on {W1.device}. Move the batch with .to(torch.CPU).", name);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        W1.Dispose();
        B1.Dispose();
        W2.Dispose();
        B2.Dispose();
    }
}
