using WorkshopKit.Blocks;
using WorkshopKit.Tests.Runtime;

namespace WorkshopKit.Tests.Blocks;

public class CompositeBlockTests
{
    // Closed forms written here, independently of the blocks: a conv with batch norm has k²·in·out weights and 2·out
    // BN parameters (no bias); a conv without norm has k²·in·out + out.
    private static long ConvBn(long k, long cin, long cout) => k * k * cin * cout + 2 * cout;
    private static long ConvBias(long k, long cin, long cout) => k * k * cin * cout + cout;

    [Theory]
    [InlineData(16, 32, 2, 28, 14)]
    [InlineData(16, 32, 2, 15, 8)]
    [InlineData(8, 16, 1, 9, 9)]
    public void AuthorsCollaborativeBlockHasFourQuarterBranchesAndTheStrideOnTheLastOp(long cin, long cout, long stride, long size, long expectedSize)
    {
        var block = new CollaborativeBlock(cin, cout, stride);
        using var y = block.call(randn(2, cin, size, size));
        Assert.Equal([2, cout, expectedSize, expectedSize], y.shape);
        long w = cout / 4;
        long expected =
            ConvBn(1, cin, w) + ConvBn(3, w, w) +                     // 1x1 -> 3x3
            ConvBn(1, cin, w) + ConvBn(3, w, w) + ConvBn(3, w, w) +   // 1x1 -> 3x3 -> 3x3
            ConvBn(1, cin, w) +                                       // 3x3 max pool -> 1x1
            ConvBn(1, cin, w);                                        // 1x1
        Assert.Equal(expected, block.ParameterCount);
        Assert.Equal(4, block.BranchList.Count);
    }

    [Theory]
    [InlineData(28)]
    [InlineData(14)]
    [InlineData(32)]
    public void TransposedCollaborativeBlockRestoresTheSizeOfItsForwardTwin(long size)
    {
        var down = new CollaborativeBlock(8, 16, stride: 2);
        var up = new CollaborativeBlock(16, 8, stride: 2, transposed: true);
        using var x = randn(1, 8, size, size);
        using var mid = down.call(x);
        using var back = up.call(mid);
        Assert.Equal(x.shape, back.shape);
        Assert.Equal(new FeatureShape(8, size, size), up.OutputShape(down.OutputShape(new FeatureShape(8, size, size))));
    }

    [Fact]
    public void DilatedVariantIsLabelledAsOurExtensionAndKeepsTheSize()
    {
        var block = new CollaborativeBlock(8, 16, branches: Branches.DilatedExtension);
        using var y = block.call(randn(1, 8, 12, 12));
        Assert.Equal([1, 16, 12, 12], y.shape);
        // Dilation 3 turns the 3x3 kernel into a 7-pixel span: the widest branch sees 1 + 6 = 7 pixels.
        Assert.Equal(7, block.Describe(new FeatureShape(8, 12, 12)).Field.Size);
    }

    [Fact]
    public void MermaidNamesEveryBranchAndDrawsOneNodePerLayer()
    {
        var block = new CollaborativeBlock(16, 32, stride: 2);
        var report = block.Describe(new FeatureShape(16, 28, 28));
        string text = report.Mermaid;
        Assert.StartsWith("flowchart TD", text, StringComparison.Ordinal);
        Assert.Contains("branch 1: 1x1 → 3x3\"", text, StringComparison.Ordinal);
        Assert.Contains("branch 2: 1x1 → 3x3 → 3x3\"", text, StringComparison.Ordinal);
        Assert.Contains("branch 3: 3x3 maxpool → 1x1\"", text, StringComparison.Ordinal);
        Assert.Contains("branch 4: 1x1\"", text, StringComparison.Ordinal);
        Assert.Contains("concatenate on channels", text, StringComparison.Ordinal);
        // 7 layers in the four branches: 2 + 3 + 2 + 1.
        Assert.Equal(8, report.Layers.Count);
        Assert.Equal(8, text.Split('\n').Count(l => l.Contains("conv ", StringComparison.Ordinal) || l.Contains("max pool", StringComparison.Ordinal)));
        Assert.Equal(4, text.Split('\n').Count(l => l.TrimStart().StartsWith("subgraph", StringComparison.Ordinal)));
    }

    [Fact]
    public void ResidualBlockUsesIdentityWhenTheShapeStaysAndA1x1ProjectionOtherwise()
    {
        var same = new ResidualBlock(16, 16);
        Assert.False(same.HasProjection);
        Assert.Equal(2 * ConvBn(3, 16, 16), same.ParameterCount);
        var proj = new ResidualBlock(16, 32, stride: 2);
        Assert.True(proj.HasProjection);
        Assert.Equal(ConvBn(3, 16, 32) + ConvBn(3, 32, 32) + ConvBn(1, 16, 32), proj.ParameterCount);
        using var y = proj.call(randn(2, 16, 15, 15));
        Assert.Equal([2, 32, 8, 8], y.shape);
        var pre = new ResidualBlock(16, 32, 2, ResidualVariant.PreActivation);
        // Pre-activation: BN on each conv's input (2·in), convs keep their bias, projection is a plain 1x1 conv.
        Assert.Equal(2 * 16 + ConvBias(3, 16, 32) + 2 * 32 + ConvBias(3, 32, 32) + ConvBias(1, 16, 32), pre.ParameterCount);
        string mermaid = pre.ToMermaid(new FeatureShape(16, 15, 15));
        Assert.Contains("shortcut: 1x1 projection", mermaid, StringComparison.Ordinal);
        Assert.Contains("main path", same.ToMermaid(new FeatureShape(16, 8, 8)), StringComparison.Ordinal);
        Assert.Contains("shortcut: identity", same.ToMermaid(new FeatureShape(16, 8, 8)), StringComparison.Ordinal);
    }

    [Fact]
    public void ResidualBlockWithZeroedConvolutionsIsTheIdentityThenActivation()
    {
        // With the main path's last BN scale γ = 0 the block outputs relu(x): the shortcut carries the input unchanged.
        var block = new ResidualBlock(4, 4);
        block.eval();
        foreach (var (name, p) in block.named_parameters())
            if (name.Contains("items.1.norm", StringComparison.Ordinal)) using (no_grad()) p.zero_();
        using var x = randn(1, 4, 5, 5);
        using var y = block.call(x);
        Assert.True(y.allclose(x.relu(), 1e-6, 1e-6));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DenseBlockGrowsByKPerLayerAndCountsParametersByTheDenseNetFormula(bool bottleneck)
    {
        long c0 = 8, k = 6;
        int layers = 3;
        var block = new DenseBlock(c0, layers, k, bottleneck);
        using var y = block.call(randn(2, c0, 9, 9));
        Assert.Equal([2, c0 + layers * k, 9, 9], y.shape);
        long expected = 0;
        for (int i = 0; i < layers; i++)
        {
            long c = c0 + i * k; // layer i sees the input and the i earlier outputs
            // Pre-activation layers: BN(2·c) on the input, then conv with bias.
            expected += bottleneck ? 2 * c + ConvBias(1, c, 4 * k) + 2 * 4 * k + ConvBias(3, 4 * k, k) : 2 * c + ConvBias(3, c, k);
        }
        Assert.Equal(expected, block.ParameterCount);
    }

    [Fact]
    public void DenseBlockOutputStartsWithItsInputUnchanged()
    {
        var block = new DenseBlock(3, 2, 4);
        using var x = randn(1, 3, 6, 6);
        using var y = block.call(x);
        Assert.True(y[.., ..3].eq(x).all().item<bool>());
    }

    [Fact]
    public void TransitionCompressesChannelsAndHalvesTheSize()
    {
        var t = new TransitionLayer(30, 0.5);
        using var y = t.call(randn(1, 30, 9, 9));
        Assert.Equal([1, 15, 4, 4], y.shape);
        Assert.Equal(2 * 30 + ConvBias(1, 30, 15), t.ParameterCount);
        Assert.Equal(7, new TransitionLayer(15, 0.5).OutChannels);
    }

    [Fact]
    public void DescribedOutputShapesMatchTheTensorsForEveryZooModel()
    {
        foreach (var name in ModelZoo.Names)
        {
            var model = ModelZoo.Create(name);
            var report = model.Describe(FeatureShape.Mnist);
            using var y = model.call(randn(2, 1, 28, 28));
            Assert.Equal([2, 10], y.shape);
            Assert.Equal(new FeatureShape(10, 1, 1), report.Output);
            Assert.Equal(model.ParameterCount, report.Parameters);
            Assert.InRange(model.ParameterCount, 50_000, 150_000); // "similar parameter budget"
            Assert.True(report.Macs > 0);
        }
        var plain = ModelZoo.PlainStack(20);
        var residual = ModelZoo.ResidualStack(20);
        using var a = plain.call(randn(1, 1, 28, 28));
        using var b = residual.call(randn(1, 1, 28, 28));
        Assert.Equal(20, plain.Describe(FeatureShape.Mnist).Layers.Count(l => l.Name.Split('/')[^1].StartsWith("conv", StringComparison.Ordinal) || l.Name.EndsWith("stem", StringComparison.Ordinal)));
    }

    public static TheoryData<string> GradientCases => ["conv", "collaborative", "collaborative-transposed", "dilated", "residual", "residual-pre", "dense", "dense-bottleneck", "transition", "tconv", "resize", .. ModelZoo.Names.Select(n => "zoo:" + n), "plain-stack", "residual-stack"];

    [Theory]
    [MemberData(nameof(GradientCases))]
    public void GradientsReachEveryParameter(string which) => CheckGradients(which, checkFinite: false);

    [Theory]
    [MemberData(nameof(GradientCases))]
    public void GradientsAreFinite(string which) => CheckGradients(which, checkFinite: true); // float32, on every host

    private static void CheckGradients(string which, bool checkFinite)
    {
        torch.manual_seed(7);
        Block block = which switch
        {
            "conv" => new ConvLayer(3, 8, 3, 2, normalization: Normalization.Batch),
            "collaborative" => new CollaborativeBlock(3, 8, 2),
            "collaborative-transposed" => new CollaborativeBlock(3, 8, 2, transposed: true),
            "dilated" => new CollaborativeBlock(3, 8, branches: Branches.DilatedExtension),
            "residual" => new ResidualBlock(3, 8, 2),
            "residual-pre" => new ResidualBlock(3, 8, 2, ResidualVariant.PreActivation),
            "dense" => new DenseBlock(3, 3, 4),
            "dense-bottleneck" => new DenseBlock(3, 3, 4, bottleneck: true),
            "transition" => new TransitionLayer(3, 0.7),
            "tconv" => new TransposedConvLayer(3, 4, normalization: Normalization.Batch),
            "resize" => new ResizeConv(3, 4),
            "plain-stack" => ModelZoo.PlainStack(20),
            "residual-stack" => ModelZoo.ResidualStack(20),
            _ => ModelZoo.Create(which[4..]),
        };
        long channels = which.Contains("stack", StringComparison.Ordinal) || which.StartsWith("zoo:", StringComparison.Ordinal) ? 1 : 3;
        long size = channels == 1 ? 28 : 10;
        // float32, as the notebooks train, on every host (the kit's cure, not a float64 fallback, makes a faulty host right).
        var dtype = ScalarType.Float32;
        block.to(dtype);
        // The scope keeps every intermediate tensor referenced until backward is done (see docs/blocks.md on scopes).
        using var scope = NewDisposeScope();
        var x = randn(4, channels, size, size, dtype: dtype);
        var y = block.call(x);
        // A random projection of the output, so every output element has a nonzero weight in the loss.
        var loss = (y * randn(y.shape, dtype: dtype)).sum();
        loss.backward();
        var zero = new List<string>();
        var bad = new List<string>();
        Assert.True(loss.isfinite().item<bool>(), "loss");
        foreach (var (name, p) in block.named_parameters())
        {
            Assert.True(p.grad is not null, $"{which}: {name} has no gradient");
            if (checkFinite && !p.grad!.isfinite().all().item<bool>()) bad.Add($"{name} ({p.grad.isnan().sum().item<long>()} NaN of {p.grad.numel()})");
            // "Reached" = at least one nonzero entry (NaN counts as reached; finiteness is the separate test above).
            if (!p.grad!.ne(0).any().item<bool>()) zero.Add(name);
        }
        Assert.True(bad.Count == 0, $"{which}: non-finite gradients for {string.Join(", ", bad)}");
        Assert.True(zero.Count == 0, $"{which}: all-zero gradients for {string.Join(", ", zero)}");
    }
}
