using TorchSharp;
using WorkshopKit.Geometry;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>One branch of a collaborative-filter block: a name and the steps applied in order.</summary>
/// <param name="Name">Shown in diagrams and error messages.</param>
/// <param name="Ops">Steps in order; the block's stride is applied on the last one.</param>
/// <remarks>Comes with <see cref="CollaborativeBlock"/>, first used in notebook 05 (Collaborative filters: several filter sizes side by side), section "1 · What "collaborative filters" means here".</remarks>
public sealed record Branch(string Name, IReadOnlyList<BranchOp> Ops)
{
    /// <summary>A branch from its steps, named after them (e.g. "1x1 → 3x3").</summary>
    public static Branch Of(params BranchOp[] ops) => new(string.Join(" → ", ops.Select(o => o.ToString())), ops);
}
