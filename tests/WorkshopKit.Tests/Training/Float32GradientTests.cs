using TorchSharp;
using WorkshopKit.Runtime;
using Xunit;
using static TorchSharp.torch;

namespace WorkshopKit.Tests.Training;

/// <summary>
/// A training loop in float32, as the notebooks train, whose every gradient is compared with float64 on the same weights
/// and batch: the check that failed on the Zen 5 VM before the cure (first-layer gradients off by up to 23 %, NaN in
/// some steps). Written with plain TorchSharp modules, so it tests libtorch under the kit's start-up, not the kit's blocks.
/// </summary>
[Collection(Runtime.ConvolutionSwitchCollection.Name)]
public class Float32GradientTests
{
    /// <summary>
    /// Largest accepted gradient error relative to the float64 gradient's largest magnitude. Correct float32 kernels
    /// were within 6e-4 in this comparison on both AMD hosts measured (the investigation's worst, a weight gradient
    /// summed over 64 images after batch norm); the defect was off by 0.1 to 0.23 or NaN. 2e-3 sits between with a
    /// 3x margin to the correct side.
    /// </summary>
    private const double Tolerance = 2e-3;

    private static nn.Module<Tensor, Tensor> SmallCnn(ScalarType dtype)
    {
        manual_seed(3);
        // 8 and 20 output channels: not multiples of oneDNN's AVX-512 block (16), the counts that came back wrong.
        var model = nn.Sequential(
            ("c1", nn.Conv2d(1, 8, 3, padding: 1, bias: false)), ("b1", nn.BatchNorm2d(8)), ("r1", nn.ReLU()), ("p1", nn.MaxPool2d(2)),
            ("c2", nn.Conv2d(8, 20, 3, padding: 1, bias: false)), ("b2", nn.BatchNorm2d(20)), ("r2", nn.ReLU()), ("p2", nn.MaxPool2d(2)),
            ("f", nn.Flatten()), ("fc", nn.Linear(20 * 7 * 7, 10)));
        return model.to(dtype);
    }

    [Fact]
    public void EveryFloat32GradientOfAnEightAndTwentyChannelCnnMatchesFloat64DuringTraining()
    {
        TorchRuntime.Initialize();
        var model32 = SmallCnn(ScalarType.Float32);
        var model64 = SmallCnn(ScalarType.Float64);
        var optimizer = optim.Adam(model32.parameters(), 3e-3);
        var generator = new Generator(17, CPU);
        var worst = new List<string>();
        for (int step = 0; step < 20; step++)
        {
            using var scope = NewDisposeScope();
            var x = rand([64, 1, 28, 28], generator: generator);
            var y = randint(0, 10, [64], generator: generator);
            // The float64 copy takes the float32 weights, so both compute the gradient at the same point.
            using (no_grad())
                foreach (var ((_, p64), (_, p32)) in model64.named_parameters().Zip(model32.named_parameters())) p64.copy_(p32);
            optimizer.zero_grad();
            model64.zero_grad();
            nn.functional.cross_entropy(model32.call(x), y).backward();
            nn.functional.cross_entropy(model64.call(x.to(ScalarType.Float64)), y).backward();
            foreach (var ((name, p32), (_, p64)) in model32.named_parameters().Zip(model64.named_parameters()))
            {
                double error = ConvSelfCheck.RelativeError(p32.grad!, p64.grad!);
                if (!(error <= Tolerance)) worst.Add($"step {step}, {name}: {error:0.0e0}");
            }
            optimizer.step();
        }
        Assert.True(worst.Count == 0, $"float32 gradients off by more than {Tolerance:0e0} (backend {TorchRuntime.Report!.ConvolutionBackend}): {string.Join("; ", worst)}");
    }
}
