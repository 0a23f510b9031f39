using System.Globalization;
using Plotly.NET;
using TorchSharp;
using WorkshopKit.Blocks;
using WorkshopKit.Visuals;
using static TorchSharp.torch;

namespace WorkshopKit.Training;

/// <summary>Gradient norms from the input side to the output side of one network for one batch; shows as a table.</summary>
/// <param name="Model">The network's name.</param>
/// <param name="Quantity">What was differentiated with respect to (weights or step inputs).</param>
/// <param name="Norms">The norms, input side first.</param>
/// <param name="Loss">The mean cross-entropy loss of the batch.</param>
/// <remarks>First used in notebook 06 (Residual blocks: learning a correction instead of a whole new map), section "Why x + F(x) helps, in numbers".</remarks>
public sealed record GradientProfile(string Model, string Quantity, IReadOnlyList<GradientNorm> Norms, double Loss) : IHtmlDisplay
{
    /// <summary>The norm nearest the input: the one that vanishes first in a deep plain network.</summary>
    public double First => Norms[0].Norm;

    /// <summary>The norm nearest the output.</summary>
    public double Last => Norms[^1].Norm;

    /// <summary>The rows as a table.</summary>
    public HtmlTable ToTable() => new(["#", "where", "gradient norm"],
        Norms.Select(n => (IReadOnlyList<string>)[n.Index.ToString(CultureInfo.InvariantCulture), n.Where, n.Norm.ToString("0.000E+0", CultureInfo.InvariantCulture)]).ToList(),
        string.Create(CultureInfo.InvariantCulture, $"{Model}: gradient norms of the loss ({Loss:0.####}) with respect to {Quantity}"));

    /// <inheritdoc />
    public string ToHtml() => ToTable().ToHtml();

    /// <inheritdoc />
    public override string ToString() => ToTable().ToString();
}
