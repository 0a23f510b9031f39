using WorkshopKit.Geometry;
using WorkshopKit.Visuals;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Tests.Visuals;

public class GeometryWalkthroughTests
{
    public static TheoryData<int, int, int, int, string> Configurations() => new()
    {
        { 6, 3, 2, 2, "SAME(TF)" },   // odd total: one zero, at the end
        { 5, 3, 1, 1, "SAME(TF)" },   // stride 1: one zero per side
        { 7, 3, 1, 2, "VALID" },      // different strides per direction
        { 6, 4, 1, 1, "same(PyTorch)" },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void TheWalkthroughUsesTheGeometrysStrideAndPadding_AndMatchesConv2d(int size, int k, int strideY, int strideX, string rule)
    {
        var padding = new[] { ConvPadding.Valid, ConvPadding.SameTensorFlow, ConvPadding.SamePyTorch }.Single(p => p.ToString() == rule);
        var g = ConvGeometry.Conv2d((size, size), (k, k), (strideY, strideX), padding);
        using var scope = NewDisposeScope();
        manual_seed(5);
        var x = randint(0, 5, [size, size]).to_type(ScalarType.Float32);
        var w = randint(-1, 2, [k, k]).to_type(ScalarType.Float32);

        var walk = g.Walkthrough(x, w);

        Assert.Equal((g.Height.PadBefore, g.Height.PadAfter, g.Width.PadBefore, g.Width.PadAfter), walk.Padding);
        Assert.Equal((strideY, strideX), walk.Stride);
        var reference = F.conv2d(F.pad(x.reshape(1, 1, size, size), g.PadArgument), w.reshape(1, 1, k, k), strides: [strideY, strideX])[0, 0];
        Assert.Equal(new long[] { g.Height.Output, g.Width.Output }, reference.shape);
        Assert.Equal(reference.contiguous().data<float>().ToArray(), walk.Output.Cast<float>().ToArray());
    }

    [Fact]
    public void AMismatchedInputOrKernelOrADilationIsRefusedWithTheSizes()
    {
        var g = ConvGeometry.Conv2d((6, 6), (3, 3), (2, 2), ConvPadding.SameTensorFlow);
        using var x = zeros(5, 5);
        using var w = zeros(3, 3);
        var e = Assert.Throws<ArgumentException>(() => g.Walkthrough(x, w));
        Assert.Contains("6x6 input", e.Message, StringComparison.Ordinal);
        using var x6 = zeros(6, 6);
        using var w2 = zeros(2, 2);
        Assert.Contains("3x3 kernel", Assert.Throws<ArgumentException>(() => g.Walkthrough(x6, w2)).Message, StringComparison.Ordinal);
        var dilated = ConvGeometry.Conv2d((6, 6), (3, 3), dilation: (2, 2));
        Assert.Contains("dilation (2, 2)", Assert.Throws<ArgumentException>(() => dilated.Walkthrough(x6, w)).Message, StringComparison.Ordinal);
    }
}
