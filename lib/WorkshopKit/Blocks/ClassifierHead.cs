using TorchSharp;
using WorkshopKit.Costs;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>
/// The classifier at the end of a network: either global average pooling (one value per channel) or flattening
/// of the whole map, an optional hidden layer, then class scores. The tensor it returns is (N, classes);
/// its description reports classes×1×1.
/// </summary>
/// <remarks>Taught in notebook 06 (residual blocks), where the zoo's networks are assembled; used by every zoo model.</remarks>
public sealed class ClassifierHead : Block
{
    private readonly TorchSharp.Modules.Linear? hidden;
    private readonly TorchSharp.Modules.Linear output;
    private readonly nn.Module<Tensor, Tensor>? dropout;

    /// <summary>Builds the head for maps of shape <paramref name="input"/>.</summary>
    public ClassifierHead(FeatureShape input, long classes, bool globalPool = true, long hiddenUnits = 0, double dropoutRate = 0, string name = "classifier")
        : base(name)
    {
        Require.Positive(classes, nameof(classes));
        if (hiddenUnits < 0)
            throw new ArgumentOutOfRangeException(nameof(hiddenUnits), hiddenUnits, $"hiddenUnits must be 0 (no hidden layer) or positive, but hiddenUnits = {hiddenUnits}.");
        Require.Probability(dropoutRate, nameof(dropoutRate));
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
        var x = GlobalPool ? input.mean([2, 3]) : input.flatten(1);
        if (hidden is not null) x = nn.functional.relu(hidden.call(x));
        if (dropout is not null) x = dropout.call(x);
        return output.call(x);
    }

    internal override Flow Trace(Flow input, TraceContext ctx)
    {
        var s = input.Shape;
        bool fits = GlobalPool ? s.Channels == Input.Channels : s == Input;
        if (!fits)
            throw new BlockShapeException(GetName(), GlobalPool ? $"{Input.Channels} channels" : $"maps of shape {Input}", s.ToString(),
                "build the head with the shape that the layers before it produce (use OutputShape on them)");
        int features = (int)(GlobalPool ? s.Channels : s.Elements);
        var cost = GlobalPool ? LayerCosts.GlobalAveragePool(s.Elements, s.Channels) : LayerCosts.NoArithmetic("Flatten", s.Elements);
        if (HiddenUnits > 0)
            cost = cost.Then(LayerCosts.Linear(1, features, (int)HiddenUnits)).Then(LayerCosts.Activation("ReLU", HiddenUnits)).Then(LayerCosts.Linear(1, (int)HiddenUnits, (int)Classes));
        else
            cost = cost.Then(LayerCosts.Linear(1, features, (int)Classes));
        string label = (GlobalPool ? "global avg pool → " : "flatten → ") + (HiddenUnits > 0 ? $"linear {features}→{HiddenUnits} · ReLU → " : "") +
            $"linear {(HiddenUnits > 0 ? HiddenUnits : features)}→{Classes}";
        return ctx.Layer(input, GetName(), label, new FeatureShape(Classes, 1, 1), cost, input.Rows.ThenGlobal(s.Height), input.Columns.ThenGlobal(s.Width));
    }
}
