namespace WorkshopKit.Blocks;

/// <summary>Normalization applied to the feature maps.</summary>
/// <remarks>Taught in notebook 06 (residual blocks), section "The residual block".</remarks>
public enum Normalization
{
    /// <summary>None.</summary>
    None,
    /// <summary>Batch normalization over (N, H, W) per channel.</summary>
    Batch,
}
