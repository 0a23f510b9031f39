using TorchSharp;
using WorkshopKit.Geometry;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>
/// Collaborative filters: several filter paths of different sizes work side by side on the same input and their
/// outputs are combined. The default follows the workshop author's four-branch block; the stride is applied on each
/// branch's last step. With <c>transposed: true</c> the last step of every branch is a transposed convolution that
/// multiplies the size by the stride: the decoder twin that restores what the forward block reduced.
/// </summary>
/// <remarks>
/// Written in notebook 05 (collaborative filters), section "1 · What "collaborative filters" means here",
/// as the cell's <c>Collaborative</c>: this <see cref="forward"/> is that cell's, token for token (LessonCodeTests fails
/// when the two differ). The library adds other branch lists, the transposed decoder twin and the self-description.
/// </remarks>
public sealed class CollaborativeBlock : Block
{
    private readonly TorchSharp.Modules.ModuleList<BlockSequence> paths;
    private readonly IReadOnlyList<Branch> branches;

    /// <summary>Builds the block.</summary>
    /// <exception cref="ArgumentException">No branches; out channels not divisible by the branch count when concatenating; a transposed branch that ends in pooling.</exception>
    public CollaborativeBlock(long inChannels, long outChannels, long stride = 1, IReadOnlyList<Branch>? branches = null,
        bool transposed = false,
        Normalization normalization = Normalization.Batch, Activation activation = Activation.Relu, string? name = null)
        : base(name ?? (transposed ? "collaborative (transposed)" : "collaborative"))
    {
        Require.Positive(inChannels, nameof(inChannels));
        Require.Positive(outChannels, nameof(outChannels));
        Require.Positive(stride, nameof(stride));
        this.branches = branches ?? Branches.Author;
        string blockName = GetName();
        if (this.branches.Count == 0) throw new ArgumentException($"{blockName}: needs at least one branch.", nameof(branches));
        if (this.branches.Any(b => b.Ops.Count == 0)) throw new ArgumentException($"{blockName}: branch '{this.branches.First(b => b.Ops.Count == 0).Name}' has no steps.", nameof(branches));
        if (outChannels % this.branches.Count != 0)
            throw new ArgumentException($"{blockName}: {outChannels} output channels cannot be split evenly over {this.branches.Count} concatenated branches; use a multiple of {this.branches.Count} (e.g. {(outChannels / this.branches.Count + 1) * this.branches.Count}) .", nameof(outChannels));
        InChannels = inChannels;
        OutChannels = outChannels;
        Stride = stride;
        Transposed = transposed;
        BranchWidth = outChannels / this.branches.Count;
        var built = new List<BlockSequence>();
        for (int i = 0; i < this.branches.Count; i++)
        {
            var branch = this.branches[i];
            var steps = new List<Block>();
            long channels = inChannels;
            for (int j = 0; j < branch.Ops.Count; j++)
            {
                var op = branch.Ops[j];
                bool last = j == branch.Ops.Count - 1;
                long s = last ? stride : 1;
                if (op.Kind == BranchOpKind.MaxPool)
                {
                    if (last && transposed && stride > 1)
                        throw new ArgumentException($"{blockName}: branch '{branch.Name}' ends in a max pool, which cannot upsample; end every branch of a transposed block with a convolution.", nameof(branches));
                    steps.Add(new MaxPool2d(op.Kernel, s, op.Padding ?? ConvPadding.SameTensorFlow, name: $"maxpool{op.Kernel}x{op.Kernel}"));
                }
                else if (last && transposed)
                {
                    steps.Add(new TransposedConvLayer(channels, BranchWidth, op.Kernel, s, normalization, activation, name: $"tconv{op.Kernel}x{op.Kernel}"));
                    channels = BranchWidth;
                }
                else
                {
                    steps.Add(new ConvLayer(channels, BranchWidth, op.Kernel, s, op.Padding ?? ConvPadding.SameTensorFlow, op.Dilation, normalization, activation, name: $"conv{op.Kernel}x{op.Kernel}"));
                    channels = BranchWidth;
                }
            }
            if (channels != BranchWidth)
                throw new ArgumentException($"{blockName}: branch '{branch.Name}' has no convolution, so it keeps {inChannels} channels instead of {BranchWidth}; add a 1x1 convolution to it.", nameof(branches));
            built.Add(new BlockSequence($"branch {i + 1}", [.. steps]));
        }
        paths = new TorchSharp.Modules.ModuleList<BlockSequence>([.. built]);
        RegisterComponents();
    }

    /// <summary>Channels the block expects.</summary>
    public long InChannels { get; }
    /// <summary>Channels the block produces.</summary>
    public long OutChannels { get; }
    /// <summary>Stride applied on each branch's last step (a factor of upsampling when transposed).</summary>
    public long Stride { get; }
    /// <summary>True for the decoder twin.</summary>
    public bool Transposed { get; }
    /// <summary>Channels each branch produces.</summary>
    public long BranchWidth { get; }
    /// <summary>The branch list the block was built from.</summary>
    public IReadOnlyList<Branch> BranchList => branches;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var outputs = paths.Select(path => path.call(input)).ToArray();
        return cat(outputs, dim: 1);
    }

    internal override Flow Trace(Flow input, TraceContext ctx)
    {
        var s = input.Expect(GetName(), InChannels).Shape;
        ctx.Enter(GetName());
        var results = new List<Flow>();
        for (int i = 0; i < paths.Count; i++)
        {
            ctx.BeginGroup($"branch {i + 1}: {branches[i].Name}");
            results.Add(paths[i].Trace(input, ctx));
            ctx.EndGroup();
        }
        ctx.Leave();
        var first = results[0].Shape;
        for (int i = 1; i < results.Count; i++)
        {
            var r = results[i].Shape;
            if (r.Height != first.Height || r.Width != first.Width)
                throw new BlockShapeException(GetName(), $"branches with equal spatial sizes to concatenate (branch 1 '{branches[0].Name}' gives {first})",
                    $"branch {i + 1} '{branches[i].Name}' giving {r} for input {s}", "use SAME padding in every branch, or the same strides and kernels");
        }
        var output = new FeatureShape(results.Sum(r => r.Shape.Channels), first.Height, first.Width);
        string node = ctx.Node($"concatenate on channels → {output}", shape: "{{\"{0}\"}}");
        foreach (var r in results) ctx.Edge(r.Node, node);
        var (rows, columns) = Flow.Widest(results);
        return new Flow(output, rows, columns, node);
    }
}
