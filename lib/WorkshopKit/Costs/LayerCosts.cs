using WorkshopKit.Geometry;
using WorkshopKit.Runtime;

namespace WorkshopKit.Costs;

/// <summary>
/// Exact per-layer counts of parameters, MACs and FLOPs. Every function works per spatial dimension through
/// <see cref="AxisGeometry"/>, so strides, dilation and each padding mode are counted exactly.
/// </summary>
/// <remarks>First used in notebook 01 (Convolutional layers), section "5. What does it cost? Counting FLOPs, then timing".</remarks>
public static class LayerCosts
{
    /// <summary>
    /// Cost of a convolution (any number of spatial dimensions, groups, depthwise when groups = in channels).
    /// Each output sums (in/groups) x prod(k) products; those whose input position lies in the padding are zeros
    /// and are excluded from <see cref="LayerCost.Macs"/> but included in <see cref="LayerCost.MacsAllTaps"/>.
    /// </summary>
    /// <param name="batch">Batch size.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="axes">One convolution geometry per spatial dimension (e.g. from <see cref="ConvGeometry.Conv2d"/>).</param>
    /// <param name="groups">Groups (1 = ordinary, inChannels = depthwise).</param>
    /// <param name="bias">Whether the layer adds a bias.</param>
    /// <exception cref="ArgumentException">Channels not divisible by groups, or a geometry that is not a convolution.</exception>
    public static LayerCost Conv(long batch, int inChannels, int outChannels, IReadOnlyList<AxisGeometry> axes, int groups = 1, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(axes);
        CheckCounts(batch, inChannels, outChannels);
        CheckGroups(inChannels, outChannels, groups);
        foreach (var a in axes)
            if (a.Kind != OperationKind.Convolution)
                throw new ArgumentException($"LayerCosts.Conv needs convolution geometries, got {a.Kind} ({a}).", nameof(axes));
        return Counted(() => ConvCounts(batch, inChannels, outChannels, axes, groups, bias));
    }

    private static LayerCost ConvCounts(long batch, int inChannels, int outChannels, IReadOnlyList<AxisGeometry> axes, int groups, bool bias)
    {
        checked
        {
        long perPair = 1, allPerPair = 1, nonEmpty = 1, positions = 1, kernel = 1;
        foreach (var a in axes)
        {
            var taps = ConvTapsPerOutput(a);
            perPair *= taps.Sum();
            nonEmpty *= taps.Count(t => t > 0);
            allPerPair *= (long)a.Output * a.Kernel;
            positions *= a.Output;
            kernel *= a.Kernel;
        }
        long cinPerGroup = inChannels / groups;
        long macs = batch * outChannels * cinPerGroup * perPair;
        long all = batch * outChannels * cinPerGroup * allPerPair;
        long outputs = batch * outChannels * positions;
        long biasAdds = bias ? outputs : 0;
        long additions = macs - batch * outChannels * nonEmpty + biasAdds;
        long parameters = outChannels * cinPerGroup * kernel + (bias ? outChannels : 0);
        string kind = $"Conv{axes.Count}d";
        string note = $"groups={groups}, {string.Join(" x ", axes.Select(a => a.ToString()))}";
        return new LayerCost(kind, parameters, outputs, macs, all, additions, biasAdds, 0, parameters * positions * batch, note);
        }
    }

    /// <summary>
    /// Cost of a transposed convolution. Every input value is multiplied by every kernel tap and added into the
    /// output (scatter form); the matrix of the layer is the transpose of a convolution's matrix and so has the same
    /// non-zeros, which is why PyTorch's FlopCounterMode and fvcore count it by input size
    /// (<see cref="LayerCost.MacsAllTaps"/> = batch x in x out/groups x prod(input x k)). <see cref="LayerCost.Macs"/>
    /// keeps only products that land inside the output (PyTorch's padding crops the others away).
    /// </summary>
    /// <param name="batch">Batch size.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="axes">One transposed geometry per spatial dimension (from <see cref="ConvGeometry.ConvTranspose2d"/>).</param>
    /// <param name="groups">Groups.</param>
    /// <param name="bias">Whether the layer adds a bias.</param>
    public static LayerCost ConvTranspose(long batch, int inChannels, int outChannels, IReadOnlyList<AxisGeometry> axes, int groups = 1, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(axes);
        CheckCounts(batch, inChannels, outChannels);
        CheckGroups(inChannels, outChannels, groups);
        foreach (var a in axes)
            if (a.Kind != OperationKind.TransposedConvolution)
                throw new ArgumentException($"LayerCosts.ConvTranspose needs transposed geometries, got {a.Kind} ({a}).", nameof(axes));
        return Counted(() => ConvTransposeCounts(batch, inChannels, outChannels, axes, groups, bias));
    }

    private static LayerCost ConvTransposeCounts(long batch, int inChannels, int outChannels, IReadOnlyList<AxisGeometry> axes, int groups, bool bias)
    {
        checked
        {
        long perPair = 1, allPerPair = 1, nonEmpty = 1, positions = 1, kernel = 1, inPositions = 1;
        foreach (var a in axes)
        {
            var contributions = TransposedContributionsPerOutput(a);
            perPair *= contributions.Sum();
            nonEmpty *= contributions.Count(t => t > 0);
            allPerPair *= (long)a.Input * a.Kernel;
            positions *= a.Output;
            inPositions *= a.Input;
            kernel *= a.Kernel;
        }
        long coutPerGroup = outChannels / groups;
        long macs = batch * inChannels * coutPerGroup * perPair;
        long all = batch * inChannels * coutPerGroup * allPerPair;
        long outputs = batch * outChannels * positions;
        long biasAdds = bias ? outputs : 0;
        // Each output of channel c sums (in/groups) x contributions products.
        long additions = macs - batch * outChannels * nonEmpty + biasAdds;
        long parameters = inChannels * coutPerGroup * kernel + (bias ? outChannels : 0);
        return new LayerCost($"ConvTranspose{axes.Count}d", parameters, outputs, macs, all, additions, biasAdds, 0, parameters * positions * batch,
            $"counted by input size ({inPositions} positions) for the all-taps number; groups={groups}");
        }
    }

    /// <summary>Cost of a linear (dense) layer applied to <paramref name="rows"/> vectors: rows x in x out MACs.</summary>
    public static LayerCost Linear(long rows, int inFeatures, int outFeatures, bool bias = true)
    {
        Guard.AtLeast(rows, 0, nameof(rows), "Pass the number of vectors (the batch size).");
        Guard.AtLeast(inFeatures, 1, nameof(inFeatures), "A linear layer has at least one input feature.");
        Guard.AtLeast(outFeatures, 1, nameof(outFeatures), "A linear layer has at least one output feature.");
        return Counted(() => checked(LinearCounts(rows, inFeatures, outFeatures, bias)));
    }

    private static LayerCost LinearCounts(long rows, int inFeatures, int outFeatures, bool bias)
    {
        checked
        {
        long macs = rows * inFeatures * outFeatures;
        long outputs = rows * outFeatures;
        long biasAdds = bias ? outputs : 0;
        long parameters = (long)inFeatures * outFeatures + (bias ? outFeatures : 0);
        return new LayerCost("Linear", parameters, outputs, macs, macs, macs - outputs + biasAdds, biasAdds, 0, parameters * rows,
            $"{rows} rows x {inFeatures} -> {outFeatures}");
        }
    }

    /// <summary>
    /// Cost of max or average pooling: no MACs; per output, (window - 1) comparisons for max or (window - 1) additions
    /// plus one division for average, with the window's taps that fall in the padding excluded.
    /// </summary>
    public static LayerCost Pool(long batch, int channels, IReadOnlyList<AxisGeometry> axes, PoolKind kind)
    {
        ArgumentNullException.ThrowIfNull(axes);
        Guard.Defined(kind, nameof(kind));
        CheckCounts(batch, channels, 1);
        return Counted(() => PoolCounts(batch, channels, axes, kind));
    }

    private static LayerCost PoolCounts(long batch, int channels, IReadOnlyList<AxisGeometry> axes, PoolKind kind)
    {
        checked
        {
        long taps = 1, positions = 1;
        foreach (var a in axes)
        {
            taps *= ConvTapsPerOutput(a).Sum();
            positions *= a.Output;
        }
        long outputs = batch * channels * positions;
        long realTaps = batch * channels * taps;
        long ops = kind == PoolKind.Max ? realTaps - outputs : realTaps; // (n-1) compares, or (n-1) adds + 1 division
        return new LayerCost($"{kind}Pool{axes.Count}d", 0, outputs, 0, 0, 0, 0, ops, null,
            kind == PoolKind.Max ? "window-1 comparisons per output (real taps)" : "window-1 additions + 1 division per output (real taps)");
        }
    }

    /// <summary>Global (adaptive to 1x1) average pooling: one addition per input and one division per output (exact when bins do not overlap).</summary>
    public static LayerCost GlobalAveragePool(long inputElements, long outputElements) =>
        new("AdaptiveAvgPool2d", 0, outputElements, 0, 0, 0, 0, inputElements, null,
            "one addition per input and one division per output (exact when bins do not overlap)");

    /// <summary>Upsampling: nearest copies values (0 FLOPs); bilinear forms each 2D output from 4 inputs (4 multiplications + 3 additions, weights precomputed).</summary>
    public static LayerCost Upsample(long outputElements, bool bilinear) =>
        new(bilinear ? "Upsample(bilinear)" : "Upsample(nearest)", 0, outputElements, 0, 0, 0, 0, bilinear ? 7 * outputElements : 0, null,
            bilinear ? "7 FLOPs per output (4 mult + 3 add)" : "copies only");

    /// <summary>Batch normalization at inference: the statistics fold into one scale and one shift per channel, so 2 FLOPs per element; 2 x channels parameters.</summary>
    public static LayerCost BatchNorm(long elements, int channels) =>
        new("BatchNorm", 2L * channels, elements, 0, 0, 0, 0, 2 * elements, null, "inference: scale and shift, 2 FLOPs per element");

    /// <summary>An element-wise activation counted as <paramref name="flopsPerElement"/> operation(s) per element (ReLU: one comparison).</summary>
    public static LayerCost Activation(string name, long elements, int flopsPerElement = 1) =>
        new(name, 0, elements, 0, 0, 0, 0, flopsPerElement * elements, null, $"{flopsPerElement} op(s) per element (convention)");

    /// <summary>A layer that moves or reshapes data without arithmetic (Flatten, Dropout at inference, Identity).</summary>
    public static LayerCost NoArithmetic(string name, long elements) =>
        new(name, 0, elements, 0, 0, 0, 0, 0, null, "no arithmetic");

    /// <summary>
    /// The slide's rule of thumb for a k x k filter on an R x R input with N input and M output channels:
    /// k^2 R^2 multiplications, (k^2 - 1) R^2 additions and R^2 bias additions per channel pair, about 2 k^2 R^2 M N.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size below 1, or a product beyond the 64-bit range.</exception>
    public static long RuleOfThumbFlops(long k, long r, long m, long n)
    {
        Guard.AtLeast(k, 1, nameof(k), "The kernel size is at least 1.");
        Guard.AtLeast(r, 1, nameof(r), "The input size is at least 1.");
        Guard.AtLeast(m, 1, nameof(m), "There is at least one output channel.");
        Guard.AtLeast(n, 1, nameof(n), "There is at least one input channel.");
        return Guard.Product("2 k^2 R^2 M N", 2, k, k, r, r, m, n);
    }

    /// <summary>
    /// Compares the rule of thumb with the exact count of the same single-image convolution (padding taps excluded,
    /// real output size, bias added once per output): how close is "usually close"?
    /// </summary>
    public static RuleOfThumbComparison CompareWithRuleOfThumb(int k, int r, int m, int n, ConvPadding padding, int stride = 1)
    {
        var g = ConvGeometry.Conv2d((r, r), (k, k), (stride, stride), padding);
        var cost = Conv(1, n, m, [g.Height, g.Width], 1, bias: true);
        long realPerPair = ConvTapsPerOutput(g.Height).Sum() * (long)ConvTapsPerOutput(g.Width).Sum();
        return new RuleOfThumbComparison(RuleOfThumbFlops(k, r, m, n), cost.Flops, realPerPair, (long)k * k * r * r);
    }

    /// <summary>Real (non-padding) taps at each output position of one dimension of a convolution or pooling window.</summary>
    public static int[] ConvTapsPerOutput(AxisGeometry axis)
    {
        ArgumentNullException.ThrowIfNull(axis);
        var taps = new int[axis.Output];
        for (int o = 0; o < axis.Output; o++)
            for (int j = 0; j < axis.Kernel; j++)
            {
                int i = o * axis.Stride - axis.PadBefore + j * axis.Dilation;
                if (i >= 0 && i < axis.Input) taps[o]++;
            }
        return taps;
    }

    /// <summary>Products landing on each output position of one dimension of a transposed convolution.</summary>
    public static int[] TransposedContributionsPerOutput(AxisGeometry axis)
    {
        ArgumentNullException.ThrowIfNull(axis);
        var counts = new int[axis.Output];
        for (int i = 0; i < axis.Input; i++)
            for (int j = 0; j < axis.Kernel; j++)
            {
                int o = i * axis.Stride + j * axis.Dilation - axis.PadBefore;
                if (o >= 0 && o < axis.Output) counts[o]++;
            }
        return counts;
    }

    private static void CheckCounts(long batch, int inChannels, int outChannels)
    {
        Guard.AtLeast(batch, 0, nameof(batch), "Pass the number of images (the batch size), 1 for one image.");
        Guard.AtLeast(inChannels, 1, nameof(inChannels), "A convolution has at least one input channel.");
        Guard.AtLeast(outChannels, 1, nameof(outChannels), "A convolution has at least one output channel.");
    }

    /// <summary>Runs a count in checked arithmetic and names the overflow instead of returning a wrapped-around number.</summary>
    private static LayerCost Counted(Func<LayerCost> count)
    {
        try { return count(); }
        catch (OverflowException)
        {
            throw new ArgumentOutOfRangeException("sizes", $"The counts of this layer exceed the 64-bit range ({long.MaxValue:N0}). Use a smaller batch, fewer channels or a smaller input.");
        }
    }

    private static void CheckGroups(int inChannels, int outChannels, int groups)
    {
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException(
                $"Groups must divide both channel counts, but in={inChannels}, out={outChannels}, groups={groups}. Pick a common divisor (1 for ordinary, in for depthwise).", nameof(groups));
    }
}
