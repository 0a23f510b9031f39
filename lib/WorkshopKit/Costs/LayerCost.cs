using System.Globalization;
using WorkshopKit.Visuals;

namespace WorkshopKit.Costs;

/// <summary>
/// The arithmetic cost of one layer under explicitly labelled conventions. A MAC is one multiply-add (a product
/// added into a sum); FLOPs count multiplications and additions separately. Two MAC numbers are kept because tools
/// disagree: <see cref="Macs"/> skips products with padding zeros (what the hardware would need at minimum), while
/// <see cref="MacsAllTaps"/> counts every kernel tap at every output (what fvcore, thop and PyTorch's FlopCounterMode count).
/// </summary>
/// <remarks>Taught in notebook 01 (convolutional layers), section 5 "What does it cost?"; used by every block's description.</remarks>
/// <param name="Kind">Layer type, e.g. <c>Conv2d</c>.</param>
/// <param name="Parameters">Trainable parameters (weights and biases).</param>
/// <param name="OutputElements">Elements of the output tensor (batch included).</param>
/// <param name="Macs">Multiply-adds that touch real input values only (padding taps excluded), bias excluded.</param>
/// <param name="MacsAllTaps">Multiply-adds counting every kernel tap, padding zeros included, bias excluded; for a transposed convolution: counted by input size.</param>
/// <param name="Additions">Additions needed to sum the real products of each output, bias additions included when there is a bias.</param>
/// <param name="BiasAdditions">Bias additions (one per output element when the layer has a bias).</param>
/// <param name="OtherFlops">Operations that are not multiply-adds: comparisons of max pooling, the scale and shift of batch norm, activations, interpolation.</param>
/// <param name="TorchinfoMultAdds">torchinfo's "mult-adds": every parameter (bias included) once per output position; null where torchinfo's rule does not apply.</param>
/// <param name="Note">How this layer was counted, in words.</param>
public sealed record LayerCost(string Kind, long Parameters, long OutputElements, long Macs, long MacsAllTaps,
    long Additions, long BiasAdditions, long OtherFlops, long? TorchinfoMultAdds, string Note) : IHtmlDisplay
{
    /// <summary>
    /// The cost of running this layer and then <paramref name="next"/> (e.g. a convolution, its batch norm and its
    /// activation as one block row): every count adds up; the output is the later layer's.
    /// </summary>
    public LayerCost Then(LayerCost next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return new LayerCost($"{Kind}+{next.Kind}", Parameters + next.Parameters, next.OutputElements, Macs + next.Macs, MacsAllTaps + next.MacsAllTaps,
            Additions + next.Additions, BiasAdditions + next.BiasAdditions, OtherFlops + next.OtherFlops,
            TorchinfoMultAdds is { } a && next.TorchinfoMultAdds is { } b ? a + b : TorchinfoMultAdds ?? next.TorchinfoMultAdds, $"{Note}; then {next.Note}");
    }

    /// <summary>Multiplications actually needed (one per real product).</summary>
    public long Multiplications => Macs;

    /// <summary>Exact FLOPs = multiplications + additions (bias included if present) + other operations.</summary>
    public long Flops => Multiplications + Additions + OtherFlops;

    /// <summary>FLOPs as PyTorch's FlopCounterMode reports them for convolutions and matrix products: 2 x <see cref="MacsAllTaps"/>; bias, pooling, normalization and activations ignored.</summary>
    public long FlopsAs2xMacs => 2 * MacsAllTaps;

    /// <summary>Share of the all-taps count that is real work (1 when no padding zero is multiplied).</summary>
    public double RealTapFraction => MacsAllTaps == 0 ? 1 : Macs / (double)MacsAllTaps;

    internal static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private HtmlTable Table() => new(["quantity", "value", "convention / tool"],
    [
        ["parameters", N(Parameters), "weights + biases (all tools)"],
        ["MACs (real taps)", N(Macs), "exact work, padding zeros skipped, bias excluded"],
        ["MACs (all taps)", N(MacsAllTaps), "fvcore, thop (conv), FlopCounterMode / 2"],
        ["FLOPs (mult + add)", N(Flops), "exact: multiplications + additions (+ bias) + other"],
        ["FLOPs (2 x MACs)", N(FlopsAs2xMacs), "PyTorch FlopCounterMode (bias ignored)"],
        ["torchinfo mult-adds", TorchinfoMultAdds is { } t ? N(t) : "n/a", "every parameter once per output position"],
    ], $"{Kind}: {Note}");

    /// <inheritdoc />
    public string ToHtml() => Table().ToHtml();

    /// <inheritdoc />
    public override string ToString() => Table().ToString();
}
