using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using WorkshopKit.Geometry;
using WorkshopKit.ReceptiveFields;
using WorkshopKit.Visuals;
using static TorchSharp.torch;

namespace WorkshopKit.Costs;

/// <summary>Times a layer's forward pass and converts the counted FLOPs into an achieved rate.</summary>
/// <remarks>First used in notebook 00 (Setup: start here), section "Device and timing report".</remarks>
public static class Throughput
{
    /// <summary>Runs warm-up calls, then times <paramref name="iterations"/> calls (synchronizing CUDA around each) and reports the median.</summary>
    /// <exception cref="ArgumentException">The layer has no countable arithmetic, or iterations &lt; 1.</exception>
    public static ThroughputResult Measure(nn.Module<Tensor, Tensor> layer, Tensor input, int warmup = 3, int iterations = 10)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(input);
        if (iterations < 1) throw new ArgumentException($"iterations must be at least 1, got {iterations}.", nameof(iterations));
        var profile = ModelProfiler.Profile(layer, input);
        if (profile.Flops == 0)
            throw new ArgumentException($"The layer has no counted FLOPs (not counted: {string.Join(", ", profile.NotCounted)}); a rate cannot be computed.", nameof(layer));
        bool cuda = input.device.type == DeviceType.CUDA;
        var times = new double[iterations];
        using (no_grad())
        {
            for (int i = 0; i < warmup + iterations; i++)
            {
                using var scope = NewDisposeScope();
                if (cuda) cuda_synchronize(input.device);
                var sw = Stopwatch.StartNew();
                layer.call(input);
                if (cuda) cuda_synchronize(input.device);
                if (i >= warmup) times[i - warmup] = sw.Elapsed.TotalSeconds;
            }
        }
        Array.Sort(times);
        return new ThroughputResult(input.device.ToString(), times[iterations / 2], profile.Flops, profile.FlopsAs2xMacs);
    }

    private static void cuda_synchronize(Device device) => torch.cuda.synchronize(device);
}
