using TorchSharp;
using WorkshopKit.Geometry;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>One step of a branch: a convolution or a max pool of a given size.</summary>
/// <param name="Kind">Convolution or max pool.</param>
/// <param name="Kernel">Window side.</param>
/// <param name="Dilation">Spacing of the taps (convolutions only).</param>
/// <param name="Padding">Padding rule; SAME (the default) keeps all branches the same size.</param>
/// <remarks>Comes with <see cref="CollaborativeBlock"/>, first used in notebook 05 (Collaborative filters: several filter sizes side by side), section "1 · What "collaborative filters" means here".</remarks>
public sealed record BranchOp(BranchOpKind Kind, long Kernel, long Dilation = 1, ConvPadding? Padding = null)
{
    /// <summary>A k×k convolution.</summary>
    public static BranchOp Conv(long kernel, long dilation = 1) => new(BranchOpKind.Conv, kernel, dilation);

    /// <summary>A k×k max pool.</summary>
    public static BranchOp MaxPool(long kernel) => new(BranchOpKind.MaxPool, kernel);

    /// <inheritdoc />
    public override string ToString() => Kind == BranchOpKind.Conv
        ? $"{Kernel}x{Kernel}" + (Dilation > 1 ? $" d{Dilation}" : "")
        : $"{Kernel}x{Kernel} maxpool";
}
