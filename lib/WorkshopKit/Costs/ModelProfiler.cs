using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using WorkshopKit.Geometry;
using WorkshopKit.ReceptiveFields;
using WorkshopKit.Visuals;
using static TorchSharp.torch;

namespace WorkshopKit.Costs;

/// <summary>
/// Profiles any TorchSharp module with one forward pass: hooks on every leaf module (found with
/// <c>named_modules()</c>) record input and output shapes, and each known layer type is counted exactly.
/// TorchSharp runs hooks from <c>call()</c>, not <c>forward()</c>, so models must call their children with <c>call</c>.
/// </summary>
/// <remarks>First used in notebook 05 (Collaborative filters: several filter sizes side by side), section "What each branch costs and sees".</remarks>
public static class ModelProfiler
{
    /// <summary>Runs <paramref name="model"/> once on <paramref name="input"/> (without gradients) and returns the per-layer table.</summary>
    /// <remarks>The receptive-field column treats the leaves as a chain in execution order, which is right for Sequential models;
    /// for branching models describe the branches with <see cref="RfNode.Branches"/> instead.</remarks>
    public static ModelProfile Profile(nn.Module<Tensor, Tensor> model, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(model);
        var parameter = model.parameters().FirstOrDefault();
        Runtime.Guard.FloatingTensor(input, nameof(input), parameter is null ? [] : [parameter.dtype]);
        if (parameter is not null) Runtime.Guard.SameDtypeAndDevice(input, nameof(input), parameter, "the model's parameters");
        var leaves = model.named_modules().Where(m => !m.module.children().Any()).ToList();
        if (leaves.Count == 0) leaves.Add(("", model));
        var seen = new List<(string Name, nn.Module Module, long[] In, long[] Out, long Bytes)>();
        var removers = new List<Action>();
        try
        {
            foreach (var (name, module) in leaves)
            {
                if (module is not nn.Module<Tensor, Tensor> m) continue;
                string n = name;
                var handle = m.register_forward_hook((mod, x, y) =>
                {
                    seen.Add((n, mod, x.shape, y.shape, y.numel() * y.element_size()));
                    return y;
                });
                removers.Add(() => handle.remove());
            }
            using var scope = NewDisposeScope();
            using (no_grad()) model.call(input);
        }
        finally
        {
            foreach (var r in removers) r();
        }

        var layers = new List<LayerProfile>();
        var chain = new List<RfNode>();
        string rfState = Tracked;
        foreach (var (name, module, inShape, outShape, bytes) in seen)
        {
            long parameters = module.parameters(recurse: false).Sum(p => p.numel());
            var (cost, rf) = Count(module, inShape, outShape);
            string rfText;
            string? remark = cost is null ? $"no counting rule for {module.GetType().Name}" : null;
            if (rfState != Tracked) rfText = rfState;
            else switch (rf)
            {
                case RfStep.Global:
                    rfState = rfText = "global";
                    break;
                case RfStep.Untracked u:
                    rfState = rfText = "-";
                    remark = Join(remark, $"receptive field not tracked from here: {u.Reason}");
                    break;
                case RfStep.Layer when inShape.Length != 4:
                    rfState = rfText = "-";
                    remark = Join(remark, "receptive field not tracked from here: the input is not (N, C, H, W)");
                    break;
                case RfStep.Layer l:
                    chain.Add(l.Node);
                    try
                    {
                        var row = ReceptiveField.Row(name, new RfChain(chain.ToList()));
                        rfText = $"{row.Size.Height}x{row.Size.Width}";
                    }
                    catch (ArgumentException)
                    {
                        // PyTorch runs such a layer: the outputs that no tap reaches are the bias alone.
                        rfState = rfText = "-";
                        remark = Join(remark, "receptive field undefined from here: the stride skips some outputs, which receive no input (they are the bias)");
                    }
                    break;
                default:
                    rfText = "-";
                    break;
            }
            layers.Add(new LayerProfile(name, module.GetType().Name, inShape, outShape, parameters, cost, rfText, bytes, remark));
        }
        long total = model.parameters().Sum(p => p.numel());
        return new ModelProfile(layers, total);
    }

    /// <summary>The profile of a model on a float32 zero input of the given shape, created on <paramref name="device"/> (CPU by default; use the model's device).</summary>
    public static ModelProfile Profile(nn.Module<Tensor, Tensor> model, long[] inputShape, Device? device = null)
    {
        using var x = zeros(inputShape, device: device);
        return Profile(model, x);
    }

    private const string Tracked = "tracked";

    private static string Join(string? a, string b) => a is null ? b : $"{a}; {b}";

    /// <summary>What a layer does to the receptive-field chain.</summary>
    private abstract record RfStep
    {
        /// <summary>The layer maps positions as <paramref name="Node"/> says.</summary>
        internal sealed record Layer(RfNode Node) : RfStep;

        /// <summary>Every output sees the whole input from here on (a dense layer, flattening, global pooling).</summary>
        public sealed record Global : RfStep;

        /// <summary>The profiler cannot follow positions through this layer.</summary>
        internal sealed record Untracked(string Reason) : RfStep;
    }

    private static (LayerCost? Cost, RfStep Rf) Count(nn.Module module, long[] inShape, long[] outShape)
    {
        long elements = outShape.Aggregate(1L, (a, b) => a * b);
        switch (module)
        {
            case Convolution c when !c.transposed:
            {
                int dims = c.kernel_size.Length;
                var axes = new List<AxisGeometry>();
                for (int d = 0; d < dims; d++)
                {
                    ConvPadding pad = c.padding_type switch
                    {
                        TorchSharp.Padding.Same => ConvPadding.SamePyTorch,
                        TorchSharp.Padding.Valid => ConvPadding.Valid,
                        _ => ConvPadding.Symmetric((int)(c.padding?[d] ?? 0)),
                    };
                    axes.Add(ConvGeometry.Conv((int)inShape[2 + d], (int)c.kernel_size[d], (int)c.stride[d], pad, (int)c.dilation[d]));
                }
                var cost = LayerCosts.Conv(inShape[0], (int)c.in_channels, (int)c.out_channels, axes, (int)c.groups, c.bias is not null);
                if (c.padding_mode != PaddingModes.Zeros)
                    cost = cost with { Macs = cost.MacsAllTaps, Note = cost.Note + $"; padding mode {c.padding_mode}: padded values are real reads, all taps counted" };
                RfStep rf = dims == 2 ? new RfStep.Layer(RfLayer.FromGeometry(new Geometry2d(axes[0], axes[1]), "conv")) : new RfStep.Untracked($"a {dims}-D convolution");
                return (cost, rf);
            }
            case Convolution t:
            {
                int dims = t.kernel_size.Length;
                var axes = new List<AxisGeometry>();
                for (int d = 0; d < dims; d++)
                    axes.Add(TransposedAxis((int)inShape[2 + d], (int)outShape[2 + d], (int)t.kernel_size[d], (int)t.stride[d], (int)(t.padding?[d] ?? 0), (int)t.dilation[d]));
                var cost = LayerCosts.ConvTranspose(inShape[0], (int)t.in_channels, (int)t.out_channels, axes, (int)t.groups, t.bias is not null);
                RfStep rf = dims == 2 ? new RfStep.Layer(RfLayer.FromGeometry(new Geometry2d(axes[0], axes[1]), "convT")) : new RfStep.Untracked($"a {dims}-D transposed convolution");
                return (cost, rf);
            }
            case Linear l:
                return (LayerCosts.Linear(inShape.Aggregate(1L, (a, b) => a * b) / l.in_features, (int)l.in_features, (int)l.out_features, l.bias is not null), new RfStep.Global());
            case MaxPool2d p:
                return Pool2d(inShape, p.kernel_size, p.stride, p.padding, p.dilation, p.ceil_mode, PoolKind.Max);
            case AvgPool2d p:
                return Pool2d(inShape, p.kernel_size, p.stride, p.padding, [1, 1], p.ceil_mode, PoolKind.Average);
            case AdaptiveAvgPool2d:
                return (LayerCosts.GlobalAveragePool(inShape.Aggregate(1L, (a, b) => a * b), elements),
                    outShape.Length == 4 && outShape[2] == 1 && outShape[3] == 1 ? new RfStep.Global() : new RfStep.Untracked("adaptive pooling with bins larger than 1x1"));
            case BatchNorm:
                return (LayerCosts.BatchNorm(elements, (int)inShape[1]), new RfStep.Layer(RfLayer.Pointwise()));
            case ReLU or ReLU6 or LeakyReLU or Sigmoid or Tanh or GELU or SiLU or ELU or Hardtanh or Mish or Softplus:
                return (LayerCosts.Activation(module.GetType().Name, elements), new RfStep.Layer(RfLayer.Pointwise()));
            case Dropout or Dropout2d or Identity:
                return (LayerCosts.NoArithmetic(module.GetType().Name, elements), new RfStep.Layer(RfLayer.Pointwise()));
            case Flatten:
                return (LayerCosts.NoArithmetic("Flatten", elements), new RfStep.Global());
            case Upsample u:
            {
                bool bilinear = u.mode == UpsampleMode.Bilinear;
                RfStep rf = new RfStep.Untracked(bilinear ? "bilinear upsampling blends neighbours (no exact position map)" : "upsampling by a non-integer or unequal factor");
                if (!bilinear && u.mode == UpsampleMode.Nearest && inShape.Length == 4 && outShape[2] % inShape[2] == 0 && outShape[2] / inShape[2] == outShape[3] / inShape[3])
                    rf = new RfStep.Layer(RfLayer.NearestUpsample((int)(outShape[2] / inShape[2])));
                if (!bilinear && u.mode != UpsampleMode.Nearest) return (null, new RfStep.Untracked($"upsampling mode {u.mode}"));
                return (LayerCosts.Upsample(elements, bilinear), rf);
            }
            default:
                return (null, new RfStep.Untracked($"no position rule for {module.GetType().Name}"));
        }
    }

    /// <summary>
    /// The transposed geometry of one axis that produced <paramref name="output"/>: the module does not say which output
    /// padding it used, so each one PyTorch allows (below max(stride, dilation)) is tried.
    /// </summary>
    private static AxisGeometry TransposedAxis(int input, int output, int kernel, int stride, int padding, int dilation)
    {
        for (int op = 0; op < Math.Max(stride, dilation); op++)
        {
            AxisGeometry axis;
            try
            {
                axis = ConvGeometry.ConvTranspose(input, kernel, stride, padding, dilation, op);
            }
            catch (ArgumentException)
            {
                continue;   // this output padding leaves no output; a larger one may not
            }
            if (axis.Output == output) return axis;
        }
        throw new InvalidOperationException($"No output padding makes a transposed convolution (input {input}, kernel {kernel}, stride {stride}, padding {padding}, dilation {dilation}) produce {output} positions.");
    }

    private static (LayerCost?, RfStep) Pool2d(long[] inShape, long[] kernel, long[]? stride, long[]? padding, long[]? dilation, bool ceil, PoolKind kind)
    {
        long K(long[]? a, int i, long fallback) => a is null || a.Length == 0 ? fallback : a[Math.Min(i, a.Length - 1)];
        var axes = new List<AxisGeometry>();
        for (int d = 0; d < 2; d++)
            axes.Add(ConvGeometry.Pool((int)inShape[2 + d], (int)K(kernel, d, 1), (int)K(stride, d, K(kernel, d, 1)), (int)K(padding, d, 0), (int)K(dilation, d, 1), ceil));
        return (LayerCosts.Pool(inShape[0], (int)inShape[1], axes, kind), new RfStep.Layer(RfLayer.FromGeometry(new Geometry2d(axes[0], axes[1]), "pool")));
    }
}
