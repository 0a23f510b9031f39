using Xunit;

namespace WorkshopKit.Tests.Runtime;

/// <summary>
/// Tests that flip libtorch's process-wide oneDNN switch or thread count (the self-check, the cure's tests) run in this
/// collection, alone: on a host whose cache leaf misleads oneDNN, a test running beside them would otherwise compute
/// with oneDNN for a moment and get wrong gradients.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConvolutionSwitchCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "libtorch's process-wide convolution switch";
}
