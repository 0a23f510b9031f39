using WorkshopKit.Runtime.Kernels;

namespace WorkshopKit.Precision;

/// <summary>Which implementation a <see cref="Quantizer"/> uses.</summary>
/// <remarks>Not called in a notebook: behind the saved results of notebook 02 (Hardware and precision), section "2.4 Limited-precision training (saved results)" (experiments/precision.cs).</remarks>
public enum QuantizerEngine
{
    /// <summary>
    /// The fused kernel for CPU tensors and for CUDA tensors where it can run (NVRTC and the CUDA driver found); the
    /// composed TorchSharp operations otherwise (<see cref="FusedCudaRounding.UnavailableReason"/> says why).
    /// </summary>
    Auto,

    /// <summary>The one-pass kernel: C# on CPU tensors, CUDA (<see cref="FusedCudaRounding"/>) on CUDA tensors; other devices are refused.</summary>
    Fused,

    /// <summary>The readable composition of TorchSharp operations (any device).</summary>
    Composed,
}
