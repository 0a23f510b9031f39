namespace WorkshopKit.Blocks;

/// <summary>How a parameter-free upsampling layer fills the new pixels.</summary>
/// <remarks>Taught in notebook 04 (pooling and upsampling), section 2 "Upsampling".</remarks>
public enum ResizeMode
{
    /// <summary>Copy each pixel into a factor×factor patch.</summary>
    Nearest,
    /// <summary>Interpolate linearly between the four nearest input pixels (align_corners = false, like TensorFlow 2's resize).</summary>
    Bilinear,
}
