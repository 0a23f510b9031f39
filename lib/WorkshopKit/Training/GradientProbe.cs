using System.Globalization;
using Plotly.NET;
using TorchSharp;
using WorkshopKit.Blocks;
using WorkshopKit.Runtime;
using WorkshopKit.Visuals;
using static TorchSharp.torch;

namespace WorkshopKit.Training;

/// <summary>
/// Measures how large the gradient of the loss is at each depth of a network for one batch, without touching the
/// parameters' <c>.grad</c> fields (it uses <c>torch.autograd.grad</c>). This is the number behind "deep plain networks
/// stop learning at the bottom": the gradient that reaches the first layer.
/// </summary>
/// <remarks>First used in notebook 06 (Residual blocks: learning a correction instead of a whole new map), section "The depth experiment".</remarks>
public static class GradientProbe
{
    /// <summary>Norm of the loss gradient with respect to every main-path convolution's weights (4-D, kernel larger than 1x1), in registration order (input side first).</summary>
    /// <exception cref="ArgumentException">The model has no 4-D parameters.</exception>
    public static GradientProfile WeightGradients(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        // Main-path convolutions only: 1x1 projection shortcuts are left out, so position n is the n-th convolution on the
        // way from the input in a plain and in a residual stack alike.
        var weights = model.named_parameters().Where(p => p.parameter.dim() == 4 && p.parameter.shape[2] * p.parameter.shape[3] > 1).ToList();
        if (weights.Count == 0)
            throw new ArgumentException($"{model.GetName()} has no convolution weights (4-D parameters) to measure; pass a convolutional network.", nameof(model));
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        var scores = model.call(images);
        Guard.ClassLabels(labels, images.shape[0], scores.shape[^1], nameof(labels));
        var loss = nn.functional.cross_entropy(scores, labels);
        var grads = autograd.grad([loss], weights.Select(w => (Tensor)w.parameter).ToList());
        var norms = grads.Select((g, i) => new GradientNorm(i, Shorten(weights[i].name), g.norm().item<float>())).ToList();
        return new GradientProfile(name ?? model.GetName(), "the convolution weights", norms, loss.item<float>());
    }

    /// <summary>
    /// Norm of the loss gradient with respect to the input of each step of <paramref name="model"/> (the image first,
    /// then the output of each block that feeds the next). In a residual stack these stay large all the way down. Each
    /// entry's <see cref="GradientNorm.Index"/> is the number of main-path convolutions before that input.
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
        Guard.ClassLabels(labels, images.shape[0], x.shape[^1], nameof(labels));
        var loss = nn.functional.cross_entropy(x, labels);
        var grads = autograd.grad([loss], inputs);
        // Index = main-path convolutions between the image and this input, so that one x position means the same depth in
        // a plain stack (one convolution per block) and a residual stack (two per block; 1x1 projection shortcuts not counted).
        var depths = new List<int>();
        int passed = 0;
        foreach (var step in model.Blocks)
        {
            depths.Add(passed);
            passed += step.parameters().Count(p => p.dim() == 4 && p.shape[2] * p.shape[3] > 1);
        }
        var norms = grads.Select((g, i) => new GradientNorm(depths[i], labelsOfInputs[i], g.norm().item<float>())).ToList();
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
