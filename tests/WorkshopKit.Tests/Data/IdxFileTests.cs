using WorkshopKit.Data;

namespace WorkshopKit.Tests.Data;

public class IdxFileTests
{
    // A 2x3 unsigned-byte array written out by hand from the IDX description: 0x0000, type 0x08, rank 2,
    // dimensions 2 and 3 as big-endian int32, then the six values row by row.
    private static readonly byte[] TwoByThree = [0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 10, 20, 30, 40, 50, 255];

    [Fact]
    public void ReadsAHandWrittenArray()
    {
        var array = IdxFile.Read(TwoByThree);
        Assert.Equal([2, 3], array.Dimensions);
        Assert.Equal(new byte[] { 10, 20, 30, 40, 50, 255 }, array.Values);
    }

    [Fact]
    public void WriteProducesTheHandWrittenBytes()
    {
        Assert.Equal(TwoByThree, IdxFile.Write([2, 3], new byte[] { 10, 20, 30, 40, 50, 255 }));
    }

    [Fact]
    public void ReadsLargeDimensionsAsBigEndian()
    {
        // 0x00000103 = 259 values: a little-endian reader would see 0x03010000.
        byte[] bytes = [0, 0, 0x08, 1, 0, 0, 1, 3, .. new byte[259]];
        Assert.Equal([259], IdxFile.Read(bytes).Dimensions);
    }

    [Theory]
    [InlineData(new byte[] { 0x1f, 0x8b, 0x08, 1, 0, 0, 0, 1, 7 }, "bad magic")]
    [InlineData(new byte[] { 0, 0, 0x0D, 1, 0, 0, 0, 1, 7 }, "element type 0x0D")]
    [InlineData(new byte[] { 0, 0, 0x08 }, "truncated")]
    [InlineData(new byte[] { 0, 0, 0x08, 2, 0, 0, 0, 2 }, "truncated")]
    [InlineData(new byte[] { 0, 0, 0x08, 1, 0, 0, 0, 3, 7, 8 }, "truncated")]
    [InlineData(new byte[] { 0, 0, 0x08, 1, 0, 0, 0, 1, 7, 8 }, "trailing")]
    [InlineData(new byte[] { 0, 0, 0x08, 0 }, "0 dimensions")]
    public void RejectsDamagedDataWithAReason(byte[] bytes, string reason)
    {
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(bytes));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteRejectsAShapeThatDoesNotMatchTheValues()
    {
        var e = Assert.Throws<ArgumentException>(() => IdxFile.Write([2, 2], new byte[3]));
        Assert.Contains("holds 4 values but 3 were given", e.Message, StringComparison.Ordinal);
    }
}
