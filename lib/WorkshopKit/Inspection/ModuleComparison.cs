using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace WorkshopKit.Inspection;

/// <summary>
/// Whether a module written in a notebook cell computes what the library's module computes: the same parameter
/// count, and the same output for the same input once the library's weights are copied into the cell's module.
/// Equal counts alone could hide a different wiring; equal outputs on the same weights cannot.
/// </summary>
/// <param name="Name">What was compared, for the printed line.</param>
/// <param name="Parameters">Trainable values of the cell's module.</param>
/// <param name="LibraryParameters">Trainable values of the library's module.</param>
/// <param name="MaxDifference">Largest absolute difference between the two outputs on the same input and weights.</param>
/// <remarks>Used in notebooks 05, 06 and 07, right after each block is written in a cell.</remarks>
public sealed record ModuleComparison(string Name, long Parameters, long LibraryParameters, double MaxDifference)
{
    /// <summary>True when the counts agree and the outputs are identical (same operations in the same order give the same floats).</summary>
    public bool Same => Parameters == LibraryParameters && MaxDifference == 0;

    /// <summary>
    /// Copies <paramref name="library"/>'s parameters and buffers (batch-norm statistics) into <paramref name="written"/>,
    /// in registration order, then runs both in evaluation mode on <paramref name="input"/> and compares the outputs.
    /// Both modules are left in the mode they were in.
    /// </summary>
    /// <exception cref="ArgumentException">The two modules hold different numbers or shapes of tensors, so they cannot share weights.</exception>
    public static ModuleComparison Of(string name, nn.Module<Tensor, Tensor> written, nn.Module<Tensor, Tensor> library, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(written);
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(input);
        var mine = written.parameters().Concat(written.buffers()).ToList();
        var theirs = library.parameters().Concat(library.buffers()).ToList();
        if (mine.Count != theirs.Count)
            throw new ArgumentException(
                $"{name}: the cell's module holds {mine.Count} parameter and buffer tensors, the library's {theirs.Count}. " +
                "Build both with the same layers in the same order (fields are registered in declaration order).", nameof(written));
        for (int i = 0; i < mine.Count; i++)
            if (!mine[i].shape.SequenceEqual(theirs[i].shape))
                throw new ArgumentException(
                    $"{name}: tensor {i + 1} has shape [{string.Join(", ", mine[i].shape)}] in the cell's module and " +
                    $"[{string.Join(", ", theirs[i].shape)}] in the library's. Build both with the same arguments and layer order.", nameof(written));
        bool writtenTraining = written.training, libraryTraining = library.training;
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            for (int i = 0; i < mine.Count; i++) mine[i].copy_(theirs[i]);
            written.eval();
            library.eval();
            var a = written.call(input);
            var b = library.call(input);
            if (!a.shape.SequenceEqual(b.shape))
                throw new ArgumentException(
                    $"{name}: the cell's module gives shape [{string.Join(", ", a.shape)}], the library's [{string.Join(", ", b.shape)}].", nameof(written));
            double difference = (a - b).abs().max().item<float>();
            long count(nn.Module m) => m.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
            return new ModuleComparison(name, count(written), count(library), difference);
        }
        finally
        {
            written.train(writtenTraining);
            library.train(libraryTraining);
        }
    }

    /// <summary>One line a reader can check: both counts and the largest output difference.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: {Parameters:N0} parameters (library {LibraryParameters:N0}); same weights, same input: " +
        $"largest output difference {MaxDifference:G3} -> {(Same ? "the same computation" : "NOT the same computation")}.");
}
