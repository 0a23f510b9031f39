using TorchSharp;
using WorkshopKit.Geometry;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>Ready-made branch lists for <see cref="CollaborativeBlock"/>.</summary>
/// <remarks>First used in notebook 05 (Collaborative filters: several filter sizes side by side), section "What each branch costs and sees".</remarks>
public static class Branches
{
    /// <summary>
    /// The workshop author's block (ConvPDE's "inception_v3", after the Inception-v3 modules of Szegedy et al. 2016):
    /// 1x1 → 3x3; 1x1 → 3x3 → 3x3; 3x3 max pool → 1x1; 1x1. As the decoder twin (<c>transposed: true</c>, as in the
    /// author's <c>transpose_inception_v3</c>) branches 3 and 4 end in a 1x1 transposed convolution with stride 2,
    /// which writes only every second row and column: 3 of 4 output pixels of those channels never see the input.
    /// Use <see cref="TransposedTwin"/> for a decoder.
    /// </summary>
    public static IReadOnlyList<Branch> Author { get; } =
    [
        Branch.Of(BranchOp.Conv(1), BranchOp.Conv(3)),
        Branch.Of(BranchOp.Conv(1), BranchOp.Conv(3), BranchOp.Conv(3)),
        Branch.Of(BranchOp.MaxPool(3), BranchOp.Conv(1)),
        Branch.Of(BranchOp.Conv(1)),
    ];

    /// <summary>
    /// Our fix of the decoder twin (not the author's code): the branches that end in a 1x1 step end in a 2x2 step
    /// instead, so with <c>transposed: true, stride: 2</c> each input pixel stamps a 2x2 patch and every output pixel gets
    /// exactly one tap (a kernel the stride divides, notebook 04). Branches 1 and 2 keep their 3x3 transposed ends:
    /// every output pixel gets at least one tap, unevenly (1, 2 or 4), the milder checkerboard of notebook 04.
    /// </summary>
    public static IReadOnlyList<Branch> TransposedTwin { get; } =
    [
        Branch.Of(BranchOp.Conv(1), BranchOp.Conv(3)),
        Branch.Of(BranchOp.Conv(1), BranchOp.Conv(3), BranchOp.Conv(3)),
        Branch.Of(BranchOp.MaxPool(3), BranchOp.Conv(2)),
        Branch.Of(BranchOp.Conv(2)),
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
