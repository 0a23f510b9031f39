using WorkshopKit.Geometry;

namespace WorkshopKit.Blocks;

/// <summary>
/// Small networks for 28x28 single-channel images (MNIST, Fashion-MNIST), each about 100 thousand parameters so the
/// capstone compares designs rather than sizes. Every model is a <see cref="BlockSequence"/> and can describe itself.
/// </summary>
/// <remarks>First used in notebook 04 (Pooling and upsampling), section "3 · A small encoder-decoder".</remarks>
public static class ModelZoo
{
    /// <summary>The names accepted by <see cref="Create"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["plain", "collaborative", "resnet", "densenet"];

    /// <summary>Builds a zoo model by name (see <see cref="Names"/>).</summary>
    /// <exception cref="ArgumentException">An unknown name.</exception>
    public static BlockSequence Create(string name, long classes = 10) => name switch
    {
        "plain" => PlainCnn(classes),
        "collaborative" => CollaborativeCnn(classes),
        "resnet" => SmallResNet(classes),
        "densenet" => SmallDenseNet(classes),
        _ => throw new ArgumentException($"Unknown zoo model '{name}'; use one of: {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>The classic small CNN: two conv-BN-ReLU + 2x2 max pool stages (16 and 32 maps), a 64-unit hidden layer, class scores.</summary>
    public static BlockSequence PlainCnn(long classes = 10) => new("plain CNN",
        new ConvLayer(1, 16, 3, normalization: Normalization.Batch, name: "conv1"),
        new MaxPool2d(2, name: "pool1"),
        new ConvLayer(16, 32, 3, normalization: Normalization.Batch, name: "conv2"),
        new MaxPool2d(2, name: "pool2"),
        new ClassifierHead(new FeatureShape(32, 7, 7), classes, globalPool: false, hiddenUnits: 64));

    /// <summary>A stem convolution and four collaborative-filter blocks (the author's branches), two of them strided, then global pooling.</summary>
    public static BlockSequence CollaborativeCnn(long classes = 10) => new("collaborative CNN",
        new ConvLayer(1, 16, 3, normalization: Normalization.Batch, name: "stem"),
        new CollaborativeBlock(16, 32, stride: 2, name: "collab1"),
        new CollaborativeBlock(32, 64, stride: 2, name: "collab2"),
        new CollaborativeBlock(64, 128, stride: 1, name: "collab3"),
        new CollaborativeBlock(128, 128, stride: 1, name: "collab4"),
        new ClassifierHead(new FeatureShape(128, 7, 7), classes));

    /// <summary>A stem convolution and three post-activation residual blocks (16, 32 and 64 maps; the last two strided), then global pooling.</summary>
    public static BlockSequence SmallResNet(long classes = 10) => new("small ResNet",
        new ConvLayer(1, 16, 3, normalization: Normalization.Batch, name: "stem"),
        new ResidualBlock(16, 16, name: "res1"),
        new ResidualBlock(16, 32, stride: 2, name: "res2"),
        new ResidualBlock(32, 64, stride: 2, name: "res3"),
        new ClassifierHead(new FeatureShape(64, 7, 7), classes));

    /// <summary>A stem convolution, three bottleneck dense blocks (4 layers, growth 12) with two compressing transitions (θ = 0.5), then BN-free global pooling.</summary>
    public static BlockSequence SmallDenseNet(long classes = 10)
    {
        var d1 = new DenseBlock(24, 4, 12, bottleneck: true, name: "dense1");
        var t1 = new TransitionLayer(d1.OutChannels, 0.5, name: "transition1");
        var d2 = new DenseBlock(t1.OutChannels, 4, 12, bottleneck: true, name: "dense2");
        var t2 = new TransitionLayer(d2.OutChannels, 0.5, name: "transition2");
        var d3 = new DenseBlock(t2.OutChannels, 4, 12, bottleneck: true, name: "dense3");
        return new BlockSequence("small DenseNet",
            new ConvLayer(1, 24, 3, normalization: Normalization.Batch, name: "stem"),
            d1, t1, d2, t2, d3,
            new ClassifierHead(new FeatureShape(d3.OutChannels, 7, 7), classes));
    }

    /// <summary>
    /// For the depth experiment: <paramref name="convLayers"/> 3x3 convolutions of 16 maps (downsampling by stride 2 at
    /// one third and two thirds of the depth), no shortcuts, then global pooling.
    /// </summary>
    public static BlockSequence PlainStack(int convLayers = 20, Normalization normalization = Normalization.None, long classes = 10)
    {
        if (convLayers < 6 || convLayers % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(convLayers), convLayers, "Use an even number of at least 6 layers, so the residual twin pairs them into blocks.");
        var blocks = new List<Block> { new ConvLayer(1, 16, 3, normalization: normalization, name: "stem") };
        int pairs = (convLayers - 2) / 2;
        for (int i = 0; i < pairs; i++)
        {
            long stride = StrideAt(i, pairs);
            blocks.Add(new ConvLayer(16, 16, 3, stride, normalization: normalization, name: $"conv{2 * i + 2}"));
            blocks.Add(new ConvLayer(16, 16, 3, normalization: normalization, name: $"conv{2 * i + 3}"));
        }
        blocks.Add(new ConvLayer(16, 16, 3, normalization: normalization, name: $"conv{convLayers}"));
        blocks.Add(new ClassifierHead(new FeatureShape(16, 7, 7), classes));
        return new BlockSequence($"plain stack ({convLayers} conv)", [.. blocks]);
    }

    /// <summary>The residual twin of <see cref="PlainStack"/>: the same convolutions, paired into residual blocks with shortcuts.</summary>
    public static BlockSequence ResidualStack(int convLayers = 20, Normalization normalization = Normalization.None, long classes = 10)
    {
        if (convLayers < 6 || convLayers % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(convLayers), convLayers, "Use an even number of at least 6 layers, so the layers pair into blocks.");
        var blocks = new List<Block> { new ConvLayer(1, 16, 3, normalization: normalization, name: "stem") };
        int pairs = (convLayers - 2) / 2;
        for (int i = 0; i < pairs; i++)
            blocks.Add(new ResidualBlock(16, 16, StrideAt(i, pairs), normalization: normalization, name: $"res{i + 1}"));
        blocks.Add(new ConvLayer(16, 16, 3, normalization: normalization, name: $"conv{convLayers}"));
        blocks.Add(new ClassifierHead(new FeatureShape(16, 7, 7), classes));
        return new BlockSequence($"residual stack ({convLayers} conv)", [.. blocks]);
    }

    private static long StrideAt(int pair, int pairs) => pair == pairs / 3 || pair == 2 * pairs / 3 ? 2 : 1;
}
