using WorkshopKit.Geometry;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Tests.Geometry;

public class PaddingTableTests
{
    [Fact]
    public void Sweep_SameTensorFlow_FollowsTheDocumentedRule_AndTheExtraZeroIsAtTheEnd()
    {
        int[] inputs = [5, 6, 7, 8, 28];
        int[] strides = [1, 2, 3];
        var table = PaddingTable.Sweep(inputs, strides, 4, ConvPadding.SameTensorFlow);
        Assert.Equal(inputs.Length * strides.Length, table.Rows.Count);
        int i = 0;
        foreach (int n in inputs)
            foreach (int s in strides)
            {
                var row = table.Rows[i++];
                Assert.Equal((n, s), (row.Input, row.Stride)); // inputs vary slowest
                // TensorFlow's documented SAME rule, written out here.
                int output = (int)Math.Ceiling(n / (double)s);
                int total = Math.Max((output - 1) * s + 4 - n, 0);
                var g = Assert.IsType<AxisGeometry>(row.Geometry);
                Assert.Equal((output, total / 2, total - total / 2), (g.Output, g.PadBefore, g.PadAfter));
                Assert.Equal(total % 2 == 1 ? ExtraZero.End : ExtraZero.None, row.ExtraZero);
                Assert.Null(row.Refusal);
            }
        Assert.Contains(table.Rows, r => r.ExtraZero == ExtraZero.End);
        Assert.Contains(table.Rows, r => r.ExtraZero == ExtraZero.None);
    }

    [Fact]
    public void Compare_PyTorchSameRowMatchesTorchSharpsOwnSamePaddingValues()
    {
        // Kernel 4: an odd total of 3 zeros, so the side of the extra zero matters for the values.
        var table = PaddingTable.Compare(9, 4);
        var same = table.Rows.Single(r => r.Rule == ConvPadding.SamePyTorch).Geometry!;
        Assert.Equal((1, 2), (same.PadBefore, same.PadAfter));

        using var scope = NewDisposeScope();
        manual_seed(11);
        var x = rand(1, 1, 9, 9);
        using var conv = nn.Conv2d(1, 1, (4, 4), TorchSharp.Padding.Same, bias: false);
        var torchSame = conv.call(x);
        var ours = F.conv2d(F.pad(x, [same.PadBefore, same.PadAfter, same.PadBefore, same.PadAfter]), conv.weight!);
        Assert.True(torchSame.allclose(ours, 1e-5, 1e-6));
    }

    [Fact]
    public void Compare_ListsEveryRule_AndRefusesPyTorchSameForStride2WithTheReason()
    {
        var table = PaddingTable.Compare(28, 3, stride: 2);
        Assert.Equal(new[] { "VALID", "SAME(TF)", "same(PyTorch)", "FULL" }, table.Rows.Select(r => r.Rule.ToString()));
        var pytorch = table.Rows[2];
        Assert.Null(pytorch.Geometry);
        Assert.Contains("stride 1 only", pytorch.Refusal, StringComparison.Ordinal);
        // VALID: floor((28 - 3) / 2) + 1 = 13 and one input column never read; FULL: floor((28 + 4 - 3) / 2) + 1 = 15.
        Assert.Equal(13, table.Rows[0].Geometry!.Output);
        Assert.Equal(1, table.Rows[0].Geometry!.UnusedAtEnd);
        Assert.Equal(15, table.Rows[3].Geometry!.Output);

        string text = table.ToString();
        Assert.Contains("extra zero", text, StringComparison.Ordinal);
        Assert.Contains("stride 1 only, but stride=2.", text, StringComparison.Ordinal);
        Assert.Contains("<th>pad after</th>", table.ToHtml(), StringComparison.Ordinal);
    }

    [Fact]
    public void BadSizesAreTheCallersMistake_NotARefusedRow()
    {
        Assert.Throws<ArgumentException>(() => PaddingTable.Compare(28, 3, stride: 0));
        Assert.Throws<ArgumentException>(() => PaddingTable.Sweep([], [1], 3, ConvPadding.Valid));
        var e = Assert.Throws<ArgumentException>(() => PaddingTable.Sweep([5], [], 3, ConvPadding.Valid));
        Assert.Contains("at least one input size and one stride", e.Message, StringComparison.Ordinal);
    }
}
