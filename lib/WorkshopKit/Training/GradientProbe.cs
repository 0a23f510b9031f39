using System.Globalization;
using Plotly.NET;
using TorchSharp;
using WorkshopKit.Blocks;
using WorkshopKit.Visuals;
using static TorchSharp.torch;

namespace WorkshopKit.Training;

/// <summary>The size of one gradient inside a network: where it was measured and its Euclidean norm.</summary>
/// <param name="Index">Position from the input side, from 0.</param>
/// <param name="Where">The parameter or the step whose input it belongs to.</param>
/// <param name="Norm">Euclidean (L2) norm of the gradient of the loss.</param>
public sealed record GradientNorm(int Index, string Where, double Norm);

/// <summary>Gradient norms from the input side to the output side of one network for one batch; shows as a table.</summary>
/// <param name="Model">The network's name.</param>
/// <param name="Quantity">What was differentiated with respect to (weights or step inputs).</param>
/// <param name="Norms">The norms, input side first.</param>
/// <param name="Loss">The mean cross-entropy loss of the batch.</param>
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

/// <summary>
/// Measures how large the gradient of the loss is at each depth of a network for one batch, without touching the
/// parameters' <c>.grad</c> fields (it uses <c>torch.autograd.grad</c>). This is the number behind "deep plain networks
/// stop learning at the bottom": the gradient that reaches the first layer.
/// </summary>
public static class GradientProbe
{
    /// <summary>Norm of the loss gradient with respect to every convolution weight (4-D parameter), in registration order (input side first).</summary>
    /// <exception cref="ArgumentException">The model has no 4-D parameters.</exception>
    public static GradientProfile WeightGradients(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var weights = model.named_parameters().Where(p => p.parameter.dim() == 4).ToList();
        if (weights.Count == 0)
            throw new ArgumentException($"{model.GetName()} has no convolution weights (4-D parameters) to measure; pass a convolutional network.", nameof(model));
        using var scope = NewDisposeScope();
        var loss = nn.functional.cross_entropy(model.call(images), labels);
        var grads = autograd.grad([loss], weights.Select(w => (Tensor)w.parameter).ToList());
        var norms = grads.Select((g, i) => new GradientNorm(i, Shorten(weights[i].name), g.norm().item<float>())).ToList();
        return new GradientProfile(name ?? model.GetName(), "the convolution weights", norms, loss.item<float>());
    }

    /// <summary>
    /// Norm of the loss gradient with respect to the input of each step of <paramref name="model"/> (the image first,
    /// then the output of each block that feeds the next). In a residual stack these stay large all the way down.
    /// </summary>
    public static GradientProfile InputGradients(BlockSequence model, Tensor images, Tensor labels, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        var x = images.detach().clone().requires_grad_(true);
        var inputs = new List<Tensor>();
        var labelsOfInputs = new List<string>();
        foreach (var step in model.Blocks)
        {
            inputs.Add(x);
            labelsOfInputs.Add($"input of {step.GetName()}");
            x = step.call(x);
        }
        var loss = nn.functional.cross_entropy(x, labels);
        var grads = autograd.grad([loss], inputs);
        var norms = grads.Select((g, i) => new GradientNorm(i, labelsOfInputs[i], g.norm().item<float>())).ToList();
        return new GradientProfile(name ?? model.GetName(), "the input of each step", norms, loss.item<float>());
    }

    /// <summary>A line chart of one or more profiles on a logarithmic axis (a gradient that shrinks by the same factor per layer is a straight line).</summary>
    public static GenericChart Chart(string title, string xTitle, params GradientProfile[] profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        if (profiles.Length == 0) throw new ArgumentException("Give at least one gradient profile to plot.", nameof(profiles));
        var traces = profiles.Select(p => PlotlyFigure.Trace("scatter", new Dictionary<string, object?>
        {
            ["x"] = p.Norms.Select(n => n.Index).ToArray(),
            ["y"] = p.Norms.Select(n => n.Norm).ToArray(),
            ["text"] = p.Norms.Select(n => n.Where).ToArray(),
            ["mode"] = "lines+markers",
            ["name"] = p.Model,
            ["hovertemplate"] = "%{text}: %{y:.3e}<extra>" + p.Model + "</extra>",
        }));
        return PlotlyFigure.Chart(traces, new Dictionary<string, object?>
        {
            ["title"] = new Dictionary<string, object?> { ["text"] = title },
            ["xaxis"] = new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["text"] = xTitle } },
            ["yaxis"] = new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["text"] = "gradient norm (L2, log scale)" }, ["type"] = "log", ["exponentformat"] = "power" },
            ["width"] = 720,
            ["height"] = 420,
        });
    }

    private static string Shorten(string parameterName) =>
        parameterName.EndsWith(".weight", StringComparison.Ordinal) ? parameterName[..^".weight".Length] : parameterName;
}
