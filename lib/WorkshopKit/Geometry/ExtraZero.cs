namespace WorkshopKit.Geometry;

/// <summary>Where a padding rule puts the extra zero when the total number of zeros is odd.</summary>
/// <remarks>Taught in notebook 03 (strides and padding), section 2 "Padding: VALID and SAME".</remarks>
public enum ExtraZero
{
    /// <summary>Both sides get the same number of zeros.</summary>
    None,
    /// <summary>One more zero before the input (top, left).</summary>
    Start,
    /// <summary>One more zero after the input (bottom, right): TensorFlow's SAME and PyTorch's "same".</summary>
    End,
}
