using WorkshopKit.Blocks;

namespace WorkshopKit.Exercises;

/// <summary>
/// Check cells of notebook 07 (dense blocks). The expected answers come from the blocks themselves (a
/// <see cref="DenseBlock"/>'s output channels, a <see cref="TransitionLayer"/>'s parameters, the
/// <see cref="ChannelGrowth"/> trace's concatenated bytes); the hints name the usual slips: forgetting the block's
/// input channels, off by one layer, forgetting batch norm's two values per channel, or counting only the last copy.
/// </summary>
/// <remarks>First used in notebook 07 (Dense blocks: every layer sees every earlier map), section "Exercise 7.1: channels after a dense block".</remarks>
public static class Lesson07
{
    /// <summary>
    /// Exercise 7.1: channels leaving a dense block with 32 input channels, L = 5 layers and growth rate k = 16 (not the
    /// 24-channel block the notebook prints, so the answer is not on the page).
    /// </summary>
    public static ExerciseResult CheckChannelsAfterBlock(long answer)
    {
        using var block = new DenseBlock(32, 5, 16);
        long expected = block.OutChannels;
        return Exercise.Check("7.1", answer, expected,
            "Every layer adds k maps to what it received, and the block hands on everything: its input plus L·k new maps.",
            "The block's output is the concatenation of its input and the outputs of all L layers; each layer contributes exactly k maps.",
            new(a => a == 0, "Replace 0 with the number of channels the block outputs."),
            new(a => a == 5 * 16, "That is only the new maps (L·k). The block's input is part of the concatenation too: add its 32 channels."),
            new(a => a == 32 + 4 * 16, "Off by one layer: count all 5 layers, each adds k = 16 maps."),
            new(a => a == 16, "A single layer outputs k = 16 maps, but the block concatenates them with everything before."),
            new(a => a == 32 * 5 || a == 32 * 16, "Channels do not multiply: concatenation adds k maps per layer to the 32 the block starts with."),
            new(a => a == 32 + 5 * 16 * 4, "The factor 4 belongs to the bottleneck inside a layer (4k maps before the 3x3); each layer still adds only k maps to the block's output."));
    }

    /// <summary>Exercise 7.2: trainable parameters of a transition layer with 96 input channels and compression θ = 0.5 (BN-ReLU-conv 1x1, 2x2 average pool).</summary>
    public static ExerciseResult CheckTransitionParameters(long answer)
    {
        using var layer = new TransitionLayer(96, 0.5);
        long expected = layer.ParameterCount;
        long outC = layer.OutChannels;
        long conv = 96 * outC + outC;
        return Exercise.Check("7.2", answer, expected,
            "Batch norm learns a scale and a shift per input channel, the 1x1 convolution maps 96 to θ·96 channels with a bias, and pooling learns nothing.",
            "Add up three parts: batch norm over the 96 input channels (2 values each), the 1x1 conv's weights (in · out · 1 · 1) and its biases (one per output channel), and the pool (no weights).",
            new(a => a == 0, "Replace 0 with the number of trainable values of the transition layer."),
            new(a => a == conv, "The convolution is right. The layer starts with batch norm (pre-activation), which learns a scale and a shift for each of the 96 input channels."),
            new(a => a == 96 * outC + 2 * 96, "Almost: the 1x1 convolution also has one bias per output channel (it follows the batch norm here, so nothing cancels it)."),
            new(a => a == 96 * outC, "Those are the 1x1 weights only: add the conv's biases and batch norm's scale and shift per input channel."),
            new(a => a == 96 * 96 + 96 + 2 * 96 || a == 96 * 96 + 96 || a == 96 * 96, "That keeps all 96 channels. Compression θ = 0.5 makes the 1x1 conv output ⌊0.5 · 96⌋ channels."),
            new(a => a > expected && a <= expected + 4 * 96 * outC, "The 2x2 average pool has no weights: it just averages, so it adds no parameters."),
            new(a => a == 2 * outC + conv, "Batch norm comes before the conv here (BN-ReLU-conv), so it normalizes the 96 input channels, not the outputs."));
    }

    /// <summary>
    /// Exercise 7.3: bytes per image (float32) of the tensors that concatenation creates in a dense block with 24 input channels,
    /// 4 layers and growth 12 on 28x28 maps: the inputs of layers 2 to 4 and the block's output.
    /// </summary>
    public static ExerciseResult CheckConcatenatedBytes(long answer)
    {
        using var block = new DenseBlock(24, 4, 12);
        var trace = ChannelGrowth.Trace(block, new FeatureShape(24, 28, 28));
        long expected = trace.MergedBytes;
        const long pixels = 28 * 28;
        long values = expected / sizeof(float);
        return Exercise.Check("7.3", answer, expected,
            "The copies grow with every layer (in + k, in + 2k, ...), so their total grows with the square of L: the reason memory-efficient DenseNets recompute them.",
            "List the concatenated tensors: layer i (i = 2..4) receives a new tensor of 24 + (i-1)·12 channels, and the block's output is one more with 24 + 4·12. Sum the channels, times 28·28 pixels, times 4 bytes.",
            new(a => a == 0, "Replace 0 with the number of bytes."),
            new(a => a == values, "That is the number of values. Each float32 value takes 4 bytes."),
            new(a => a == block.OutChannels * pixels * sizeof(float), "That is only the block's output. The inputs of layers 2, 3 and 4 are concatenated copies too."),
            new(a => a == expected + 24 * pixels * sizeof(float), "Layer 1 receives the block's input as it is (nothing is concatenated yet): leave that one out."),
            new(a => a == 4 * 12 * pixels * sizeof(float), "That counts only the new maps. Each concatenation copies all earlier maps too, input included."),
            new(a => a == expected - block.OutChannels * pixels * sizeof(float), "Those are the layers' inputs; the block's output is one more concatenation (24 + 4·12 channels)."));
    }
}
