using System.Globalization;
using System.Text;
using TorchSharp;
using WorkshopKit.Visuals;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>
/// A TorchSharp module that can explain itself: for an input shape it reports the output shape, its parameters,
/// its multiply-accumulates, its receptive field and a Mermaid flowchart. Every WorkshopKit layer and block derives
/// from it, so a whole network built from them can be described the same way as a single layer.
/// </summary>
public abstract class Block : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module with a readable name, which also appears in error messages and diagrams.</summary>
    protected Block(string name) : base(name) { }

    /// <summary>The shape this block produces for one sample of the given shape; throws <see cref="BlockShapeException"/> when the input does not fit.</summary>
    public FeatureShape OutputShape(FeatureShape input) => Walk(new Flow(input, ReceptiveField.Pixel, ""), new TraceContext(draw: false)).Shape;

    /// <summary>Number of trainable values: the sum of the element counts of all parameters.</summary>
    public long ParameterCount => parameterCount ??= parameters().Sum(p => p.numel());

    private long? parameterCount;

    /// <summary>Describes the block for an input shape: output shape, parameters, MACs, FLOPs, receptive field, per-layer costs and a Mermaid diagram.</summary>
    public BlockReport Describe(FeatureShape input)
    {
        var ctx = new TraceContext(draw: true);
        string inputNode = ctx.Node($"input {input}", shape: "([\"{0}\"])");
        var result = Walk(new Flow(input, ReceptiveField.Pixel, inputNode), ctx);
        string outputNode = ctx.Node($"output {result.Shape}", shape: "([\"{0}\"])");
        ctx.Edge(result.Node, outputNode);
        return new BlockReport(GetName(), input, result.Shape, ParameterCount, ctx.Layers.ToList(), result.Field, ctx.Mermaid());
    }

    /// <summary>A Mermaid flowchart (<c>flowchart TD</c>) of the block for a <c>#!mermaid</c> notebook cell: one node per layer, branches as subgraphs.</summary>
    public string ToMermaid(FeatureShape input) => Describe(input).Mermaid;

    /// <summary>Checks an input tensor against the block's rules before running it, so mistakes surface as clear messages.</summary>
    protected FeatureShape Check(Tensor x) => OutputShape(FeatureShape.Of(x, GetName()));

    /// <summary>Follows a shape through the block, recording layers, receptive field and diagram nodes.</summary>
    internal abstract Flow Walk(Flow input, TraceContext ctx);
}

/// <summary>Size and spacing of the input region that one output value depends on, measured in input pixels.</summary>
/// <param name="Size">Side of the square input window that influences one output value.</param>
/// <param name="Jump">Distance in input pixels between neighbouring output values (the product of strides; below 1 after upsampling).</param>
public readonly record struct ReceptiveField(double Size, double Jump)
{
    /// <summary>The field of the input itself: one pixel, spacing one.</summary>
    public static ReceptiveField Pixel => new(1, 1);

    /// <summary>The field after a layer with kernel <paramref name="kernel"/>, stride <paramref name="stride"/> and dilation <paramref name="dilation"/>: the window grows by (effective kernel - 1) times the current spacing.</summary>
    public ReceptiveField Then(long kernel, long stride, long dilation = 1) => new(Size + (dilation * (kernel - 1)) * Jump, Jump * stride);

    /// <summary>The larger of two fields that see the same input (used where branches or a shortcut meet).</summary>
    public static ReceptiveField Max(ReceptiveField a, ReceptiveField b) => new(Math.Max(a.Size, b.Size), Math.Max(a.Jump, b.Jump));

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Size:0.##} px (jump {Jump:0.##})");
}

/// <summary>One layer's share of a block's cost, as recorded while a shape is followed through the block.</summary>
/// <param name="Name">Path of the layer inside the block (e.g. <c>branch 2/conv 3x3</c>).</param>
/// <param name="Input">Shape entering the layer.</param>
/// <param name="Output">Shape leaving the layer.</param>
/// <param name="Parameters">Trainable values of the layer.</param>
/// <param name="Macs">Multiply-accumulate operations for one sample (convolutions and linear layers; normalization, activations and pooling count zero).</param>
public sealed record LayerCost(string Name, FeatureShape Input, FeatureShape Output, long Parameters, long Macs);

/// <summary>What <see cref="Block.Describe"/> tells about a block for one input shape; shows as a table in notebooks.</summary>
/// <param name="Name">The block's name.</param>
/// <param name="Input">The input shape described.</param>
/// <param name="Output">The output shape for that input.</param>
/// <param name="Parameters">Trainable values (sum of parameter element counts).</param>
/// <param name="Layers">Per-layer shapes, parameters and MACs, in execution order.</param>
/// <param name="Field">Receptive field of one output value, in input pixels.</param>
/// <param name="Mermaid">The structure as a Mermaid flowchart.</param>
public sealed record BlockReport(string Name, FeatureShape Input, FeatureShape Output, long Parameters, IReadOnlyList<LayerCost> Layers, ReceptiveField Field, string Mermaid) : IHtmlDisplay
{
    /// <summary>Multiply-accumulates for one sample: the sum over the recorded layers.</summary>
    public long Macs => Layers.Sum(l => l.Macs);

    /// <summary>Floating-point operations for one sample, counted as two per multiply-accumulate (the usual 2·k²·R²·M·N convention).</summary>
    public long Flops => 2 * Macs;

    /// <summary>The summary and per-layer rows as a table.</summary>
    public HtmlTable ToTable()
    {
        var rows = Layers.Select(l => (IReadOnlyList<string>)[l.Name, l.Input.ToString(), l.Output.ToString(), Num(l.Parameters), Num(l.Macs)]).ToList();
        rows.Add(["total", Input.ToString(), Output.ToString(), Num(Parameters), Num(Macs)]);
        return new HtmlTable(["layer", "input", "output", "parameters", "MACs"], rows,
            $"{Name}: {Input} -> {Output}, {Num(Parameters)} parameters, {Num(Macs)} MACs ({Num(Flops)} FLOPs), receptive field {Field}");
    }

    /// <inheritdoc />
    public string ToHtml() => ToTable().ToHtml();

    /// <inheritdoc />
    public override string ToString() => ToTable().ToString();

    private static string Num(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>A shape on its way through a block: the shape, the receptive field so far, and the diagram node it came from.</summary>
internal readonly record struct Flow(FeatureShape Shape, ReceptiveField Field, string Node);

/// <summary>Collects layers and Mermaid lines while a shape is followed through nested blocks.</summary>
internal sealed class TraceContext(bool draw)
{
    private readonly List<string> lines = [];
    private readonly List<string> edges = [];
    private readonly Stack<string> path = new();
    private int next;

    public List<LayerCost> Layers { get; } = [];

    public bool Drawing => draw;

    public string Prefix => string.Join("/", path.Reverse());

    public void Enter(string part) => path.Push(part);

    public void Leave() => path.Pop();

    public string Node(string label, string shape = "[\"{0}\"]")
    {
        string id = "n" + next++.ToString(CultureInfo.InvariantCulture);
        if (draw) lines.Add(Indent + id + string.Format(CultureInfo.InvariantCulture, shape, Escape(label)));
        return id;
    }

    public void Edge(string from, string to)
    {
        // Edges are written after all nodes and subgraphs: Mermaid moves a node into the subgraph where an edge
        // first mentions it, which would pull the block's input node into its first branch.
        if (draw && from.Length > 0) edges.Add($"  {from} --> {to}");
    }

    public void BeginGroup(string title)
    {
        if (draw) lines.Add($"{Indent}subgraph g{next++}[\"{Escape(title)}\"]");
        depth++;
    }

    public void EndGroup()
    {
        depth--;
        if (draw) lines.Add($"{Indent}end");
    }

    public void Record(string name, FeatureShape input, FeatureShape output, long parameters, long macs)
        => Layers.Add(new LayerCost(Prefix.Length == 0 ? name : Prefix + "/" + name, input, output, parameters, macs));

    public string Mermaid() => "flowchart TD\n" + string.Join("\n", lines.Concat(edges)) + "\n";

    private int depth;

    private string Indent => new(' ', 2 * (depth + 1));

    private static string Escape(string s) => s.Replace("\"", "#quot;", StringComparison.Ordinal);
}
