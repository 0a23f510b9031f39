using System.Globalization;
using WorkshopKit.ReceptiveFields;
using WorkshopKit.Visuals;

namespace WorkshopKit.Blocks;

/// <summary>
/// The per-branch view of a <see cref="CollaborativeBlock"/>: which branch costs what and sees how far. The block's own
/// <see cref="Block.Describe"/> lists layers; this groups them by branch, so the lesson can show that the cheap 1x1 branch
/// and the wide 1x1 → 3x3 → 3x3 branch work side by side at very different prices.
/// </summary>
/// <param name="Block">The block's name.</param>
/// <param name="Input">The input shape described.</param>
/// <param name="Branches">One summary per branch, in order.</param>
/// <param name="Total">The whole block's report (the branches' parameters and MACs add up to it).</param>
/// <remarks>First used in notebook 05 (Collaborative filters: several filter sizes side by side), section "What each branch costs and sees".</remarks>
public sealed record BranchBreakdown(string Block, FeatureShape Input, IReadOnlyList<BranchSummary> Branches, BlockReport Total) : IHtmlDisplay
{
    /// <summary>Describes each branch of <paramref name="block"/> for <paramref name="input"/>.</summary>
    /// <exception cref="BlockShapeException">The input does not fit the block.</exception>
    public static BranchBreakdown Of(CollaborativeBlock block, FeatureShape input)
    {
        ArgumentNullException.ThrowIfNull(block);
        var report = block.Describe(input);
        var summaries = new List<BranchSummary>();
        for (int i = 0; i < block.BranchList.Count; i++)
        {
            string segment = $"/branch {(i + 1).ToString(CultureInfo.InvariantCulture)}/";
            var layers = report.Layers.Where(l => l.Name.Contains(segment, StringComparison.Ordinal)).ToList();
            // The branch alone, without normalization (which changes neither shapes nor fields), gives its output shape
            // and receptive field by the same walk that Describe uses for the whole block.
            using var alone = new CollaborativeBlock(block.InChannels, block.BranchWidth, block.Stride, [block.BranchList[i]],
                block.Transposed, Normalization.None, Activation.None);
            var single = alone.Describe(input);
            summaries.Add(new BranchSummary(i + 1, block.BranchList[i].Name, single.Output, layers.Sum(l => l.Parameters), layers.Sum(l => l.Macs), single.Field));
        }
        return new BranchBreakdown(report.Name, input, summaries, report);
    }

    /// <summary>The branches and the total as a table.</summary>
    public HtmlTable ToTable()
    {
        var rows = Branches.Select(b => (IReadOnlyList<string>)[$"{b.Index}: {b.Name}", b.Output.ToString(), Num(b.Parameters), Num(b.Macs), Share(b.Macs), Rf(b.Field)]).ToList();
        rows.Add(["whole block", Total.Output.ToString(), Num(Total.Parameters), Num(Total.Macs), Share(Total.Macs), Rf(Total.Field)]);
        return new HtmlTable(["branch", "output", "parameters", "MACs", "share of MACs", "receptive field (px)"], rows,
            $"{Block} on {Input}: per-branch cost and receptive field");
    }

    /// <inheritdoc />
    public string ToHtml() => ToTable().ToHtml();

    /// <inheritdoc />
    public override string ToString() => ToTable().ToString();

    private string Share(long macs) => Total.Macs == 0 ? "-" : (macs / (double)Total.Macs).ToString("P0", CultureInfo.InvariantCulture);

    private static string Rf(ReceptiveField f) => string.Create(CultureInfo.InvariantCulture, $"{f.Size:0.##}x{f.Size:0.##}");

    private static string Num(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
