using TorchSharp;
using WorkshopKit.Costs;
using WorkshopKit.Geometry;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Blocks;

/// <summary>Enlarges feature maps by an integer factor without trainable weights (nearest or bilinear).</summary>
/// <remarks>Taught in notebook 04 (pooling and upsampling), section 2 "Upsampling".</remarks>
public sealed class Upsample2d : Block
{
    /// <summary>Builds the layer for a factor of at least 1.</summary>
    public Upsample2d(ResizeMode mode = ResizeMode.Nearest, long factor = 2, string? name = null)
        : base(name ?? $"upsample {mode.ToString().ToLowerInvariant()} x{factor}")
    {
        Require.Positive(factor, nameof(factor));
        Mode = Require.Defined(mode, nameof(mode));
        Factor = factor;
        RegisterComponents();
    }

    /// <summary>Nearest or bilinear.</summary>
    public ResizeMode Mode { get; }
    /// <summary>Scale of each spatial axis.</summary>
    public long Factor { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        long[] size = [input.shape[2] * Factor, input.shape[3] * Factor];
        return Mode == ResizeMode.Nearest
            ? F.interpolate(input, size: size, mode: InterpolationMode.Nearest)
            : F.interpolate(input, size: size, mode: InterpolationMode.Bilinear, align_corners: false);
    }

    internal override Flow Trace(Flow input, TraceContext ctx)
    {
        var s = input.Shape;
        var output = new FeatureShape(s.Channels, s.Height * Factor, s.Width * Factor);
        bool bilinear = Mode == ResizeMode.Bilinear;
        return ctx.Layer(input, GetName(), $"{Mode.ToString().ToLowerInvariant()} upsample x{Factor}", output, LayerCosts.Upsample(output.Elements, bilinear),
            input.Rows.ThenUpsample(Factor, bilinear), input.Columns.ThenUpsample(Factor, bilinear));
    }
}
