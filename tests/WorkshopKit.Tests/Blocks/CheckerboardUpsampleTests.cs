using WorkshopKit.Blocks;

namespace WorkshopKit.Tests.Blocks;

public class CheckerboardUpsampleTests
{
    // Brute-force transposed convolution with a constant kernel: every input pixel adds value·weight to a k×k patch of
    // the full output at (i·s, j·s); the layer's padding p crops p rows/columns from the start, and the result is n·s long.
    private static float[,] ScatterReference(float[,] x, int k, int s, float weight)
    {
        int n = x.GetLength(0), m = x.GetLength(1);
        int pad = (k - s + 1) / 2;
        var full = new float[(n - 1) * s + k + s, (m - 1) * s + k + s];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
                for (int a = 0; a < k; a++)
                    for (int b = 0; b < k; b++)
                        full[i * s + a, j * s + b] += x[i, j] * weight;
        var result = new float[n * s, m * s];
        for (int r = 0; r < n * s; r++)
            for (int c = 0; c < m * s; c++) result[r, c] = full[r + pad, c + pad];
        return result;
    }

    private static float[,] ToArray(Tensor t) => WorkshopKit.Visuals.TensorArrays.ToArray2d(t);

    [Theory]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(3, 3)]
    public void TransposedConvUpsampleMatchesAScatterLoop(int k, int s)
    {
        manual_seed(3);
        using var x = rand(1, 1, 5, 6);
        using var y = Checkerboard.TransposedConvUpsample(x, k, s);
        Assert.Equal(new long[] { 1, 1, 5 * s, 6 * s }, y.shape);
        var expected = ScatterReference(ToArray(x[0, 0]), k, s, (float)(s * s) / (k * k));
        var actual = ToArray(y[0, 0]);
        for (int r = 0; r < expected.GetLength(0); r++)
            for (int c = 0; c < expected.GetLength(1); c++) Assert.Equal(expected[r, c], actual[r, c], 5);
    }

    [Fact]
    public void AConstantImageComesOutAsACheckerboardWhoseAverageIsKept()
    {
        using var x = ones(1, 1, 8, 8);
        using var y = Checkerboard.TransposedConvUpsample(x, 3, 2);
        // Interior 2x2 blocks receive 4, 2, 2 and 1 taps of weight 4/9: 16/9, 8/9, 8/9, 4/9, whose mean is 1.
        using var block = y[0, 0, TensorIndex.Slice(4, 6), TensorIndex.Slice(4, 6)];
        var values = block.data<float>().ToArray().OrderBy(v => v).ToArray();
        Assert.Equal(new[] { 4f / 9, 8f / 9, 8f / 9, 16f / 9 }, values, new ToleranceComparer(1e-5f));
        Assert.Equal(1.0, values.Average(), 5);
    }

    [Fact]
    public void ResizeConvUpsampleMatchesNearestThenAWindowMeanAndKeepsAConstantInteriorFlat()
    {
        manual_seed(4);
        using var x = rand(2, 3, 4, 5);
        using var y = Checkerboard.ResizeConvUpsample(x, 3, 2);
        Assert.Equal(new long[] { 2, 3, 8, 10 }, y.shape);
        var src = ToArray(x[1, 2]);
        var actual = ToArray(y[1, 2]);
        for (int r = 0; r < 8; r++)
            for (int c = 0; c < 10; c++)
            {
                // Nearest copy then a 3x3 mean with one zero of padding on each side (SAME, stride 1, k = 3).
                float sum = 0;
                for (int a = -1; a <= 1; a++)
                    for (int b = -1; b <= 1; b++)
                    {
                        int rr = r + a, cc = c + b;
                        if (rr >= 0 && rr < 8 && cc >= 0 && cc < 10) sum += src[rr / 2, cc / 2];
                    }
                Assert.Equal(sum / 9, actual[r, c], 5);
            }

        using var flat = Checkerboard.ResizeConvUpsample(ones(1, 1, 6, 6));
        using var interior = flat[0, 0, TensorIndex.Slice(1, 11), TensorIndex.Slice(1, 11)];
        Assert.Equal(1f, interior.min().item<float>(), 6);
        Assert.Equal(1f, interior.max().item<float>(), 6);
    }

    [Fact]
    public void EvenOverlapExactlyWhenTheStrideDividesTheKernel()
    {
        // The rule stated by Odena, Dumoulin and Olah (Distill, 2016): overlap is even when the kernel size is divisible by the stride.
        for (long k = 1; k <= 9; k++)
        {
            Assert.Equal(k % 2 == 0, Checkerboard.HasEvenOverlap(k, 2));
            Assert.Equal(k % 3 == 0, Checkerboard.HasEvenOverlap(k, 3));
        }
    }

    [Fact]
    public void BadInputIsRefusedWithTheRule()
    {
        using var image = ones(28, 28);
        var notFourD = Assert.Throws<ArgumentException>(() => Checkerboard.TransposedConvUpsample(image));
        Assert.Contains("(N, C, H, W)", notFourD.Message, StringComparison.Ordinal);
        using var batch = ones(1, 1, 4, 4);
        var small = Assert.Throws<ArgumentException>(() => Checkerboard.TransposedConvUpsample(batch, kernel: 1, stride: 2));
        Assert.Contains("at least the stride", small.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Checkerboard.TransposedConvUpsample(batch, 3, 1));
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}
