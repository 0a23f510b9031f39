using TorchSharp;
using WorkshopKit.Blocks;
using WorkshopKit.Exercises;
using static TorchSharp.torch;

namespace WorkshopKit.Tests.Exercises;

/// <summary>
/// The exercises in which the learner writes code (1.5: a training step; 6.4: a block's forward): the right code
/// passes, the placeholder gets a hint (never an exception, so attendee copies run top to bottom), and each usual
/// mistake gets the hint that names it.
/// </summary>
public class WrittenCodeExerciseTests
{
    private sealed class PreActivation(Func<Tensor, Tensor, Tensor> combine) : nn.Module<Tensor, Tensor>("pre-activation residual")
    {
        private readonly nn.Module<Tensor, Tensor> main = nn.Sequential(
            new ConvLayer(16, 16, 3, normalization: Normalization.Batch, preActivation: true),
            new ConvLayer(16, 16, 3, normalization: Normalization.Batch, preActivation: true));

        public PreActivation Registered()
        {
            RegisterComponents();
            return this;
        }

        public override Tensor forward(Tensor input) => combine(main.call(input), input);
    }

    [Fact]
    public void PreActivationForward()
    {
        Assert.True(Lesson06.CheckPreActivationForward(new PreActivation((f, x) => f + x).Registered()).Passed);
        var placeholder = Lesson06.CheckPreActivationForward(new PreActivation((f, x) => f).Registered());
        Assert.False(placeholder.Passed);
        Assert.Contains("F(x) alone", placeholder.Message, StringComparison.Ordinal);
        var relu = Lesson06.CheckPreActivationForward(new PreActivation((f, x) => nn.functional.relu(f + x)).Registered());
        Assert.False(relu.Passed);
        Assert.Contains("no ReLU after the sum", relu.Message, StringComparison.Ordinal);
        var wrongFields = Lesson06.CheckPreActivationForward(nn.Sequential(nn.Conv2d(16, 16, 3, padding: 1)));
        Assert.False(wrongFields.Passed);
        Assert.Contains("Keep the fields", wrongFields.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SgdStepByHand()
    {
        var right = Lesson01.CheckSgdStep((model, x, y, lr) =>
        {
            var loss = nn.functional.cross_entropy(model.call(x), y);
            model.zero_grad();
            loss.backward();
            using var noGrad = no_grad();
            foreach (var p in model.parameters()) p.sub_(lr * p.grad!);
        });
        Assert.True(right.Passed, right.Message);
        var placeholder = Lesson01.CheckSgdStep((model, x, y, lr) => { });
        Assert.False(placeholder.Passed);
        Assert.Contains("did not move", placeholder.Message, StringComparison.Ordinal);
        var uphill = Lesson01.CheckSgdStep((model, x, y, lr) =>
        {
            model.zero_grad();
            nn.functional.cross_entropy(model.call(x), y).backward();
            using var noGrad = no_grad();
            foreach (var p in model.parameters()) p.add_(lr * p.grad!);
        });
        Assert.Contains("do not add", uphill.Message, StringComparison.Ordinal);
        var accumulating = Lesson01.CheckSgdStep((model, x, y, lr) =>
        {
            nn.functional.cross_entropy(model.call(x), y).backward();
            using var noGrad = no_grad();
            foreach (var p in model.parameters()) p.sub_(lr * p.grad!);
        });
        Assert.Contains("zero_grad", accumulating.Message, StringComparison.Ordinal);
        var outsideNoGrad = Lesson01.CheckSgdStep((model, x, y, lr) =>
        {
            model.zero_grad();
            nn.functional.cross_entropy(model.call(x), y).backward();
            foreach (var p in model.parameters()) p.sub_(lr * p.grad!);
        });
        Assert.False(outsideNoGrad.Passed);
        Assert.Contains("no_grad", outsideNoGrad.Message, StringComparison.Ordinal);
        var noBackward = Lesson01.CheckSgdStep((model, x, y, lr) =>
        {
            using var noGrad = no_grad();
            foreach (var p in model.parameters()) p.sub_(lr * p.grad!);
        });
        Assert.False(noBackward.Passed);
    }
}
