namespace WorkshopKit.Geometry;

/// <summary>Which summary a pooling window takes; the kinds also differ in what each window costs.</summary>
/// <remarks>First used in notebook 04 (pooling and upsampling), section "Pooling".</remarks>
public enum PoolKind
{
    /// <summary>The largest value in the window (window - 1 comparisons per output): keeps the strongest response.</summary>
    Max,
    /// <summary>The mean of the window (window - 1 additions and one division per output): smooths.</summary>
    Average,
}
