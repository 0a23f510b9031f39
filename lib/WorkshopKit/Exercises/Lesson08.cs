using WorkshopKit.Blocks;

namespace WorkshopKit.Exercises;

/// <summary>
/// Check cells of notebook 08 (the capstone). Costs come from the zoo models' own descriptions, so the answers follow the
/// library; the hints name the usual slips (VALID instead of SAME,
/// weights instead of MACs, flattening instead of global pooling, fewest parameters instead of the ratio).
/// </summary>
/// <remarks>First used in notebook 08 (Capstone: the model zoo), section "Exercise 8.1: the cost of the first layer".</remarks>
public static class Lesson08
{
    /// <summary>
    /// Exercise 8.1: MACs of a first convolution with 32 filters of 5x5 (SAME, 28x28, one input channel) instead of the
    /// plain CNN's 16 of 3x3, whose count notebook 01 prints; counted by the layer's own description.
    /// </summary>
    public static ExerciseResult CheckFirstConvMacs(long answer)
    {
        using var layer = new ConvLayer(1, 32, 5);
        long expected = layer.Describe(FeatureShape.Mnist).Macs;
        return Exercise.Check("8.1", answer, expected,
            "Every output value (32 maps of 28x28, SAME keeps the size) needs 5·5·1 multiply-accumulates.",
            "MACs = output positions × output channels × kernel taps × input channels: here 28·28 × 32 × 5·5 × 1.",
            new(a => a == 0, "Replace 0 with the number of multiply-accumulates."),
            new(a => a == 32 * 25 || a == 32 * 25 + 32, "That is the layer's weight count. MACs count work: every weight is used once per output position (28·28 of them)."),
            new(a => a == 24 * 24 * 32 * 25, "24x24 is the VALID output of a 5x5 window. SAME padding keeps 28x28."),
            new(a => a == 28 * 28 * 25, "That is one output map. The layer has 32 output channels, each with its own 5x5 filter."),
            new(a => a == 2 * expected, "That is the FLOP count (a multiply and an add per MAC). Count multiply-accumulates once."),
            new(a => a == 14 * 14 * 32 * 25, "The max pool comes after this convolution: it still runs on 28x28."));
    }

    /// <summary>Exercise 8.2: parameters of the small ResNet's classifier head (global average pooling of 64 maps, then 10 classes).</summary>
    public static ExerciseResult CheckHeadParameters(long answer)
    {
        using var model = ModelZoo.SmallResNet();
        var head = model.Blocks[^1];
        long expected = head.ParameterCount;
        return Exercise.Check("8.2", answer, expected,
            "Global average pooling turns 64 maps into 64 numbers, so the head needs only 64·10 weights and 10 biases; the plain CNN's flattening head needs far more.",
            "After global average pooling there is one value per channel (64). A linear layer from 64 inputs to 10 classes has in·out weights and one bias per class.",
            new(a => a == 0, "Replace 0 with the number of trainable values in the head."),
            new(a => a == 64 * 10, "Add the 10 biases, one per class."),
            new(a => a == 64 * 7 * 7 * 10 + 10 || a == 64 * 7 * 7 * 10, "That flattens the 64x7x7 maps. This head averages each map first (global average pooling), leaving 64 inputs."),
            new(a => a == 10, "Those are the biases; the weights connect each of the 64 pooled values to each of the 10 classes."));
    }

    /// <summary>
    /// Exercise 8.3: the zoo model (its zoo name) that does the most MACs per parameter, i.e. reuses each weight most often
    /// per image. Computed from the models' own descriptions, so it needs no saved training results.
    /// </summary>
    public static ExerciseResult CheckMostMacsPerParameter(string? answer)
    {
        var ratios = new Dictionary<string, double>();
        foreach (var name in ModelZoo.Names)
        {
            using var model = ModelZoo.Create(name);
            ratios[name] = model.Describe(FeatureShape.Mnist).Macs / (double)model.ParameterCount;
        }
        string expected = ratios.MaxBy(r => r.Value).Key;
        string lowest = ratios.MinBy(r => r.Value).Key;
        string normalized = (answer ?? "").Trim().ToLowerInvariant();
        string fewestParameters = ModelZoo.Names.MinBy(n => { using var m = ModelZoo.Create(n); return m.ParameterCount; })!;
        return Exercise.Check("8.3", normalized, expected,
            $"Each of its weights is used about {ratios[expected]:0} times per image: convolutions slide every weight over the whole map, and this model keeps wide maps at full resolution. High reuse means compute, not memory traffic for weights, limits its speed.",
            "Divide each model's MACs by its parameters (both in the zoo table) and take the largest ratio; give the zoo name (plain, collaborative, resnet or densenet).",
            new(a => a.Length == 0, "Write the zoo name of the model, e.g. \"plain\"."),
            new(a => !ModelZoo.Names.Contains(a), $"Use one of the zoo names: {string.Join(", ", ModelZoo.Names)}."),
            new(a => a == lowest, $"That one has the lowest ratio (about {ratios[lowest]:0.0}): most of its weights sit in the flattening dense layer, which uses each weight once per image."),
            new(a => a == fewestParameters, "That model has the fewest parameters, but the ratio also depends on its MACs: divide MACs by parameters for every model."));
    }
}
