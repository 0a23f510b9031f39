using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using WorkshopKit.Geometry;
using WorkshopKit.ReceptiveFields;
using WorkshopKit.Visuals;
using static TorchSharp.torch;

namespace WorkshopKit.Costs;

/// <summary>Per-layer and total costs of one forward pass of a model, with the conventions spelled out.</summary>
/// <param name="Layers">Leaf layers in the order they ran.</param>
/// <param name="TotalParameters">All parameters of the model (each counted once).</param>
/// <remarks>Comes with <see cref="ModelProfiler"/>, first used in notebook 05 (Collaborative filters: several filter sizes side by side), section "What each branch costs and sees".</remarks>
public sealed record ModelProfile(IReadOnlyList<LayerProfile> Layers, long TotalParameters) : IHtmlDisplay
{
    /// <summary>Sum of exact MACs (padding taps excluded, bias excluded) over counted layers.</summary>
    public long Macs => Layers.Sum(l => l.Cost?.Macs ?? 0);

    /// <summary>Sum of all-taps MACs (the number fvcore and thop report) over counted layers.</summary>
    public long MacsAllTaps => Layers.Sum(l => l.Cost?.MacsAllTaps ?? 0);

    /// <summary>Sum of exact FLOPs (multiplications + additions + other operations) over counted layers.</summary>
    public long Flops => Layers.Sum(l => l.Cost?.Flops ?? 0);

    /// <summary>Sum of 2 x all-taps MACs (PyTorch FlopCounterMode's convention: only convolutions and matrix products count).</summary>
    public long FlopsAs2xMacs => Layers.Sum(l => l.Cost?.FlopsAs2xMacs ?? 0);

    /// <summary>Sum of output activation memory in bytes.</summary>
    public long ActivationBytes => Layers.Sum(l => l.ActivationBytes);

    /// <summary>Names of the layers the profiler could not count; their costs are missing from the totals.</summary>
    public IReadOnlyList<string> NotCounted => Layers.Where(l => l.Cost is null).Select(l => $"{l.Name} ({l.Type})").ToList();

    private HtmlTable Table()
    {
        var rows = Layers.Select(l => (IReadOnlyList<string>)[l.Name, l.Type, Shape(l.InputShape), Shape(l.OutputShape), LayerCost.N(l.Parameters),
            l.Cost is { } c ? LayerCost.N(c.Macs) : "not counted", l.Cost is { } c2 ? LayerCost.N(c2.Flops) : "not counted",
            l.ReceptiveField, Bytes(l.ActivationBytes)]).ToList();
        rows.Add(["total", "", "", "", LayerCost.N(TotalParameters), LayerCost.N(Macs), LayerCost.N(Flops), "", Bytes(ActivationBytes)]);
        string caption = "MACs: multiply-adds on real inputs (padding taps and bias excluded); FLOPs: multiplications + additions incl. bias + other ops. " +
            $"All-taps MACs (fvcore/thop): {LayerCost.N(MacsAllTaps)}; FlopCounterMode-style FLOPs: {LayerCost.N(FlopsAs2xMacs)}." +
            (NotCounted.Count > 0 ? $" Not counted: {string.Join(", ", NotCounted)}." : "") +
            string.Concat(Layers.Where(l => l.Remark is not null).Select(l => $" {l.Name}: {l.Remark}."));
        return new HtmlTable(["layer", "type", "input", "output", "params", "MACs", "FLOPs", "RF", "activation"], rows, caption);
    }

    private static string Shape(long[] s) => "[" + string.Join(", ", s) + "]";

    private static string Bytes(long b) => b >= 1 << 20 ? string.Create(CultureInfo.InvariantCulture, $"{b / 1048576.0:F2} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{b / 1024.0:F1} KiB");

    /// <inheritdoc />
    public string ToHtml() => Table().ToHtml();

    /// <inheritdoc />
    public override string ToString() => Table().ToString();
}
