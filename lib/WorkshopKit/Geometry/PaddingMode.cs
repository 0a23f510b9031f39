namespace WorkshopKit.Geometry;

/// <summary>The padding rules a convolution can follow; each one decides where the filter may sit.</summary>
/// <remarks>Comes with <see cref="ConvPadding"/>, first used in notebook 01 (Convolutional layers), section "5. What does it cost? Counting FLOPs, then timing".</remarks>
public enum PaddingMode
{
    /// <summary>No padding: the filter only visits positions where it lies fully inside the input.</summary>
    Valid,
    /// <summary>TensorFlow's SAME: output = ceil(input / stride), any stride; an odd total puts the extra zero at the end.</summary>
    SameTensorFlow,
    /// <summary>PyTorch's <c>padding="same"</c>: output = input, defined for stride 1 only; an odd total puts the extra zero at the end.</summary>
    SamePyTorch,
    /// <summary>FULL: every position where filter and input overlap in at least one tap (effective kernel minus one zeros per side).</summary>
    Full,
    /// <summary>Explicit numbers of zeros before and after the input.</summary>
    Explicit,
}
