using WorkshopKit.Geometry;

namespace WorkshopKit.ReceptiveFields;

/// <summary>
/// Parallel branches merged position by position (sum as in residual blocks, or channel concatenation as in
/// inception-style blocks). Their receptive fields must be aligned (same centres for every output unit,
/// which implies the same effective stride); the block's field is then the largest one.
/// </summary>
/// <param name="Paths">The branches; use <see cref="RfLayer.Pointwise"/> for an identity shortcut.</param>
/// <remarks>Taught in notebook 01 (convolutional layers), section 8 "Receptive fields", with RfNode.Chain and RfNode.Branches.</remarks>
public sealed record RfBranches(IReadOnlyList<RfNode> Paths) : RfNode
{
    /// <summary>The parallel paths; at least one.</summary>
    public IReadOnlyList<RfNode> Paths { get; init => field = NonEmpty(value); } = NonEmpty(Paths);

    private static IReadOnlyList<RfNode> NonEmpty(IReadOnlyList<RfNode> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
            throw new ArgumentException("Branches need at least one path, but none was given (the field would read 1x1). Pass the paths, e.g. RfNode.Branches(RfLayer.Conv(1), RfLayer.Conv(3, padding: 1)).", nameof(Paths));
        if (paths.Any(n => n is null)) throw new ArgumentException("Branches have a null path.", nameof(Paths));
        return paths;
    }

    /// <inheritdoc />
    public override string Label => "{" + string.Join(" | ", Paths.Select(n => n.Label)) + "}";

    /// <inheritdoc />
    public override Region MapBack(Region output)
    {
        Region? merged = null;
        foreach (var path in Paths)
        {
            var r = path.MapBack(output);
            if (merged is { } m)
            {
                if (m.Rows.Start + m.Rows.End != r.Rows.Start + r.Rows.End || m.Columns.Start + m.Columns.End != r.Columns.Start + r.Columns.End)
                    throw new ArgumentException(
                        $"Branches are not aligned: for output {output} path '{Paths[0].Label}' sees {m} (centre rows {(m.Rows.Start + m.Rows.End) / 2.0}) " +
                        $"but path '{path.Label}' sees {r} (centre rows {(r.Rows.Start + r.Rows.End) / 2.0}). Use SAME padding on every branch so their centres coincide.");
                merged = new Region(new Span(Math.Min(m.Rows.Start, r.Rows.Start), Math.Max(m.Rows.End, r.Rows.End)),
                    new Span(Math.Min(m.Columns.Start, r.Columns.Start), Math.Max(m.Columns.End, r.Columns.End)));
            }
            else merged = r;
        }
        return merged ?? output;
    }
}
