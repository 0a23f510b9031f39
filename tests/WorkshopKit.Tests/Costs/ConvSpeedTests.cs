using WorkshopKit.Costs;

namespace WorkshopKit.Tests.Costs;

public class ConvSpeedTests
{
    // Brute force: multiply-adds of a stride-1 convolution with zero padding k/2, counting only taps on real pixels.
    private static (long Products, long Outputs) Count(int channels, int size, int outChannels, int k)
    {
        long products = 0;
        for (int oy = 0; oy < size; oy++)
            for (int ox = 0; ox < size; ox++)
                for (int ky = 0; ky < k; ky++)
                    for (int kx = 0; kx < k; kx++)
                    {
                        int iy = oy - k / 2 + ky, ix = ox - k / 2 + kx;
                        if (iy >= 0 && iy < size && ix >= 0 && ix < size) products++;
                    }
        return (products * channels * outChannels, (long)outChannels * size * size);
    }

    [Fact]
    public void EveryCpuMethodIsTimedWithTheConvolutionsExactCountAndItsOwnWork()
    {
        int before = get_num_threads();
        var result = ConvSpeed.Compare(channels: 2, size: 5, outChannels: 3, kernel: 3, warmup: 1, iterations: 3, seed: 4);
        Assert.Equal(before, get_num_threads());
        var (products, outputs) = Count(2, 5, 3, 3);
        Assert.Equal(5, result.Rows.Count); // no GPU given: no cuDNN row
        foreach (var row in result.Rows)
        {
            // products multiplications + (products - outputs) additions, no bias.
            Assert.Equal(2 * products - outputs, row.UsefulFlops);
            Assert.True(row.SecondsPerCall > 0 && double.IsFinite(row.GflopsPerSecond), row.Method);
        }
        Assert.Equal(2 * products, result[ConvMethod.SparseMatrix].FlopsPerformed);
        Assert.Equal(2 * products, result[ConvMethod.SparseMatrixCoo].FlopsPerformed);
        long denseEntries = 3L * 25 * 2 * 25;
        Assert.Equal(2 * denseEntries, result[ConvMethod.DenseMatrix].FlopsPerformed);
        Assert.Equal(2L * 3 * 2 * 9 * 25, result[ConvMethod.Conv2d].FlopsPerformed); // every tap, padding included
        Assert.Contains("conv2d", result.ToString(), StringComparison.Ordinal);
        string html = Plotly.NET.GenericChart.toChartHTML(result.Chart());
        Assert.Contains("\"type\":\"log\"", html, StringComparison.Ordinal);
        Assert.Contains("GFLOP/s", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TimingRefusesAMethodThatGetsTheWrongAnswer()
    {
        using var expected = ones(4);
        var error = Assert.Throws<InvalidOperationException>(() => ConvSpeed.Time("broken", "cpu", () => zeros(4), 8, 8, 0, 1, expected));
        Assert.Contains("broken", error.Message, StringComparison.Ordinal);
        var row = ConvSpeed.Time("fine", "cpu", () => ones(4), 8, 4, 0, 3, expected);
        Assert.Equal(2.0, row.PerformedGflopsPerSecond / row.GflopsPerSecond, 9);
        // A TF32-sized error (1e-3 relative) fails the default float32 check but passes the looser GPU tolerance.
        Assert.Throws<InvalidOperationException>(() => ConvSpeed.Time("tf32", "cpu", () => ones(4) * 1.001, 8, 8, 0, 1, expected));
        Assert.True(ConvSpeed.Time("tf32", "cpu", () => ones(4) * 1.001, 8, 8, 0, 1, expected, tolerance: 1e-2).SecondsPerCall > 0);
    }

    [Fact]
    public void BadSizesAreRefusedWithTheRule()
    {
        Assert.Contains("odd", Assert.Throws<ArgumentException>(() => ConvSpeed.Compare(2, 5, 3, kernel: 4)).Message, StringComparison.Ordinal);
        Assert.Contains("dense W", Assert.Throws<ArgumentException>(() => ConvSpeed.Compare(16, 64, 16)).Message, StringComparison.Ordinal);
        Assert.Contains("channels=0", Assert.Throws<ArgumentException>(() => ConvSpeed.Compare(0, 5, 3)).Message, StringComparison.Ordinal);
        Assert.Contains("cpuThreads", Assert.Throws<ArgumentException>(() => ConvSpeed.Compare(2, 5, 3, cpuThreads: 0)).Message, StringComparison.Ordinal);
        var result = ConvSpeed.Compare(1, 3, 1, warmup: 0, iterations: 1);
        Assert.Contains("sparse", Assert.Throws<ArgumentException>(() => result[ConvMethod.Conv2dCudnn]).Message, StringComparison.Ordinal);
    }
}
