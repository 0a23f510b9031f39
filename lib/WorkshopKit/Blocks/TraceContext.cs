using System.Globalization;
using WorkshopKit.Costs;
using WorkshopKit.ReceptiveFields;

namespace WorkshopKit.Blocks;

/// <summary>A shape on its way through a block: the shape, the receptive field so far per axis, and the diagram node it came from.</summary>
internal readonly record struct Flow(FeatureShape Shape, ReceptiveField Rows, ReceptiveField Columns, string Node)
{
    public static Flow Start(FeatureShape input, string node) => new(input, ReceptiveField.Pixel, ReceptiveField.Pixel, node);

    /// <summary>The one channel check of every block: the maps must have the channels the block was built for.</summary>
    public Flow Expect(string block, long channels)
    {
        if (Shape.Channels != channels)
            throw new BlockShapeException(block, $"{channels} input channels", $"{Shape.Channels} channels ({Shape})",
                $"build it with inChannels: {Shape.Channels}, or feed it {channels}-channel maps");
        return this;
    }

    /// <summary>The larger field of two paths that meet (a shortcut, branches), per axis.</summary>
    public static (ReceptiveField Rows, ReceptiveField Columns) Widest(IEnumerable<Flow> flows) =>
        flows.Aggregate((Rows: default(ReceptiveField), Columns: default(ReceptiveField)),
            (f, x) => (ReceptiveField.Max(f.Rows, x.Rows), ReceptiveField.Max(f.Columns, x.Columns)));
}

/// <summary>Collects layers and Mermaid lines while a shape is followed through nested blocks.</summary>
internal sealed class TraceContext(bool draw)
{
    private readonly List<string> lines = [];
    private readonly List<string> edges = [];
    private readonly Stack<string> path = new();
    private int next;
    private int depth;

    public List<BlockLayer> Layers { get; } = [];

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

    /// <summary>Records one layer (its row, its node and the edge to it) and returns the flow after it.</summary>
    public Flow Layer(Flow input, string name, string label, FeatureShape output, LayerCost cost, ReceptiveField rows, ReceptiveField columns)
    {
        Layers.Add(new BlockLayer(Prefix.Length == 0 ? name : Prefix + "/" + name, input.Shape, output, cost));
        string node = Node(label);
        Edge(input.Node, node);
        return new Flow(output, rows, columns, node);
    }

    public string Mermaid() => "flowchart TD\n" + string.Join("\n", lines.Concat(edges)) + "\n";

    private string Indent => new(' ', 2 * (depth + 1));

    private static string Escape(string s) => s.Replace("\"", "#quot;", StringComparison.Ordinal);
}
