using WorkshopKit.Data;

namespace WorkshopKit.Tests.Data;

public class DatasetTests
{
    // A dataset of n 1x1x1 "images" whose only pixel is the example's index, so every batch says which examples it holds.
    private static Dataset Indexed(int n) =>
        new("indexed", arange(n, dtype: ScalarType.Float32).reshape(n, 1, 1, 1), arange(n, dtype: ScalarType.Int64) % 3, ["a", "b", "c"]);

    private static List<long[]> BatchIndices(Dataset ds, int batchSize, bool shuffle, long seed)
    {
        var result = new List<long[]>();
        using var scope = NewDisposeScope();
        foreach (var (x, y) in ds.Batches(batchSize, shuffle, seed))
        {
            long[] idx = x.reshape(-1).to_type(ScalarType.Int64).data<long>().ToArray();
            // The label must travel with its image: label = index mod 3.
            Assert.Equal(idx.Select(i => i % 3).ToArray(), y.data<long>().ToArray());
            result.Add(idx);
        }
        return result;
    }

    [Fact]
    public void UnshuffledBatchesKeepTheStoredOrderAndIncludeTheLastPartialBatch()
    {
        using var ds = Indexed(10);
        var batches = BatchIndices(ds, 4, shuffle: false, seed: 0);
        Assert.Equal([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]], batches);
    }

    [Fact]
    public void ShuffledBatchesVisitEveryExampleOnceInASeededOrder()
    {
        using var ds = Indexed(103);
        var a = BatchIndices(ds, 10, shuffle: true, seed: 42);
        var b = BatchIndices(ds, 10, shuffle: true, seed: 42);
        var c = BatchIndices(ds, 10, shuffle: true, seed: 43);
        Assert.Equal(11, a.Count);
        Assert.Equal(3, a[^1].Length);
        long[] flat = a.SelectMany(x => x).ToArray();
        Assert.Equal(Enumerable.Range(0, 103).Select(i => (long)i), flat.Order());
        Assert.NotEqual(Enumerable.Range(0, 103).Select(i => (long)i), flat); // a shuffle of 103 items is the identity with probability 1/103!
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void ShuffledOrderMatchesTorchRandpermWithTheSameSeed()
    {
        // The documented recipe: torch.randperm(N) drawn from a torch.Generator seeded with the seed.
        using var ds = Indexed(50);
        using var g = new Generator(7);
        using var perm = randperm(50, generator: g);
        Assert.Equal(perm.data<long>().ToArray(), BatchIndices(ds, 50, shuffle: true, seed: 7).Single());
    }

    [Fact]
    public void BatchesAreCopiesThatBelongToTheCallersScope()
    {
        using var ds = Indexed(6);
        Tensor kept;
        using (NewDisposeScope())
        {
            var (x, _) = ds.Batches(6, shuffle: false, seed: 0).First();
            x.mul_(0); // changing a batch must not change the dataset
            kept = x;
        }
        Assert.True(kept.IsInvalid); // disposed with the scope that was current when the batch was made
        Assert.Equal(15f, ds.Images.sum().ToSingle());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheDocumentedLoopIdiomDisposesEachBatchAtTheEndOfItsIteration(bool outerScope)
    {
        // docs/data.md: open a scope in the loop body and attach the batch to it.
        using var ds = Indexed(6);
        var seen = new List<Tensor>();
        var outer = outerScope ? NewDisposeScope() : null;
        foreach (var (x, y) in ds.Batches(2, shuffle: true, seed: 3))
        {
            using var scope = NewDisposeScope();
            scope.Attach(x);
            scope.Attach(y);
            seen.Add(x);
            Assert.False(x.IsInvalid);
        }
        Assert.Equal(3, seen.Count);
        Assert.All(seen, x => Assert.True(x.IsInvalid));
        outer?.Dispose();
    }

    [Fact]
    public void DatasetOwnsItsTensorsBeyondTheScopeItWasMadeIn()
    {
        Dataset ds;
        using (NewDisposeScope())
            ds = Indexed(4);
        using (ds)
            Assert.Equal(6f, ds.Images.sum().ToSingle());
        Assert.True(ds.Images.IsInvalid);
    }

    [Fact]
    public void TakeKeepsTheFirstExamplesAsAnIndependentDataset()
    {
        using var ds = Indexed(10);
        using var first = ds.Take(4);
        Assert.Equal(4, first.Count);
        Assert.Equal("indexed[:4]", first.Name);
        Assert.Equal([0f, 1f, 2f, 3f], first.Images.reshape(-1).data<float>().ToArray());
        Assert.Equal([2, 1, 1], first.CountsPerClass());
        first.Images.add_(100);
        Assert.Equal(45f, ds.Images.sum().ToSingle());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public void TakeRejectsCountsOutsideTheDataset(int count)
    {
        using var ds = Indexed(10);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ds.Take(count));
        Assert.Contains("between 1 and 10", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SkipAndTakeCutASetIntoTwoPartsThatShareNoExample()
    {
        // A validation split held out of the training images: Take(k) and Skip(k) together hold every example once.
        using var ds = Indexed(10);
        using var held = ds.Take(3);
        using var kept = ds.Skip(3);
        Assert.Equal((3, 7), (held.Count, kept.Count));
        Assert.Equal("indexed[3:]", kept.Name);
        float[] heldIds = held.Images.reshape(-1).data<float>().ToArray(), keptIds = kept.Images.reshape(-1).data<float>().ToArray();
        Assert.Empty(heldIds.Intersect(keptIds));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), heldIds.Concat(keptIds));
        // Labels travel with their images (label = index mod 3), and the part is a copy.
        Assert.Equal(keptIds.Select(i => (long)i % 3), kept.Labels.data<long>().ToArray());
        kept.Images.add_(100);
        Assert.Equal(45f, ds.Images.sum().ToSingle());
        using var all = ds.Skip(0);
        Assert.Equal(10, all.Count);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10)]
    public void SkipRejectsCountsThatLeaveNothingOrAreNegative(int count)
    {
        using var ds = Indexed(10);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ds.Skip(count));
        Assert.Contains("between 0 and 9", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BatchesRejectsANonPositiveBatchSize()
    {
        using var ds = Indexed(10);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ds.Batches(0, shuffle: true, seed: 1));
        Assert.Contains("at least 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConstructorRejectsMismatchedTensorsWithTheRule()
    {
        using var scope = NewDisposeScope();
        var images = zeros(4, 1, 2, 2);
        Assert.Contains("float32", Assert.Throws<ArgumentException>(() => new Dataset("x", zeros(4, 1, 2, 2, dtype: ScalarType.Float64), zeros(4, dtype: ScalarType.Int64), ["a"])).Message, StringComparison.Ordinal);
        Assert.Contains("int64", Assert.Throws<ArgumentException>(() => new Dataset("x", images, zeros(4, dtype: ScalarType.Int32), ["a"])).Message, StringComparison.Ordinal);
        Assert.Contains("4 images and 3 labels", Assert.Throws<ArgumentException>(() => new Dataset("x", images, zeros(3, dtype: ScalarType.Int64), ["a"])).Message, StringComparison.Ordinal);
        Assert.Contains("[0, 1]", Assert.Throws<ArgumentException>(() => new Dataset("x", images, full(4, 2L), ["a", "b"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToStringListsExamplesPerClass()
    {
        using var ds = Indexed(7);
        string text = ds.ToString();
        Assert.Contains("indexed: 7 examples", text, StringComparison.Ordinal);
        Assert.Contains("<td>3</td>", ds.ToHtml(), StringComparison.Ordinal); // class a: indices 0, 3, 6
    }
}
