using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using WorkshopKit.Geometry;
using WorkshopKit.ReceptiveFields;
using WorkshopKit.Visuals;
using static TorchSharp.torch;

namespace WorkshopKit.Costs;

/// <summary>One leaf layer as seen during the profiled forward pass.</summary>
/// <param name="Name">Dotted module name, e.g. <c>features.0</c>.</param>
/// <param name="Type">Module type, e.g. <c>Conv2d</c>.</param>
/// <param name="InputShape">Shape of the input tensor.</param>
/// <param name="OutputShape">Shape of the output tensor.</param>
/// <param name="Parameters">Parameters the module owns.</param>
/// <param name="Cost">Counted cost, or null when the profiler cannot count this type (shown as "not counted").</param>
/// <param name="ReceptiveField">Receptive field of this layer's output on the model input (e.g. <c>5x5</c>), <c>global</c> after a dense layer, or <c>-</c> when not tracked.</param>
/// <param name="ActivationBytes">Memory of the output tensor in bytes.</param>
/// <param name="Remark">Why a column says "not counted" or "-" for this layer (null when every column has a value).</param>
/// <remarks>Comes with <see cref="ModelProfiler"/>, first used in notebook 05 (Collaborative filters: several filter sizes side by side), section "What each branch costs and sees".</remarks>
public sealed record LayerProfile(string Name, string Type, long[] InputShape, long[] OutputShape, long Parameters, LayerCost? Cost,
    string ReceptiveField, long ActivationBytes, string? Remark = null);
