using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using WorkshopKit.Geometry;
using WorkshopKit.ReceptiveFields;
using WorkshopKit.Visuals;
using static TorchSharp.torch;

namespace WorkshopKit.Costs;

/// <summary>A measured speed: how long a layer took and what rate of counted FLOPs that is.</summary>
/// <param name="Device">Where it ran.</param>
/// <param name="SecondsPerCall">Median wall time of one forward call.</param>
/// <param name="Flops">Exact counted FLOPs of one call (see <see cref="LayerCost.Flops"/>).</param>
/// <param name="FlopsAs2xMacs">FlopCounterMode-style FLOPs of one call.</param>
/// <remarks>Comes with <see cref="Throughput"/>, first used in notebook 00 (Setup: start here), section "Device and timing report".</remarks>
public sealed record ThroughputResult(string Device, double SecondsPerCall, long Flops, long FlopsAs2xMacs)
{
    /// <summary>Achieved GFLOP/s from the exact count.</summary>
    public double GflopsPerSecond => Flops / SecondsPerCall / 1e9;

    /// <summary>Achieved GFLOP/s from the 2 x MACs count (the figure vendor peak numbers are quoted in).</summary>
    public double GflopsPerSecondAs2xMacs => FlopsAs2xMacs / SecondsPerCall / 1e9;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Device}: {SecondsPerCall * 1e3:F3} ms per call, {GflopsPerSecond:F2} GFLOP/s exact, {GflopsPerSecondAs2xMacs:F2} GFLOP/s as 2xMACs");
}
