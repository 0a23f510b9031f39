using TorchSharp;
using static TorchSharp.torch;

namespace WorkshopKit.Blocks;

/// <summary>Nonlinearity applied after (or, in pre-activation blocks, before) a convolution.</summary>
/// <remarks>Taught in notebook 04 (pooling and upsampling), section 3 "A small encoder-decoder".</remarks>
public enum Activation
{
    /// <summary>No nonlinearity (a purely linear layer).</summary>
    None,
    /// <summary>max(0, x).</summary>
    Relu,
    /// <summary>x for x &gt; 0, 0.01·x otherwise.</summary>
    LeakyRelu,
    /// <summary>Exponential linear unit, the author's choice in his TensorFlow code.</summary>
    Elu,
    /// <summary>Gaussian error linear unit.</summary>
    Gelu,
}

/// <summary>Builds the TorchSharp module for an <see cref="Activation"/>.</summary>
internal static class Activations
{
    public static nn.Module<Tensor, Tensor>? Make(Activation activation) => activation switch
    {
        Activation.None => null,
        Activation.Relu => nn.ReLU(),
        Activation.LeakyRelu => nn.LeakyReLU(0.01),
        Activation.Elu => nn.ELU(),
        Activation.Gelu => nn.GELU(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation; use one of the Activation values."),
    };
}
