using System.Globalization;
using TorchSharp;
using WorkshopKit.Visuals;
using static TorchSharp.torch;

namespace WorkshopKit.Data;

/// <summary>
/// Images and labels held as two CPU tensors, with the two things a training loop needs: mini-batches in a
/// seeded order and a quick way to shrink the set for a fast experiment. The dataset owns its tensors
/// (they are kept out of any dispose scope) until <see cref="Dispose"/>.
/// </summary>
/// <remarks>Comes with <see cref="Datasets"/>, first used in notebook 01 (Convolutional layers), section "1. Why convolutions?".</remarks>
public sealed class Dataset : IDisposable, IHtmlDisplay
{
    private bool _disposed;

    /// <summary>
    /// Wraps existing tensors as a dataset and takes ownership of them; useful for small synthetic sets in
    /// tests and exercises. Shapes are checked here so that a mistake shows at construction, not mid-training.
    /// </summary>
    /// <param name="name">A short display name, for example "MNIST/train".</param>
    /// <param name="images">Float32 images of shape (N, C, H, W).</param>
    /// <param name="labels">Int64 class indices of shape (N), each in [0, classNames.Count).</param>
    /// <param name="classNames">The name of each class, indexed by label.</param>
    public Dataset(string name, Tensor images, Tensor labels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (images.dim() != 4 || images.dtype != ScalarType.Float32)
            throw new ArgumentException($"Dataset images must be a float32 tensor of shape (N, C, H, W); got {images.dtype} of shape [{string.Join(", ", images.shape)}].", nameof(images));
        if (labels.dim() != 1 || labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"Dataset needs int64 labels of shape (N), one class index per image; got {labels.dtype} of shape [{string.Join(", ", labels.shape)}]. Convert with labels.to(ScalarType.Int64).", nameof(labels));
        if (labels.shape[0] != images.shape[0])
            throw new ArgumentException($"Dataset needs one label per image; got {images.shape[0]} images and {labels.shape[0]} labels.", nameof(labels));
        if (classNames.Count == 0)
            throw new ArgumentException("Dataset needs at least one class name.", nameof(classNames));
        if (labels.shape[0] > 0)
        {
            using var minTensor = labels.min();
            using var maxTensor = labels.max();
            long min = minTensor.ToInt64(), max = maxTensor.ToInt64();
            if (min < 0 || max >= classNames.Count)
                throw new ArgumentException($"Dataset labels must lie in [0, {classNames.Count - 1}] (one per class name); found values from {min} to {max}.", nameof(labels));
        }
        Name = name;
        Images = images.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
        ClassNames = classNames.ToArray();
        Count = checked((int)images.shape[0]);
    }

    /// <summary>A short display name such as "MNIST/train".</summary>
    public string Name { get; }

    /// <summary>All images, (N, 1, 28, 28) float32 in [0, 1] for the shipped datasets, on the CPU.</summary>
    public Tensor Images { get; }

    /// <summary>All labels, (N) int64 class indices, on the CPU.</summary>
    public Tensor Labels { get; }

    /// <summary>The number of examples N.</summary>
    public int Count { get; }

    /// <summary>The name of each class, indexed by label ("0".."9" for MNIST, "T-shirt/top".."Ankle boot" for Fashion-MNIST).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>
    /// Cuts the dataset into mini-batches of <paramref name="batchSize"/> examples; the last batch holds the remainder.
    /// With <paramref name="shuffle"/> the order is a permutation drawn from a torch generator seeded with
    /// <paramref name="seed"/>, so the same seed gives the same batches on every run; without it the stored order is kept
    /// and the seed is unused. Each batch is a copy (changing it leaves the dataset intact), created in the dispose scope
    /// that is current when the loop asks for it: open a scope around the loop, or dispose the batch tensors yourself.
    /// </summary>
    /// <param name="batchSize">Examples per batch, at least 1.</param>
    /// <param name="shuffle">Whether to visit the examples in a seeded random order (true for training).</param>
    /// <param name="seed">The seed of the permutation.</param>
    public IEnumerable<(Tensor Images, Tensor Labels)> Batches(int batchSize, bool shuffle, long seed)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"Batch size must be at least 1; got {batchSize}. Typical values are 32 to 256.");
        return Iterate(batchSize, shuffle ? Permutation(seed) : null);
    }

    private IEnumerable<(Tensor Images, Tensor Labels)> Iterate(int batchSize, long[]? order)
    {
        for (int start = 0; start < Count; start += batchSize)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int n = Math.Min(batchSize, Count - start);
            Tensor x, y;
            if (order is null)
            {
                using var xs = Images.narrow(0, start, n);
                using var ys = Labels.narrow(0, start, n);
                x = xs.clone();
                y = ys.clone();
            }
            else
            {
                using var index = torch.tensor(order[start..(start + n)]);
                x = Images.index_select(0, index);
                y = Labels.index_select(0, index);
            }
            yield return (x, y);
        }
    }

    private long[] Permutation(long seed)
    {
        using var generator = new torch.Generator(unchecked((ulong)seed));
        using var perm = torch.randperm(Count, generator: generator, dtype: ScalarType.Int64);
        return perm.data<long>().ToArray();
    }

    /// <summary>
    /// The first <paramref name="count"/> examples as a new, independent dataset, for quick experiments. The shipped
    /// files interleave the classes, so any prefix is close to class-balanced.
    /// </summary>
    /// <param name="count">How many examples to keep, from 1 to <see cref="Count"/>.</param>
    public Dataset Take(int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (count < 1 || count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Take needs a count between 1 and {Count} (the size of {Name}); got {count}.");
        using var xs = Images.narrow(0, 0, count);
        using var ys = Labels.narrow(0, 0, count);
        return new Dataset($"{Name}[:{count}]", xs.clone(), ys.clone(), ClassNames);
    }

    /// <summary>
    /// Every example after the first <paramref name="count"/>, as a new, independent dataset. With <see cref="Take"/> it
    /// cuts a set in two parts that share no example: <c>set.Take(k)</c> and <c>set.Skip(k)</c>, for example a validation
    /// split held out of the training images.
    /// </summary>
    /// <param name="count">How many examples to leave out, from 0 to <see cref="Count"/> - 1 (at least one is kept).</param>
    public Dataset Skip(int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (count < 0 || count >= Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Skip needs a count between 0 and {Count - 1} (the size of {Name} minus one, so that an example is left); got {count}.");
        using var xs = Images.narrow(0, count, Count - count);
        using var ys = Labels.narrow(0, count, Count - count);
        return new Dataset($"{Name}[{count}:]", xs.clone(), ys.clone(), ClassNames);
    }

    /// <summary>How many examples each class has, indexed by label: the first thing to check about any dataset.</summary>
    public IReadOnlyList<int> CountsPerClass()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var counts = torch.bincount(Labels, minlength: ClassNames.Count);
        return counts.data<long>().ToArray().Select(c => checked((int)c)).ToArray();
    }

    private HtmlTable Table()
    {
        var counts = CountsPerClass();
        var rows = ClassNames.Select((c, i) => (IReadOnlyList<string>)[i.ToString(CultureInfo.InvariantCulture), c, counts[i].ToString(CultureInfo.InvariantCulture)]).ToList();
        string shape = string.Join("x", Images.shape);
        return new HtmlTable(["Label", "Class", "Examples"], rows, $"{Name}: {Count} examples, images {shape} {Images.dtype}");
    }

    /// <inheritdoc />
    public string ToHtml() => Table().ToHtml();

    /// <summary>The name, size, image shape and the number of examples per class, as text.</summary>
    public override string ToString() => Table().ToString();

    /// <summary>Frees the image and label tensors.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Images.Dispose();
        Labels.Dispose();
    }
}
