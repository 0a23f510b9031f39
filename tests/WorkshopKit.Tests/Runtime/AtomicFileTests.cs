using System.Text;
using WorkshopKit.Runtime;

namespace WorkshopKit.Tests.Runtime;

public class AtomicFileTests
{
    private static string NewFolder() => Path.Combine(Path.GetTempPath(), "workshopkit-atomic-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void AtomicWriteReplacesTheFileAndLeavesNoTemporaryFile()
    {
        // Moved from DatasetBuilderTests with the dataset builder's own copy of the write (it now calls AtomicFile).
        string dir = NewFolder();
        try
        {
            string path = Path.Combine(dir, "sub", "file.bin");
            AtomicFile.WriteAllBytes(path, [1, 2, 3]);
            AtomicFile.WriteAllBytes(path, [4, 5]);
            Assert.Equal(new byte[] { 4, 5 }, File.ReadAllBytes(path));
            Assert.Equal([path], Directory.GetFiles(Path.Combine(dir, "sub")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void TextIsUtf8WithoutAByteOrderMarkLikeFileWriteAllText()
    {
        string dir = NewFolder();
        try
        {
            string mine = Path.Combine(dir, "a.txt"), theirs = Path.Combine(dir, "b.txt");
            AtomicFile.WriteAllText(mine, "größe ∑\n");
            File.WriteAllText(theirs, "größe ∑\n");
            Assert.Equal(File.ReadAllBytes(theirs), File.ReadAllBytes(mine));
            AtomicFile.WriteAllText(mine, "x", new UTF8Encoding(true));
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'x' }, File.ReadAllBytes(mine));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void AFailedWriteKeepsTheOldFileAndDeletesItsTemporaryFile()
    {
        string dir = NewFolder();
        try
        {
            string path = Path.Combine(dir, "keep.txt");
            AtomicFile.WriteAllText(path, "old");
            Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
            {
                stream.WriteByte(1);
                throw new InvalidOperationException("writer failed half way");
            }));
            Assert.Equal("old", File.ReadAllText(path));
            Assert.Equal([path], Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void LeftoversOfItsOwnPatternAreDeletedAndNothingElse()
    {
        string dir = NewFolder();
        Directory.CreateDirectory(dir);
        try
        {
            string leftover = Path.Combine(dir, $".zoo.json.{Guid.NewGuid():N}.tmp");
            string[] others = [Path.Combine(dir, "zoo.json"), Path.Combine(dir, "notes.tmp"), Path.Combine(dir, ".zoo.json.abc.tmp"), Path.Combine(dir, $"zoo.json.{Guid.NewGuid():N}.tmp")];
            foreach (var f in others.Append(leftover)) File.WriteAllText(f, "x");
            Assert.Empty(AtomicFile.DeleteLeftovers(dir, olderThan: TimeSpan.FromHours(1))); // too young: could be a writer's
            Assert.Equal([leftover], AtomicFile.DeleteLeftovers(dir));
            Assert.Equal(others.Order(StringComparer.Ordinal), Directory.GetFiles(dir).Order(StringComparer.Ordinal));
            Assert.Empty(AtomicFile.DeleteLeftovers(Path.Combine(dir, "missing")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
