using TorchSharp;
using WorkshopKit.Costs;
using WorkshopKit.Geometry;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Blocks;

/// <summary>
/// A convolution with everything <c>nn.Conv2d</c> accepts (rectangular kernels, per-axis stride, padding and dilation,
/// groups, bias on or off) plus WorkshopKit's padding rules, followed by optional normalization and activation (or
/// preceded by them when <c>preActivation</c> is set, as in pre-activation ResNets and DenseNets).
/// </summary>
/// <remarks>Taught in notebook 04 (pooling and upsampling), section 1 "A strided convolution shrinks too"; the blocks of notebooks 05 to 07 are built from it.</remarks>
public sealed class ConvLayer : Block
{
    private readonly TorchSharp.Modules.Conv2d conv;
    private readonly nn.Module<Tensor, Tensor>? norm;
    private readonly nn.Module<Tensor, Tensor>? act;
    private readonly bool padsItself;

    /// <summary>A square convolution: the same kernel, stride, padding and dilation along both axes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A channel count, kernel, stride or dilation is below 1.</exception>
    /// <exception cref="ArgumentException">PyTorch's SAME with a stride above 1.</exception>
    public ConvLayer(long inChannels, long outChannels, long kernel, long stride = 1, ConvPadding? padding = null, long dilation = 1,
        Normalization normalization = Normalization.None, Activation activation = Activation.Relu, bool preActivation = false, string? name = null)
        : this(inChannels, outChannels, (kernel, kernel), (stride, stride), padding is null ? null : (padding, padding), (dilation, dilation),
            1, null, normalization, activation, preActivation, name ?? $"conv{kernel}x{kernel}")
    {
    }

    /// <summary>
    /// A convolution with <c>nn.Conv2d</c>'s arguments per axis (height, width). The bias defaults to on when no
    /// normalization follows the convolution (a following norm would cancel it) and can be set either way.
    /// </summary>
    /// <param name="inChannels">Channels the layer expects.</param>
    /// <param name="outChannels">Channels the layer produces.</param>
    /// <param name="kernel">Kernel size (height, width), PyTorch's <c>kernel_size</c>.</param>
    /// <param name="stride">Step per axis; (1, 1) when null.</param>
    /// <param name="padding">Padding rule per axis; TensorFlow's SAME on both when null.</param>
    /// <param name="dilation">Spacing of the taps per axis; (1, 1) when null.</param>
    /// <param name="groups">Channel groups (1 = ordinary, inChannels = depthwise); must divide both channel counts.</param>
    /// <param name="bias">Whether the convolution adds a bias; null: only when no normalization follows it.</param>
    /// <param name="normalization">Normalization after (or before, with <paramref name="preActivation"/>) the convolution.</param>
    /// <param name="activation">Activation after the normalization.</param>
    /// <param name="preActivation">Normalize and activate before the convolution instead of after.</param>
    /// <param name="name">Name in diagrams and error messages.</param>
    /// <exception cref="ArgumentOutOfRangeException">A channel count, kernel, stride or dilation is below 1.</exception>
    /// <exception cref="ArgumentException">Groups that do not divide the channels, or PyTorch's SAME with a stride above 1.</exception>
    public ConvLayer(long inChannels, long outChannels, (long Height, long Width) kernel, (long Height, long Width)? stride = null,
        (ConvPadding Height, ConvPadding Width)? padding = null, (long Height, long Width)? dilation = null, long groups = 1, bool? bias = null,
        Normalization normalization = Normalization.None, Activation activation = Activation.Relu, bool preActivation = false, string? name = null)
        : base(name ?? $"conv{kernel.Height}x{kernel.Width}")
    {
        Require.Positive(inChannels, nameof(inChannels));
        Require.Positive(outChannels, nameof(outChannels));
        Require.Positive(kernel, nameof(kernel));
        Require.Groups(inChannels, outChannels, groups);
        Require.Defined(normalization, nameof(normalization));
        Require.Defined(activation, nameof(activation));
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernel;
        Stride = stride ?? (1, 1);
        Require.Positive(Stride, nameof(stride));
        Dilation = dilation ?? (1, 1);
        Require.Positive(Dilation, nameof(dilation));
        Padding = padding ?? (ConvPadding.SameTensorFlow, ConvPadding.SameTensorFlow);
        ArgumentNullException.ThrowIfNull(Padding.Height, nameof(padding));
        ArgumentNullException.ThrowIfNull(Padding.Width, nameof(padding));
        Groups = groups;
        Normalization = normalization;
        Activation = activation;
        PreActivation = preActivation;
        Bias = bias ?? (normalization == Normalization.None || preActivation);
        // Padding that does not depend on the input size and is the same on both sides is left to the convolution
        // itself (no copy); anything else (SAME with a stride, an odd total, explicit before != after) is padded per call.
        var (h, w) = (StaticPadding(Padding.Height, KernelSize.Height, Stride.Height, Dilation.Height),
            StaticPadding(Padding.Width, KernelSize.Width, Stride.Width, Dilation.Width));
        padsItself = h is not null && w is not null;
        conv = nn.Conv2d(inChannels, outChannels, kernel, stride: Stride, padding: padsItself ? (h!.Value, w!.Value) : (0, 0),
            dilation: Dilation, groups: groups, bias: Bias);
        if (normalization == Normalization.Batch) norm = nn.BatchNorm2d(preActivation ? inChannels : outChannels);
        act = Activations.Make(activation);
        RegisterComponents();
    }

    /// <summary>The kernels, shape (out, in / groups, kernel height, kernel width): <c>nn.Conv2d.weight</c>, which training changes and notebook 01 draws.</summary>
    public TorchSharp.Modules.Parameter Weight => conv.weight ?? throw new InvalidOperationException($"{GetName()}: the convolution has no weight (disposed?).");

    /// <summary>Channels the layer expects.</summary>
    public long InChannels { get; }
    /// <summary>Channels the layer produces.</summary>
    public long OutChannels { get; }
    /// <summary>Kernel size (height, width), PyTorch's <c>kernel_size</c>.</summary>
    public (long Height, long Width) KernelSize { get; }
    /// <summary>Step of the kernel per axis.</summary>
    public (long Height, long Width) Stride { get; }
    /// <summary>Spacing between kernel taps per axis (1 = ordinary convolution).</summary>
    public (long Height, long Width) Dilation { get; }
    /// <summary>The padding rule per axis.</summary>
    public (ConvPadding Height, ConvPadding Width) Padding { get; }
    /// <summary>Channel groups (1 = ordinary, inChannels = depthwise).</summary>
    public long Groups { get; }
    /// <summary>Whether the convolution adds a bias.</summary>
    public bool Bias { get; }
    /// <summary>The normalization used.</summary>
    public Normalization Normalization { get; }
    /// <summary>The activation used.</summary>
    public Activation Activation { get; }
    /// <summary>True when normalization and activation come before the convolution.</summary>
    public bool PreActivation { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var x = input;
        if (PreActivation) x = Activate(Normalize(x));
        if (!padsItself) x = F.pad(x, Geometry(x.shape[2], x.shape[3]).PadArgument);
        x = conv.call(x);
        if (!PreActivation) x = Activate(Normalize(x));
        return x;
    }

    private Tensor Normalize(Tensor x) => norm is null ? x : norm.call(Require.BatchStatistics(x, training, GetName()));

    private Tensor Activate(Tensor x) => act is null ? x : act.call(x);

    /// <summary>The convolution's geometry for maps of the given size (padding amounts included).</summary>
    private Geometry2d Geometry(long height, long width) => new(
        ConvGeometry.Conv((int)height, (int)KernelSize.Height, (int)Stride.Height, Padding.Height, (int)Dilation.Height),
        ConvGeometry.Conv((int)width, (int)KernelSize.Width, (int)Stride.Width, Padding.Width, (int)Dilation.Width));

    internal override Flow Trace(Flow input, TraceContext ctx)
    {
        string name = GetName();
        var s = input.Expect(name, InChannels).Shape;
        int minH = ConvGeometry.MinimumInput((int)KernelSize.Height, Padding.Height, (int)Dilation.Height);
        int minW = ConvGeometry.MinimumInput((int)KernelSize.Width, Padding.Width, (int)Dilation.Width);
        if (s.Height < minH || s.Width < minW)
            throw new BlockShapeException(name, $"maps of at least {minH}x{minW} for a {KernelSize.Height}x{KernelSize.Width} kernel (dilation {Axes(Dilation)}) with {PaddingText} padding", $"{s}",
                "use SAME padding, fewer strided layers before this one, or a larger input");
        var g = Geometry(s.Height, s.Width);
        var output = new FeatureShape(OutChannels, g.Height.Output, g.Width.Output);
        var cost = LayerCosts.Conv(1, (int)InChannels, (int)OutChannels, [g.Height, g.Width], (int)Groups, Bias);
        if (norm is not null)
            cost = PreActivation ? LayerCosts.BatchNorm(s.Elements, (int)InChannels).Then(cost) : cost.Then(LayerCosts.BatchNorm(output.Elements, (int)OutChannels));
        return ctx.Layer(input, name, Label(), output, cost,
            input.Rows.Then(KernelSize.Height, Stride.Height, Dilation.Height), input.Columns.Then(KernelSize.Width, Stride.Width, Dilation.Width));
    }

    private string PaddingText => Padding.Height == Padding.Width ? Padding.Height.ToString() : $"{Padding.Height}/{Padding.Width}";

    private static string Axes((long Height, long Width) v) => v.Height == v.Width ? $"{v.Height}" : $"{v.Height}x{v.Width}";

    private string Label()
    {
        var parts = new List<string>();
        string extras = (Normalization == Normalization.Batch ? "BN " : "") + (Activation != Activation.None ? Activation.ToString() : "");
        if (PreActivation && extras.Length > 0) parts.Add(extras.Trim());
        parts.Add($"conv {KernelSize.Height}x{KernelSize.Width}" + (Stride != (1, 1) ? $" s{Axes(Stride)}" : "") + (Dilation != (1, 1) ? $" d{Axes(Dilation)}" : "") +
            (Groups > 1 ? $" g{Groups}" : "") + $" {PaddingText}, {InChannels}→{OutChannels}");
        if (!PreActivation && extras.Length > 0) parts.Add(extras.Trim());
        return string.Join(" · ", parts);
    }

    /// <summary>Symmetric zeros per side when the rule gives the same amounts for every input size; null otherwise.</summary>
    private static long? StaticPadding(ConvPadding padding, long kernel, long stride, long dilation)
    {
        long effective = dilation * (kernel - 1) + 1;
        bool sizeFree = padding.Mode != PaddingMode.SameTensorFlow || stride == 1;
        // Any input works for the rules that do not depend on it; use one at least as large as the kernel. This also
        // refuses PyTorch's SAME with a stride above 1 here, before any tensor exists.
        var axis = ConvGeometry.Conv((int)effective, (int)kernel, (int)stride, padding, (int)dilation);
        return sizeFree && axis.PadBefore == axis.PadAfter ? axis.PadBefore : null;
    }
}
