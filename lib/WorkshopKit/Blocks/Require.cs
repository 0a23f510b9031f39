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

    public static void Groups(long inChannels, long outChannels, long groups)
    {
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException(
                $"groups must divide both channel counts (as in nn.Conv2d), but inChannels={inChannels}, outChannels={outChannels}, groups={groups}. " +
                "Pick a common divisor: 1 for an ordinary convolution, inChannels for a depthwise one.", nameof(groups));
    }
}
