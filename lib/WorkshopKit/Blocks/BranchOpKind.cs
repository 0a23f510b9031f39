using TorchSharp;
using WorkshopKit.Geometry;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>The kind of one step inside a branch of a <see cref="CollaborativeBlock"/>.</summary>
/// <remarks>Comes with <see cref="CollaborativeBlock"/>, first used in notebook 05 (Collaborative filters: several filter sizes side by side), section "1 · What "collaborative filters" means here".</remarks>
public enum BranchOpKind
{
    /// <summary>A convolution (followed by the block's normalization and activation).</summary>
    Conv,
    /// <summary>A max pooling window (stride 1 unless it is the branch's last step).</summary>
    MaxPool,
}
