using TorchSharp;
using WorkshopKit.Costs;
using WorkshopKit.Geometry;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Blocks;

/// <summary>
/// A transposed convolution with everything <c>nn.ConvTranspose2d</c> accepts, with optional normalization and
/// activation. The square constructor chooses padding and output padding so that output = input × stride (TensorFlow's
/// SAME for <c>conv2d_transpose</c>). Its weight matrix is the transpose of a strided convolution's, which is why it can
/// show a checkerboard pattern.
/// </summary>
/// <remarks>Taught in notebook 04 (pooling and upsampling), section 2 "Upsampling".</remarks>
public sealed class TransposedConvLayer : Block
{
    private readonly TorchSharp.Modules.ConvTranspose2d conv;
    private readonly nn.Module<Tensor, Tensor>? norm;
    private readonly nn.Module<Tensor, Tensor>? act;

    /// <summary>A square transposed convolution whose padding and output padding make output = input × stride.</summary>
    /// <exception cref="ArgumentException">An even kernel with stride 1, which cannot keep the size.</exception>
    public TransposedConvLayer(long inChannels, long outChannels, long kernel = 3, long stride = 2,
        Normalization normalization = Normalization.None, Activation activation = Activation.Relu, string? name = null)
        : this(inChannels, outChannels, (kernel, kernel), (stride, stride), SamePadding(kernel, stride, name), SameOutputPadding(kernel, stride, name),
            null, 1, null, normalization, activation, name ?? $"tconv{kernel}x{kernel}")
    {
    }

    /// <summary>A transposed convolution with <c>nn.ConvTranspose2d</c>'s arguments per axis (height, width).</summary>
    /// <param name="inChannels">Channels the layer expects.</param>
    /// <param name="outChannels">Channels the layer produces.</param>
    /// <param name="kernel">Kernel size (height, width).</param>
    /// <param name="stride">Upsampling factor per axis; (1, 1) when null.</param>
    /// <param name="padding">PyTorch's <c>padding</c>: rows and columns cropped from both ends of the full output; (0, 0) when null.</param>
    /// <param name="outputPadding">Extra size at the end of each axis, below max(stride, dilation); (0, 0) when null.</param>
    /// <param name="dilation">Spacing of the taps per axis; (1, 1) when null.</param>
    /// <param name="groups">Channel groups; must divide both channel counts.</param>
    /// <param name="bias">Whether the layer adds a bias; null: only when no normalization follows it.</param>
    /// <param name="normalization">Normalization after the transposed convolution.</param>
    /// <param name="activation">Activation after the normalization.</param>
    /// <param name="name">Name in diagrams and error messages.</param>
    /// <exception cref="ArgumentOutOfRangeException">A channel count, kernel, stride or dilation below 1.</exception>
    /// <exception cref="ArgumentException">Groups that do not divide the channels, negative padding, or output padding not below max(stride, dilation).</exception>
    public TransposedConvLayer(long inChannels, long outChannels, (long Height, long Width) kernel, (long Height, long Width)? stride = null,
        (long Height, long Width)? padding = null, (long Height, long Width)? outputPadding = null, (long Height, long Width)? dilation = null,
        long groups = 1, bool? bias = null, Normalization normalization = Normalization.None, Activation activation = Activation.Relu, string? name = null)
        : base(name ?? $"tconv{kernel.Height}x{kernel.Width}")
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
        Padding = padding ?? (0, 0);
        OutputPadding = outputPadding ?? (0, 0);
        Groups = groups;
        Bias = bias ?? normalization == Normalization.None;
        Normalization = normalization;
        Activation = activation;
        // The geometry's own rules (padding >= 0, output padding < max(stride, dilation)) are checked here, before any tensor exists.
        _ = Geometry(Math.Max(1, 2 * Padding.Height + 1), Math.Max(1, 2 * Padding.Width + 1));
        conv = nn.ConvTranspose2d(inChannels, outChannels, kernel, stride: Stride, padding: Padding, output_padding: OutputPadding,
            dilation: Dilation, groups: groups, bias: Bias);
        if (normalization == Normalization.Batch) norm = nn.BatchNorm2d(outChannels);
        act = Activations.Make(activation);
        RegisterComponents();
    }

    /// <summary>Channels the layer expects.</summary>
    public long InChannels { get; }
    /// <summary>Channels the layer produces.</summary>
    public long OutChannels { get; }
    /// <summary>Kernel size (height, width).</summary>
    public (long Height, long Width) KernelSize { get; }
    /// <summary>Upsampling factor per axis.</summary>
    public (long Height, long Width) Stride { get; }
    /// <summary>PyTorch's padding per axis (cropped from both ends of the output).</summary>
    public (long Height, long Width) Padding { get; }
    /// <summary>Extra size at the end of each axis.</summary>
    public (long Height, long Width) OutputPadding { get; }
    /// <summary>Spacing of the taps per axis.</summary>
    public (long Height, long Width) Dilation { get; }
    /// <summary>Channel groups.</summary>
    public long Groups { get; }
    /// <summary>Whether the layer adds a bias.</summary>
    public bool Bias { get; }
    /// <summary>Normalization after the transposed convolution.</summary>
    public Normalization Normalization { get; }
    /// <summary>Activation after the normalization.</summary>
    public Activation Activation { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        // TorchSharp 0.107's ConvTranspose2d module applies output_padding.Height to both axes; the functional form
        // takes both. The module is called whenever it is right, so profilers that hook it still see the layer.
        var x = OutputPadding.Height == OutputPadding.Width
            ? conv.call(input)
            : F.conv_transpose2d(input, conv.weight!, conv.bias, [Stride.Height, Stride.Width], [Padding.Height, Padding.Width],
                [OutputPadding.Height, OutputPadding.Width], [Dilation.Height, Dilation.Width], Groups);
        if (norm is not null) x = norm.call(Require.BatchStatistics(x, training, GetName()));
        if (act is not null) x = act.call(x);
        return x;
    }

    private Geometry2d Geometry(long height, long width) => ConvGeometry.ConvTranspose2d(((int)height, (int)width),
        ((int)KernelSize.Height, (int)KernelSize.Width), ((int)Stride.Height, (int)Stride.Width), ((int)Padding.Height, (int)Padding.Width),
        ((int)Dilation.Height, (int)Dilation.Width), ((int)OutputPadding.Height, (int)OutputPadding.Width));

    internal override Flow Trace(Flow input, TraceContext ctx)
    {
        string name = GetName();
        var s = input.Expect(name, InChannels).Shape;
        Geometry2d g;
        try
        {
            g = Geometry(s.Height, s.Width);
        }
        catch (ArgumentException e)
        {
            throw new BlockShapeException(name, "maps large enough for the output to keep at least one pixel", s.ToString(), e.Message.TrimEnd('.'));
        }
        var output = new FeatureShape(OutChannels, g.Height.Output, g.Width.Output);
        var cost = LayerCosts.ConvTranspose(1, (int)InChannels, (int)OutChannels, [g.Height, g.Width], (int)Groups, Bias);
        if (norm is not null) cost = cost.Then(LayerCosts.BatchNorm(output.Elements, (int)OutChannels));
        string extras = (Normalization == Normalization.Batch ? " · BN" : "") + (Activation != Activation.None ? $" · {Activation}" : "");
        string stride = Stride.Height == Stride.Width ? $"{Stride.Height}" : $"{Stride.Height}x{Stride.Width}";
        return ctx.Layer(input, name, $"transposed conv {KernelSize.Height}x{KernelSize.Width} s{stride}, {InChannels}→{OutChannels}{extras}", output, cost,
            input.Rows.ThenTransposed(KernelSize.Height, Stride.Height, Dilation.Height), input.Columns.ThenTransposed(KernelSize.Width, Stride.Width, Dilation.Width));
    }

    private static (long, long) SamePadding(long kernel, long stride, string? name)
    {
        var (p, _) = Same(kernel, stride, name);
        return (p, p);
    }

    private static (long, long) SameOutputPadding(long kernel, long stride, string? name)
    {
        var (_, op) = Same(kernel, stride, name);
        return (op, op);
    }

    private static (int Padding, int OutputPadding) Same(long kernel, long stride, string? name)
    {
        Require.Positive(kernel, nameof(kernel));
        Require.Positive(stride, nameof(stride));
        try
        {
            return ConvGeometry.ConvTransposeSame((int)kernel, (int)stride);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{name ?? $"tconv{kernel}x{kernel}"}: {e.Message}", nameof(kernel), e);
        }
    }
}
