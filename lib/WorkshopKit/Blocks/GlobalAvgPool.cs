using TorchSharp;
using WorkshopKit.Costs;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>Global average pooling: one mean per channel, turning C×H×W maps into C×1×1 whatever the input size.</summary>
/// <remarks>Taught in notebook 06 (residual blocks), where the zoo's networks end in it before the classifier.</remarks>
public sealed class GlobalAvgPool : Block
{
    /// <summary>Creates the layer (it has no parameters).</summary>
    public GlobalAvgPool(string name = "global avg pool") : base(name) => RegisterComponents();

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
