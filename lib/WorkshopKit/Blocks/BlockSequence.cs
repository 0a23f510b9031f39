using TorchSharp;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>Blocks applied one after another (like <c>nn.Sequential</c>), describable as a whole: a branch, a network, a stack.</summary>
public sealed class BlockSequence : Block
{
    private readonly Block[] steps;
    private readonly TorchSharp.Modules.ModuleList<Block> items;

    /// <summary>Chains the blocks in the given order.</summary>
    /// <exception cref="ArgumentException">No blocks were given.</exception>
    public BlockSequence(string name, params Block[] blocks) : base(name)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Length == 0) throw new ArgumentException($"{name}: a sequence needs at least one block.", nameof(blocks));
        items = new TorchSharp.Modules.ModuleList<Block>(blocks);
        steps = blocks;
        RegisterComponents();
    }

    /// <summary>The blocks in order.</summary>
    public IReadOnlyList<Block> Blocks => steps.Cast<Block>().ToList();

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Check(input);
        return Run(input);
    }

    /// <summary>Runs the steps without re-checking shapes (the caller has checked the whole sequence).</summary>
    internal Tensor Run(Tensor input)
    {
        var x = input;
        foreach (var step in steps) x = step.call(x);
        return x;
    }

    internal override Flow Walk(Flow input, TraceContext ctx)
    {
        ctx.Enter(GetName());
        var f = input;
        foreach (var b in items) f = b.Walk(f, ctx);
        ctx.Leave();
        return f;
    }
}

/// <summary>
/// The classifier at the end of a network: either global average pooling (one value per channel) or flattening
/// of the whole map, an optional hidden layer, then class scores. The tensor it returns is (N, classes);
/// its description reports classes×1×1.
/// </summary>
public sealed class ClassifierHead : Block
{
    private readonly TorchSharp.Modules.Linear? hidden;
    private readonly TorchSharp.Modules.Linear output;
    private readonly nn.Module<Tensor, Tensor>? dropout;

    /// <summary>Builds the head for maps of shape <paramref name="input"/>.</summary>
    public ClassifierHead(FeatureShape input, long classes, bool globalPool = true, long hiddenUnits = 0, double dropoutRate = 0, string name = "classifier")
        : base(name)
    {
        ConvLayer.Positive(classes, nameof(classes));
        Input = input;
        GlobalPool = globalPool;
        Classes = classes;
        long features = globalPool ? input.Channels : input.Elements;
        if (hiddenUnits > 0) hidden = nn.Linear(features, hiddenUnits);
        if (dropoutRate > 0) dropout = nn.Dropout(dropoutRate);
        output = nn.Linear(hiddenUnits > 0 ? hiddenUnits : features, classes);
        HiddenUnits = hiddenUnits;
        RegisterComponents();
    }

    /// <summary>The map shape the head was built for.</summary>
    public FeatureShape Input { get; }
    /// <summary>True: average each channel; false: flatten every value.</summary>
    public bool GlobalPool { get; }
    /// <summary>Units of the hidden layer (0 = none).</summary>
    public long HiddenUnits { get; }
    /// <summary>Number of class scores.</summary>
    public long Classes { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Check(input);
        var x = GlobalPool ? input.mean([2, 3]) : input.flatten(1);
        if (hidden is not null) x = nn.functional.relu(hidden.call(x));
        if (dropout is not null) x = dropout.call(x);
        return output.call(x);
    }

    internal override Flow Walk(Flow input, TraceContext ctx)
    {
        var s = input.Shape;
        bool fits = GlobalPool ? s.Channels == Input.Channels : s == Input;
        if (!fits)
            throw new BlockShapeException(GetName(), GlobalPool ? $"{Input.Channels} channels" : $"maps of shape {Input}", s.ToString(),
                "build the head with the shape that the layers before it produce (use OutputShape on them)");
        long features = GlobalPool ? s.Channels : s.Elements;
        long macs = HiddenUnits > 0 ? features * HiddenUnits + HiddenUnits * Classes : features * Classes;
        var outShape = new FeatureShape(Classes, 1, 1);
        ctx.Record(GetName(), s, outShape, ParameterCount, macs);
        string node = ctx.Node((GlobalPool ? "global avg pool → " : "flatten → ") + (HiddenUnits > 0 ? $"linear {features}→{HiddenUnits} · ReLU → " : "") +
            $"linear {(HiddenUnits > 0 ? HiddenUnits : features)}→{Classes}");
        ctx.Edge(input.Node, node);
        var field = new ReceptiveField(input.Field.Size + (Math.Max(s.Height, s.Width) - 1) * input.Field.Jump, input.Field.Jump * Math.Max(s.Height, s.Width));
        return new Flow(outShape, field, node);
    }
}
