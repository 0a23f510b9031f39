using System.Diagnostics;
using System.Globalization;
using Plotly.NET;
using WorkshopKit.Geometry;
using WorkshopKit.MatrixViews;
using WorkshopKit.Visuals;
using static TorchSharp.torch;

namespace WorkshopKit.Costs;

/// <summary>One way of computing a convolution, timed.</summary>
/// <param name="Method">What was run (e.g. "dense W x").</param>
/// <param name="Device">Where it ran.</param>
/// <param name="SecondsPerCall">Fastest wall time of one call among the timed calls (other programs can only add time, so the minimum is the steadiest figure on a shared machine).</param>
/// <param name="FlopsPerformed">Arithmetic the method actually does, multiplications by zero included (2 per multiply-add).</param>
/// <param name="UsefulFlops">The convolution's exact FLOP count (<see cref="LayerCost.Flops"/>): the same for every method, so rates compare work done.</param>
/// <remarks>Comes with <see cref="ConvSpeed"/>, first used in notebook 02 (Hardware and precision), section "One convolution, computed five ways".</remarks>
public sealed record ConvSpeedRow(string Method, string Device, double SecondsPerCall, long FlopsPerformed, long UsefulFlops)
{
    /// <summary>Achieved rate of useful work: the convolution's exact FLOPs divided by the time.</summary>
    public double GflopsPerSecond => UsefulFlops / SecondsPerCall / 1e9;

    /// <summary>Rate of the arithmetic the method performs (higher than the useful rate when it multiplies zeros).</summary>
    public double PerformedGflopsPerSecond => FlopsPerformed / SecondsPerCall / 1e9;
}
