using System.Runtime.InteropServices;

namespace WorkshopKit.Runtime;

/// <summary>
/// On Linux x64 hosts with AVX-512, caps oneDNN (libtorch's CPU convolution library) at AVX2 by setting
/// <c>DNNL_MAX_CPU_ISA=AVX2</c> in the native environment before libtorch starts, because AVX-512 hosts are where
/// <see cref="ConvSelfCheck"/>'s cases have failed. On an AMD EPYC with AVX-512 (2026-11-28),
/// conv2d's backward pass with 8 output channels returned wrong input gradients in 19 of 120 trials with oneDNN's
/// AVX-512 kernels and in 0 of 240 with the cap (environment.md). Results are identical in kind; only speed can
/// differ. An explicit DNNL_MAX_CPU_ISA, or <see cref="TorchRuntime.NativeIsaVariable"/>=1, is left alone.
/// </summary>
internal static class OneDnnIsaCap
{
    /// <summary>Sets the cap where it applies, recording it in <paramref name="actions"/>.</summary>
    public static void Apply(List<string> actions)
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64 || !System.Runtime.Intrinsics.X86.Avx512F.IsSupported) return;
        if (Environment.GetEnvironmentVariable(TorchRuntime.NativeIsaVariable) == "1" || Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is not null) return;
        // Native libraries read the C environment. .NET reads it too until something sets a variable through .NET, which
        // makes .NET copy the whole environment into its own table (a millisecond here): only then is .NET's copy set too.
        if (LibC.SetEnv("DNNL_MAX_CPU_ISA", "AVX2", overwrite: false))
        {
            if (Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") != "AVX2") Environment.SetEnvironmentVariable("DNNL_MAX_CPU_ISA", "AVX2");
            actions.Add($"capped oneDNN at AVX2 on this AVX-512 host (DNNL_MAX_CPU_ISA=AVX2; set {TorchRuntime.NativeIsaVariable}=1 to keep AVX-512)");
        }
    }
}
