using TorchSharp;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>Blocks applied one after another (like <c>nn.Sequential</c>), describable as a whole: a branch, a network, a stack.</summary>
/// <remarks>Taught in notebook 04 (pooling and upsampling), section 3 "A small encoder-decoder".</remarks>
public sealed class BlockSequence : Block
{
    private readonly TorchSharp.Modules.ModuleList<Block> items;

    /// <summary>Chains the blocks in the given order.</summary>
    /// <exception cref="ArgumentException">No blocks were given.</exception>
    public BlockSequence(string name, params Block[] blocks) : base(name)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Length == 0) throw new ArgumentException($"{name}: a sequence needs at least one block.", nameof(blocks));
        items = new TorchSharp.Modules.ModuleList<Block>(blocks);
        RegisterComponents();
    }

    /// <summary>The blocks in order.</summary>
    public IReadOnlyList<Block> Blocks => items.ToList();

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var x = input;
        foreach (var step in items) x = step.call(x);
        return x;
    }

    internal override Flow Trace(Flow input, TraceContext ctx)
    {
        ctx.Enter(GetName());
        var f = TraceSteps(input, ctx);
        ctx.Leave();
        return f;
    }

    /// <summary>Follows the shape through the steps without adding this sequence's name to the path.</summary>
    internal Flow TraceSteps(Flow input, TraceContext ctx)
    {
        var f = input;
        foreach (var b in items) f = b.Trace(f, ctx);
        return f;
    }
}
