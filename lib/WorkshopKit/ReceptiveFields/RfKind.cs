using WorkshopKit.Geometry;

namespace WorkshopKit.ReceptiveFields;

/// <summary>How a layer maps output positions back to input positions.</summary>
/// <remarks>Comes with <see cref="RfLayer"/>, first used in notebook 01 (Convolutional layers), section "8. Receptive fields".</remarks>
public enum RfKind
{
    /// <summary>Convolution or pooling: output o reads inputs o s - p + j d for taps j.</summary>
    Convolution,
    /// <summary>Transposed convolution: input i writes outputs i s + j d - p.</summary>
    TransposedConvolution,
    /// <summary>Element-wise layers (activations, batch norm, dropout): each output reads its own position.</summary>
    Pointwise,
    /// <summary>Nearest-neighbour upsampling by an integer factor (the stride field holds the factor): output o reads floor(o / factor).</summary>
    NearestUpsample,
}
