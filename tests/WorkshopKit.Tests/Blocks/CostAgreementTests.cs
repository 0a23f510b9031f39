using WorkshopKit.Blocks;
using WorkshopKit.Costs;

namespace WorkshopKit.Tests.Blocks;

public class CostAgreementTests
{
    public static TheoryData<string> Models => [.. ModelZoo.Names];

    [Theory]
    [MemberData(nameof(Models))]
    public void DescribeCountsTheSameMacsAndParametersAsTheCoreProfiler(string name)
    {
        // The core library's profiler hooks the real forward pass and counts every layer it sees; Describe walks
        // shapes without tensors. Both count all kernel taps, without bias, for conv, transposed conv and linear layers.
        var model = ModelZoo.Create(name);
        var report = model.Describe(FeatureShape.Mnist);
        var profile = ModelProfiler.Profile(model, [1, 1, 28, 28]);
        Assert.Equal(profile.TotalParameters, report.Parameters);
        Assert.Equal(profile.MacsAllTaps, report.Macs);
    }

    [Fact]
    public void TransposedAndResizeUpsamplingAgreeWithTheCoreProfilerToo()
    {
        var net = new BlockSequence("decoder", new TransposedConvLayer(8, 4, 3, 2), new ResizeConv(4, 2), new CollaborativeBlock(2, 4, 2, transposed: true));
        var report = net.Describe(new FeatureShape(8, 7, 7));
        var profile = ModelProfiler.Profile(net, [1, 8, 7, 7]);
        Assert.Equal(profile.MacsAllTaps, report.Macs);
    }
}
