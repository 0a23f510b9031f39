using WorkshopKit.Blocks;
using WorkshopKit.Exercises;
using WorkshopKit.Geometry;

namespace WorkshopKit.Tests.Exercises;

// The tensor and layer exercises (0.2, 2.5, 3.5, 4.4, 5.4): a placeholder gets a hint, the solution passes, the usual mistakes get their own hint.
public class TensorExerciseTests
{
    [Fact]
    public void ColumnSums()
    {
        using var x = arange(12, dtype: ScalarType.Float32).reshape(3, 4);
        Assert.False(Lesson00.CheckColumnSums(null, x).Passed);
        Assert.True(Lesson00.CheckColumnSums(x.sum(dim: 0), x).Passed);
        Assert.Contains("row sums", Lesson00.CheckColumnSums(x.sum(dim: 1), x).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnfoldConvolution()
    {
        manual_seed(25);
        using var x = randn(1, 2, 5, 5);
        using var w = randn(3, 2, 3, 3);
        using var columns = nn.functional.unfold(x, 3);
        using var product = w.reshape(3, -1).matmul(columns);
        Assert.False(Lesson02.CheckUnfoldConvolution(null, x, w).Passed);
        Assert.True(Lesson02.CheckUnfoldConvolution(product.reshape(1, 3, 3, 3), x, w).Passed);
        Assert.Contains("reshape", Lesson02.CheckUnfoldConvolution(product, x, w).Message, StringComparison.Ordinal);
        Assert.Contains("batch", Lesson02.CheckUnfoldConvolution(product.reshape(3, 3, 3), x, w).Message, StringComparison.Ordinal);
        using var permuted = w.permute(0, 2, 3, 1).reshape(3, -1).matmul(columns).reshape(1, 3, 3, 3);
        Assert.Contains("permute", Lesson02.CheckUnfoldConvolution(permuted, x, w).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SamePort()
    {
        manual_seed(35);
        using var x = randn(1, 1, 28, 28);
        using var w = randn(1, 1, 5, 5);
        Assert.False(Lesson03.CheckSamePort(null, x, w).Passed);
        using var port = nn.functional.conv2d(nn.functional.pad(x, [1, 2, 1, 2]), w, strides: [2, 2]);
        Assert.True(Lesson03.CheckSamePort(port, x, w).Passed);
        using var symmetric = nn.functional.conv2d(x, w, strides: [2, 2], padding: [2, 2]);
        Assert.Contains("symmetric", Lesson03.CheckSamePort(symmetric, x, w).Message, StringComparison.Ordinal);
        using var swapped = nn.functional.conv2d(nn.functional.pad(x, [2, 1, 2, 1]), w, strides: [2, 2]);
        Assert.Contains("two zeros before", Lesson03.CheckSamePort(swapped, x, w).Message, StringComparison.Ordinal); // at stride 2 the same numbers as padding=2
        using var valid = nn.functional.conv2d(x, w, strides: [2, 2]);
        Assert.Contains("VALID", Lesson03.CheckSamePort(valid, x, w).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecoderLayer()
    {
        Assert.False(Lesson04.CheckDecoderLayer(null).Passed);
        using var right = nn.ConvTranspose2d(4, 8, 4, stride: 2, padding: 1);
        Assert.True(Lesson04.CheckDecoderLayer(right).Passed);
        using var unpadded = nn.ConvTranspose2d(4, 8, 4, stride: 2);
        Assert.Contains("crops", Lesson04.CheckDecoderLayer(unpadded).Message, StringComparison.Ordinal);
        using var threeByThree = nn.ConvTranspose2d(4, 8, 3, stride: 2, padding: 1, output_padding: 1);
        Assert.Contains("4x4", Lesson04.CheckDecoderLayer(threeByThree).Message, StringComparison.Ordinal);
        using var wrongChannels = nn.ConvTranspose2d(3, 8, 4, stride: 2, padding: 1);
        Assert.False(Lesson04.CheckDecoderLayer(wrongChannels).Passed);
    }

    [Fact]
    public void OneByOne()
    {
        manual_seed(54);
        using var x = randn(1, 6, 4, 4);
        using var w = randn(3, 6, 1, 1);
        Assert.False(Lesson05.CheckOneByOne(null, x, w).Passed);
        using var product = w.reshape(3, 6).matmul(x.reshape(6, 16));
        Assert.True(Lesson05.CheckOneByOne(product.reshape(1, 3, 4, 4), x, w).Passed);
        Assert.Contains("reshape", Lesson05.CheckOneByOne(product, x, w).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFixedTransposedTwinHasNoBlindPixelsAndTheAuthorsHas()
    {
        manual_seed(6);
        using var author = new CollaborativeBlock(8, 16, stride: 2, transposed: true);
        using var twin = new CollaborativeBlock(8, 16, stride: 2, transposed: true, branches: Branches.TransposedTwin);
        author.eval();
        twin.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var probe = randn(64, 8, 7, 7);
        var blindAuthor = author.call(probe).std([0]).split(4, 0).Select(s => s.eq(0).all(0L).sum().item<long>()).ToArray();
        var blindTwin = twin.call(probe).std([0]).split(4, 0).Select(s => s.eq(0).all(0L).sum().item<long>()).ToArray();
        Assert.Equal([0L, 0L, 14 * 14 * 3 / 4, 14 * 14 * 3 / 4], blindAuthor);
        Assert.All(blindTwin, b => Assert.Equal(0L, b));
    }
}
