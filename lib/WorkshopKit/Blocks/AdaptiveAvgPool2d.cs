using TorchSharp;
using WorkshopKit.Costs;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>
/// Global average pooling, PyTorch's <c>nn.AdaptiveAvgPool2d(1)</c>: one mean per channel, turning C×H×W maps into
/// C×1×1 whatever the input size, so a classifier head fits any input size.
/// </summary>
/// <remarks>Taught in notebook 04 (pooling and upsampling); the zoo's networks end in it before the classifier.</remarks>
public sealed class AdaptiveAvgPool2d : Block
{
    /// <summary>Creates the layer (it has no parameters).</summary>
    /// <param name="outputSize">The output side; the course pools globally, so only 1 is supported (PyTorch's default use in classifiers).</param>
    /// <param name="name">Name in diagrams and error messages.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputSize"/> is not 1.</exception>
    public AdaptiveAvgPool2d(long outputSize = 1, string name = "global avg pool") : base(name)
    {
        if (outputSize != 1)
            throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize,
                $"{name}: this layer pools globally (output size 1), which is what the course's classifiers use. For another output size use TorchSharp's nn.AdaptiveAvgPool2d({outputSize}).");
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => input.mean([2, 3], keepdim: true);

    internal override Flow Trace(Flow input, TraceContext ctx)
    {
        var s = input.Shape;
        var output = new FeatureShape(s.Channels, 1, 1);
        return ctx.Layer(input, GetName(), $"global avg pool {s.Height}x{s.Width}→1x1", output, LayerCosts.GlobalAveragePool(s.Elements, output.Elements),
            input.Rows.ThenGlobal(s.Height), input.Columns.ThenGlobal(s.Width));
    }
}
