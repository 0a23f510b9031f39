using WorkshopKit.Runtime;
using static TorchSharp.torch;

namespace WorkshopKit.Costs;

/// <summary>Times a layer's forward pass and converts the counted FLOPs into an achieved rate.</summary>
/// <remarks>First used in notebook 00 (Setup: start here), section "Device and timing report".</remarks>
public static class Throughput
{
    /// <summary>Runs warm-up calls, then times <paramref name="iterations"/> calls (synchronizing CUDA around each) and reports the median (<see cref="Timing"/>).</summary>
    /// <exception cref="ArgumentException">The layer has no countable arithmetic, or iterations &lt; 1.</exception>
    public static ThroughputResult Measure(nn.Module<Tensor, Tensor> layer, Tensor input, int warmup = 3, int iterations = 10)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(input);
        if (iterations < 1) throw new ArgumentException($"iterations must be at least 1, got {iterations}.", nameof(iterations));
        var profile = ModelProfiler.Profile(layer, input);
        if (profile.Flops == 0)
            throw new ArgumentException($"The layer has no counted FLOPs (not counted: {string.Join(", ", profile.NotCounted)}); a rate cannot be computed.", nameof(layer));
        TimingResult timing;
        using (no_grad())
            timing = Timing.Measure(() => layer.call(input), input.device, warmup, iterations);
        return new ThroughputResult(input.device.ToString(), timing.MedianSeconds, profile.Flops, profile.FlopsAs2xMacs);
    }
}
