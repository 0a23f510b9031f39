namespace WorkshopKit.Blocks;

/// <summary>Argument rules shared by the blocks' constructors, so each is written once.</summary>
internal static class Require
{
    public static void Positive(long value, string name)
    {
        if (value < 1) throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1 (got {value}).");
    }

    public static void Positive((long Height, long Width) value, string name)
    {
        Positive(value.Height, name + ".Height");
        Positive(value.Width, name + ".Width");
    }

    public static T Defined<T>(T value, string name) where T : struct, Enum => Runtime.Guard.Defined(value, name);

    /// <summary>A dropout probability: finite and in [0, 1).</summary>
    public static void Probability(double p, string name)
    {
        if (!(p >= 0 && p < 1))
            throw new ArgumentOutOfRangeException(name, p,
                $"{name} is the probability of zeroing a value and must be in [0, 1), but {name} = {p.ToString(System.Globalization.CultureInfo.InvariantCulture)}. Use 0 for no dropout, e.g. 0.5 for half.");
    }

    /// <summary>
    /// Batch normalization in training mode needs more than one value per channel (PyTorch's Python layer says
    /// "Expected more than 1 value per channel when training"; libtorch alone returns zeros plus epsilon).
    /// </summary>
    public static TorchSharp.torch.Tensor BatchStatistics(TorchSharp.torch.Tensor x, bool training, string block)
    {
        if (training && x.dim() == 4 && x.shape[0] * x.shape[2] * x.shape[3] == 1)
            throw new ArgumentException(
                $"Block '{block}': batch normalization in training mode needs more than one value per channel, but the input is " +
                $"[{string.Join(", ", x.shape)}] (batch 1, 1x1 maps): its output would be 0. Use a batch of at least 2, larger maps, or model.eval().", nameof(x));
        return x;
    }

    public static void Groups(long inChannels, long outChannels, long groups)
    {
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException(
                $"groups must divide both channel counts (as in nn.Conv2d), but inChannels={inChannels}, outChannels={outChannels}, groups={groups}. " +
                "Pick a common divisor: 1 for an ordinary convolution, inChannels for a depthwise one.", nameof(groups));
    }
}
