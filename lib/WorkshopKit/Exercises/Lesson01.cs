using System.Runtime.InteropServices;
using static TorchSharp.torch;
using WorkshopKit.Costs;
using WorkshopKit.Geometry;
using WorkshopKit.ReceptiveFields;

namespace WorkshopKit.Exercises;

/// <summary>
/// Check cells of notebook 01 (convolutional layers). Each expected answer is computed with the library for the
/// setting the exercise describes, so the notebook never shows it; the hints name the mistakes people usually make.
/// </summary>
public static class Lesson01
{
    /// <summary>Exercise 1.1 setting: a 5x5 kernel with stride 2 and no padding on a 28x28 image.</summary>
    public const int OutputSideInput = 28, OutputSideKernel = 5, OutputSideStride = 2;

    /// <summary>Exercise 1.2 setting: a 5x5 convolution from 32 to 64 channels, with bias.</summary>
    public const int ParameterKernel = 5, ParameterInChannels = 32, ParameterOutChannels = 64;

    /// <summary>Exercise 1.3 setting: the slide's rule of thumb for a first layer: 5x5 filters on a 32x32 RGB image (3 channels) giving 64 channels.</summary>
    public const int FlopsKernel = 5, FlopsSide = 32, FlopsInChannels = 3, FlopsOutChannels = 64;

    /// <summary>Exercise 1.1: side of the output (it is square).</summary>
    public static ExerciseResult CheckOutputSide(long answer)
    {
        int input = OutputSideInput, k = OutputSideKernel, s = OutputSideStride;
        long expected = ConvGeometry.Conv(input, k, s).Output;
        return Exercise.Check("1.1", answer, expected,
            $"floor(({input} - {k}) / {s}) + 1 = {expected}: the window starts at 0, {s}, {2 * s}, ... as long as it still fits.",
            $"Count the start positions of the window: it must fit entirely inside the {input} pixels, and it moves {s} pixels at a time.",
            new Hint<long>(a => a == 0, "Replace the placeholder 0 with your answer; an arithmetic expression in the sizes works too, such as (28 - 3) / 1 + 1 for a 3x3 filter with stride 1."),
            new Hint<long>(a => a == input - k + 1, $"That is the stride-1 answer: with stride {s} the window skips every other start position."),
            new Hint<long>(a => a == (input - k) / s, "Almost: you counted the steps between start positions; add the first position (+1)."),
            new Hint<long>(a => a == input / s || a == (input + s - 1) / s, $"That is the SAME-padding size ceil({input}/{s}); here there is no padding, so the window cannot hang over the edge."),
            new Hint<long>(a => a == (input - k + 1 + s - 1) / s + 1 || a == (input - k) / s + 2, "One too many: the last start position must leave room for the whole 5-pixel window."));
    }

    /// <summary>Exercise 1.2: trainable parameters of the layer (weights and biases).</summary>
    public static ExerciseResult CheckParameterCount(long answer)
    {
        int k = ParameterKernel, n = ParameterInChannels, m = ParameterOutChannels;
        long weights = (long)k * k * m * n;
        var g = ConvGeometry.Conv2d((k, k), (k, k));
        long expected = LayerCosts.Conv(1, n, m, [g.Height, g.Width], 1, bias: true).Parameters;
        return Exercise.Check("1.2", answer, expected,
            $"k^2 M N + M = {weights:N0} weights + {m} biases. Check it on a real layer: nn.Conv2d({n}, {m}, {k}) has the same count.",
            "Each of the M output channels has one k x k filter per input channel, plus one bias.",
            new Hint<long>(a => a == 0, "Replace the placeholder 0 with your answer, e.g. an expression in k, M and N."),
            new Hint<long>(a => a == weights, "You counted the weights; each output channel also has a bias."),
            new Hint<long>(a => a == weights + n, "One bias per OUTPUT channel, not per input channel."),
            new Hint<long>(a => a == weights + (long)m * n, "There is one bias per output channel, not one per filter."),
            new Hint<long>(a => a == (long)k * k * m + m || a == (long)k * k * n + n || a == (long)k * k + 1, "A filter exists for every (input channel, output channel) pair: multiply by both N and M."),
            new Hint<long>(a => a == 2L * k * m * n + m, "A k x k filter has k^2 weights, not 2k."));
    }

    /// <summary>Exercise 1.3: FLOPs by the slide's rule of thumb 2 k^2 R^2 M N.</summary>
    public static ExerciseResult CheckRuleOfThumbFlops(long answer)
    {
        int k = FlopsKernel, r = FlopsSide, n = FlopsInChannels, m = FlopsOutChannels;
        long expected = LayerCosts.RuleOfThumbFlops(k, r, m, n);
        return Exercise.Check("1.3", answer, expected,
            $"2 k^2 R^2 M N = 2 x {k * k} x {r * r} x {m} x {n} = {expected:N0}: about one multiplication and one addition per tap, output position and channel pair.",
            "Per channel pair the filter's k^2 taps are used at about R^2 positions, once to multiply and once to add; then multiply by the number of channel pairs.",
            new Hint<long>(a => a == 0, "Replace the placeholder 0 with your answer; write it as a product of the sizes (start with 2L so it is computed in 64 bits)."),
            new Hint<long>(a => a * 2 == expected, "Half of it: count the additions as well as the multiplications (the factor 2)."),
            new Hint<long>(a => a == 2L * k * k * r * m * n || a == 2L * k * r * r * m * n, "Both the filter and the image are two-dimensional: square k and square R."),
            new Hint<long>(a => a == 2L * k * k * r * r * m || a == 2L * k * k * r * r * n || a == 2L * k * k * r * r * (m + n), "Every input channel meets every output channel: multiply by M and by N."));
    }

    /// <summary>The stack of exercise 1.4, input side first: 3x3 stride 1, 3x3 stride 2, 5x5 stride 1.</summary>
    public static RfNode ReceptiveFieldStack() =>
        RfNode.Chain(RfLayer.Conv(3, 1, name: "conv3x3/s1"), RfLayer.Conv(3, 2, name: "conv3x3/s2"), RfLayer.Conv(5, 1, name: "conv5x5/s1"));

    /// <summary>Exercise 1.4: side of the receptive field of one output unit of <see cref="ReceptiveFieldStack"/>.</summary>
    public static ExerciseResult CheckReceptiveField(long answer)
    {
        long expected = ReceptiveField.Analyze(ReceptiveFieldStack()).Final.Size.Height;
        return Exercise.Check("1.4", answer, expected,
            $"{expected}: start from one output unit and go back: 5 -> (5 - 1) x 2 + 3 = 11 -> 11 - 1 + 3 = {expected}. Layers after a stride count double.",
            "Walk backwards from one output unit: a k x k layer with stride s turns a field of size r into (r - 1) s + k.",
            new Hint<long>(a => a == 0, "Replace the placeholder 0 with your answer."),
            new Hint<long>(a => a == 1 + 2 + 2 + 4, "You ignored the stride: after the stride-2 layer, one step of the 5x5 layer moves 2 input pixels."),
            new Hint<long>(a => a == 3 + 3 + 5, "Adding kernel sizes double-counts: neighbouring windows overlap, each layer adds k - 1 (times the stride below it)."),
            new Hint<long>(a => a == 3 * 3 * 5, "Multiplying kernel sizes overshoots: windows overlap, each layer adds (k - 1) times the product of the strides below it."),
            new Hint<long>(a => a == 1 + 2 * 2 + 2 * 2 + 4 * 2, "Too much doubling: only layers AFTER the stride-2 layer move 2 input pixels per step; the first two layers' k - 1 count once."),
            new Hint<long>(a => a == 1 + 2 + 2 * 2 + 4 * 2, "The stride-2 layer's own window is still on stride-1 positions: its k - 1 counts once, only the 5x5 layer after it counts double."));
    }

    /// <summary>
    /// Exercise 1.5: the learner writes one training step of plain gradient descent by hand (the loss, fresh gradients,
    /// backward, then every parameter moved by -learningRate x its gradient): what <c>optimizer.step()</c> does for SGD.
    /// It runs three times on a small CNN and a fixed batch; the reference is the same three steps taken by TorchSharp's
    /// own <c>optim.SGD</c> from the same starting weights.
    /// </summary>
    public static ExerciseResult CheckSgdStep(Action<nn.Module<Tensor, Tensor>, Tensor, Tensor, double> trainingStep)
    {
        ArgumentNullException.ThrowIfNull(trainingStep);
        const double learningRate = 0.05;
        using var scope = NewDisposeScope();
        manual_seed(15);
        var images = rand(8, 1, 28, 28);
        var labels = randint(0, 10, [8]);
        // One set of starting weights, copied into every run: reseeding per run would race with other code that draws
        // from the global generator on another thread.
        manual_seed(1);
        using var initial = Blocks.ModelZoo.PlainCnn();
        var startWeights = initial.parameters().Select(p => p.detach().clone()).ToArray();
        Tensor[] Weights(Action<nn.Module<Tensor, Tensor>> step)
        {
            using var model = Blocks.ModelZoo.PlainCnn();
            using (no_grad())
                foreach (var (p, w) in model.parameters().Zip(startWeights)) p.copy_(w);
            model.train();
            for (int i = 0; i < 3; i++) step(model);
            return model.parameters().Select(p => p.detach().clone()).ToArray();
        }
        Tensor[] WithSgd(bool zeroGrad, bool uphill = false) => Weights(m =>
        {
            using var sgd = optim.SGD(m.parameters(), learningRate, maximize: uphill);
            if (zeroGrad) sgd.zero_grad();
            nn.functional.cross_entropy(m.call(images), labels).backward();
            sgd.step();
        });
        var start = Weights(m => { });
        var expected = WithSgd(zeroGrad: true);
        var accumulated = WithSgd(zeroGrad: false);
        var uphill = WithSgd(zeroGrad: true, uphill: true);
        Tensor[] actual;
        try
        {
            actual = Weights(m => trainingStep(m, images, labels, learningRate));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ExternalException or NullReferenceException)
        {
            string hint = e.Message.Contains("in-place", StringComparison.Ordinal) || e.Message.Contains("leaf", StringComparison.Ordinal)
                ? "Autograd refuses to change a weight in place while it records: do the update inside `using var noGrad = torch.no_grad();`."
                : e is NullReferenceException
                    ? "A parameter has no gradient yet (p.grad is null): call backward on the loss before the update."
                    : $"The step threw: {e.Message}";
            return Exercise.Check("1.5", "error", "same", "", hint);
        }
        static bool Same(Tensor[] a, Tensor[] b) => a.Zip(b).All(p => p.First.allclose(p.Second, rtol: 1e-4, atol: 1e-6));
        string diagnosis = Same(actual, expected) ? "same"
            : Same(actual, start) ? "unchanged"
            : Same(actual, accumulated) ? "no zero_grad"
            : Same(actual, uphill) ? "uphill"
            : "other";
        return Exercise.Check("1.5", diagnosis, "same",
            "That is exactly what optim.SGD's step does: w <- w - learning rate x gradient, for every weight. Adam, used in the loop above, only chooses a smarter step size per weight.",
            "Compute the cross-entropy of model.call(images) against labels, zero the model's gradients, call backward, then subtract learningRate * p.grad from every parameter p inside torch.no_grad().",
            new Hint<string>(d => d == "unchanged", "The weights did not move: call backward on the loss (which fills p.grad) and then change every parameter, e.g. p.sub_(learningRate * p.grad)."),
            new Hint<string>(d => d == "no zero_grad", "Gradients add up from one call to the next: call model.zero_grad() before backward in every step."),
            new Hint<string>(d => d == "uphill", "The weights moved up the gradient, which makes the loss larger: subtract learningRate x gradient, do not add it."));
    }
}
