using TorchSharp;
using WorkshopKit.Geometry;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>Ready-made branch lists for <see cref="CollaborativeBlock"/>.</summary>
/// <remarks>First used in notebook 05 (Collaborative filters: several filter sizes side by side), section "What each branch costs and sees".</remarks>
public static class Branches
{
    /// <summary>
    /// The workshop author's block (ConvPDE's "inception_v3"): 1x1 → 3x3; 1x1 → 3x3 → 3x3; 3x3 max pool → 1x1; 1x1.
    /// </summary>
    public static IReadOnlyList<Branch> Author { get; } =
    [
        Branch.Of(BranchOp.Conv(1), BranchOp.Conv(3)),
        Branch.Of(BranchOp.Conv(1), BranchOp.Conv(3), BranchOp.Conv(3)),
        Branch.Of(BranchOp.MaxPool(3), BranchOp.Conv(1)),
        Branch.Of(BranchOp.Conv(1)),
    ];

    /// <summary>
    /// Our extension, not in the source talk or the author's code: the two 3x3 branches use dilated kernels
    /// (dilation 2 and 3) so the block sees wider context at the same cost.
    /// </summary>
    public static IReadOnlyList<Branch> DilatedExtension { get; } =
    [
        Branch.Of(BranchOp.Conv(1), BranchOp.Conv(3, dilation: 2)),
        Branch.Of(BranchOp.Conv(1), BranchOp.Conv(3, dilation: 3)),
        Branch.Of(BranchOp.MaxPool(3), BranchOp.Conv(1)),
        Branch.Of(BranchOp.Conv(1)),
    ];
}
