using TorchSharp;
using WorkshopKit.Geometry;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>How the branches of a collaborative-filter block are combined.</summary>
/// <remarks>Comes with <see cref="CollaborativeBlock"/>, first used in notebook 05 (Collaborative filters: several filter sizes side by side), section "1 · What "collaborative filters" means here".</remarks>
public enum BranchCombine
{
    /// <summary>Stack the branch outputs on the channel axis (each branch gives out/branches channels).</summary>
    Concatenate,
    /// <summary>Add the branch outputs (each branch gives all out channels).</summary>
    Sum,
}
