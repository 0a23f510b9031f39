using WorkshopKit.Runtime;
using static TorchSharp.torch;

namespace WorkshopKit.Tests.Runtime;

/// <summary>
/// The float32 convolution self-check, run once per test process. Tests whose subject is not precision compute in
/// float32 where it passed and fall back to float64 where it did not (environment.md, "Known problem"): on such a
/// host float32 convolutions are wrong, and the self-check test reports it.
/// </summary>
internal static class HostConvolutions
{
    private static readonly Lazy<ConvSelfCheckResult> LazyCheck = new(() => ConvSelfCheck.Run(trials: 100));

    /// <summary>The self-check's result on this host (100 trials per case, seed 1), shared by the self-check test and the tests that fall back.</summary>
    public static ConvSelfCheckResult Check => LazyCheck.Value;

    /// <summary>True when this host's float32 CPU convolutions agreed with float64 in every trial.</summary>
    public static bool Float32Reliable => Check.Passed;

    /// <summary>float32 where the self-check passed, else float64.</summary>
    public static ScalarType Dtype => Float32Reliable ? ScalarType.Float32 : ScalarType.Float64;
}
