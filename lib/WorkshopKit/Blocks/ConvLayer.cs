using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Blocks;

/// <summary>How a convolution or pooling window treats the border of its input.</summary>
public enum PaddingKind
{
    /// <summary>No padding: the window only visits positions where it fits entirely (output = floor((in - k_eff) / s) + 1).</summary>
    Valid,

    /// <summary>TensorFlow's SAME: output = ceil(in / s); the needed zeros are split evenly and an odd extra one goes at the end (bottom/right).</summary>
    Same,

    /// <summary>A fixed number of zeros on every side, as in PyTorch's <c>padding=p</c>.</summary>
    Explicit,
}

/// <summary>A padding choice for <see cref="ConvLayer"/> and <see cref="Pool2d"/>: VALID, TensorFlow-style SAME for any stride, or explicit zeros.</summary>
/// <param name="Kind">Which rule applies.</param>
/// <param name="Amount">Zeros per side for <see cref="PaddingKind.Explicit"/>; ignored otherwise.</param>
public sealed record ConvPadding(PaddingKind Kind, long Amount = 0)
{
    /// <summary>No padding.</summary>
    public static ConvPadding Valid { get; } = new(PaddingKind.Valid);

    /// <summary>TensorFlow-style SAME (works for stride &gt; 1, unlike TorchSharp's <c>Padding.Same</c>).</summary>
    public static ConvPadding Same { get; } = new(PaddingKind.Same);

    /// <summary><paramref name="amount"/> zeros on each side.</summary>
    public static ConvPadding Zeros(long amount) => amount >= 0 ? new(PaddingKind.Explicit, amount)
        : throw new ArgumentOutOfRangeException(nameof(amount), amount, "Padding must be 0 or more zeros per side.");

    /// <summary>
    /// The zeros TensorFlow's SAME adds before and after one spatial axis: total = max((ceil(n/s) - 1)·s + k_eff - n, 0),
    /// half of it (rounded down) before and the rest after.
    /// </summary>
    public static (long Before, long After) SamePads(long size, long kernel, long stride, long dilation = 1)
    {
        long effective = dilation * (kernel - 1) + 1;
        long output = (size + stride - 1) / stride;
        long total = Math.Max((output - 1) * stride + effective - size, 0);
        return (total / 2, total - total / 2);
    }

    /// <summary>Output length of one axis under this padding.</summary>
    public long OutputSize(long size, long kernel, long stride, long dilation = 1)
    {
        long effective = dilation * (kernel - 1) + 1;
        return Kind switch
        {
            PaddingKind.Same => (size + stride - 1) / stride,
            PaddingKind.Valid => (size - effective) / stride + 1,
            _ => (size + 2 * Amount - effective) / stride + 1,
        };
    }

    /// <summary>Smallest input length this padding accepts for the kernel (SAME accepts any length of at least 1).</summary>
    public long MinimumSize(long kernel, long dilation = 1)
    {
        long effective = dilation * (kernel - 1) + 1;
        return Kind switch
        {
            PaddingKind.Same => 1,
            PaddingKind.Valid => effective,
            _ => Math.Max(1, effective - 2 * Amount),
        };
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        PaddingKind.Same => "SAME",
        PaddingKind.Valid => "VALID",
        _ => $"pad {Amount}",
    };
}

/// <summary>Nonlinearity applied after (or, in pre-activation blocks, before) a convolution.</summary>
public enum Activation
{
    /// <summary>No nonlinearity (a purely linear layer).</summary>
    None,
    /// <summary>max(0, x).</summary>
    Relu,
    /// <summary>x for x &gt; 0, 0.01·x otherwise.</summary>
    LeakyRelu,
    /// <summary>Exponential linear unit, the author's choice in his TensorFlow code.</summary>
    Elu,
    /// <summary>Gaussian error linear unit.</summary>
    Gelu,
}

/// <summary>Normalization applied to the feature maps.</summary>
public enum Normalization
{
    /// <summary>None.</summary>
    None,
    /// <summary>Batch normalization over (N, H, W) per channel.</summary>
    Batch,
}

/// <summary>
/// A convolution with WorkshopKit's padding modes, followed by optional normalization and activation
/// (or preceded by them when <c>preActivation</c> is set, as in pre-activation ResNets and DenseNets).
/// </summary>
public sealed class ConvLayer : Block
{
    private readonly nn.Module<Tensor, Tensor> conv;
    private readonly nn.Module<Tensor, Tensor>? norm;
    private readonly nn.Module<Tensor, Tensor>? act;
    private readonly bool symmetricSame;

    /// <summary>Builds the layer; the convolution has a bias only when no normalization follows it (a following norm would cancel it).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A channel count, kernel, stride or dilation is below 1.</exception>
    public ConvLayer(long inChannels, long outChannels, long kernel, long stride = 1, ConvPadding? padding = null, long dilation = 1,
        Normalization normalization = Normalization.None, Activation activation = Activation.Relu, bool preActivation = false, string? name = null)
        : base(name ?? $"conv{kernel}x{kernel}")
    {
        Positive(inChannels, nameof(inChannels));
        Positive(outChannels, nameof(outChannels));
        Positive(kernel, nameof(kernel));
        Positive(stride, nameof(stride));
        Positive(dilation, nameof(dilation));
        InChannels = inChannels;
        OutChannels = outChannels;
        Kernel = kernel;
        Stride = stride;
        Dilation = dilation;
        Padding = padding ?? ConvPadding.Same;
        Normalization = normalization;
        Activation = activation;
        PreActivation = preActivation;
        bool bias = normalization == Normalization.None || preActivation;
        // SAME with stride 1 and an odd effective kernel is symmetric: let the convolution pad by itself (no copy).
        long effective = dilation * (kernel - 1) + 1;
        symmetricSame = Padding.Kind == PaddingKind.Same && stride == 1 && effective % 2 == 1;
        long builtIn = Padding.Kind == PaddingKind.Explicit ? Padding.Amount : symmetricSame ? (effective - 1) / 2 : 0;
        conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: builtIn,
            dilation: dilation, bias: bias);
        if (normalization == Normalization.Batch) norm = nn.BatchNorm2d(preActivation ? inChannels : outChannels);
        act = MakeActivation(activation);
        RegisterComponents();
    }

    /// <summary>Channels the layer expects.</summary>
    public long InChannels { get; }
    /// <summary>Channels the layer produces.</summary>
    public long OutChannels { get; }
    /// <summary>Side of the square kernel.</summary>
    public long Kernel { get; }
    /// <summary>Step of the kernel in both directions.</summary>
    public long Stride { get; }
    /// <summary>Spacing between kernel taps (1 = ordinary convolution).</summary>
    public long Dilation { get; }
    /// <summary>The padding rule.</summary>
    public ConvPadding Padding { get; }
    /// <summary>The normalization used.</summary>
    public Normalization Normalization { get; }
    /// <summary>The activation used.</summary>
    public Activation Activation { get; }
    /// <summary>True when normalization and activation come before the convolution.</summary>
    public bool PreActivation { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Check(input);
        var x = input;
        if (PreActivation) x = Activate(Normalize(x));
        if (Padding.Kind == PaddingKind.Same && !symmetricSame)
        {
            var (top, bottom) = ConvPadding.SamePads(x.shape[2], Kernel, Stride, Dilation);
            var (left, right) = ConvPadding.SamePads(x.shape[3], Kernel, Stride, Dilation);
            if (top + bottom + left + right > 0) x = F.pad(x, [left, right, top, bottom]);
        }
        x = conv.call(x);
        if (!PreActivation) x = Activate(Normalize(x));
        return x;
    }

    private Tensor Normalize(Tensor x) => norm is null ? x : norm.call(x);

    private Tensor Activate(Tensor x) => act is null ? x : act.call(x);

    internal override Flow Walk(Flow input, TraceContext ctx)
    {
        var s = input.Shape;
        string name = GetName();
        if (s.Channels != InChannels)
            throw new BlockShapeException(name, $"{InChannels} input channels (input C x H x W = {InChannels}x{s.Height}x{s.Width})", $"{s.Channels} channels ({s})",
                $"give the layer inChannels: {s.Channels}, or feed it {InChannels}-channel maps");
        long min = Padding.MinimumSize(Kernel, Dilation);
        if (s.Height < min || s.Width < min)
            throw new BlockShapeException(name, $"maps of at least {min}x{min} for a {Kernel}x{Kernel} kernel (dilation {Dilation}) with {Padding} padding", $"{s}",
                "use SAME padding, fewer strided layers before this one, or a larger input");
        var output = new FeatureShape(OutChannels, Padding.OutputSize(s.Height, Kernel, Stride, Dilation), Padding.OutputSize(s.Width, Kernel, Stride, Dilation));
        long macs = output.Height * output.Width * OutChannels * InChannels * Kernel * Kernel;
        ctx.Record(name, s, output, ParameterCount, macs);
        string node = ctx.Node(Label());
        ctx.Edge(input.Node, node);
        return new Flow(output, input.Field.Then(Kernel, Stride, Dilation), node);
    }

    private string Label()
    {
        var parts = new List<string>();
        string extras = (Normalization == Normalization.Batch ? "BN " : "") + (Activation != Activation.None ? Activation.ToString() : "");
        if (PreActivation && extras.Length > 0) parts.Add(extras.Trim());
        string conv = $"conv {Kernel}x{Kernel}" + (Stride > 1 ? $" s{Stride}" : "") + (Dilation > 1 ? $" d{Dilation}" : "") + $" {Padding}, {InChannels}→{OutChannels}";
        parts.Add(conv);
        if (!PreActivation && extras.Length > 0) parts.Add(extras.Trim());
        return string.Join(" · ", parts);
    }

    internal static nn.Module<Tensor, Tensor>? MakeActivation(Activation activation) => activation switch
    {
        Activation.None => null,
        Activation.Relu => nn.ReLU(),
        Activation.LeakyRelu => nn.LeakyReLU(0.01),
        Activation.Elu => nn.ELU(),
        Activation.Gelu => nn.GELU(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation; use one of the Activation values."),
    };

    internal static void Positive(long value, string name)
    {
        if (value < 1) throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1 (got {value}).");
    }
}
