using WorkshopKit.Blocks;
using static TorchSharp.torch;

namespace WorkshopKit.Inspection;

/// <summary>
/// What each block of a sequence hands to the next for one input: the feature maps a trained network computes,
/// layer by layer, which show what its filters respond to.
/// </summary>
/// <remarks>First used in notebook 01 (Convolutional layers), section "9. Watch a CNN learn".</remarks>
public static class LayerOutputs
{
    /// <summary>
    /// Runs <paramref name="images"/> (N, C, H, W) through the blocks of <paramref name="model"/> one at a time, without
    /// gradients, and returns every block's name and output (new tensors, in the caller's dispose scope).
    /// </summary>
    /// <param name="model">The network.</param>
    /// <param name="images">The input batch.</param>
    /// <param name="training">False (the default): evaluation mode, as for a prediction. True: training mode, where batch
    /// normalization uses the batch's own statistics, as it does during training (and updates its running averages).</param>
    public static IReadOnlyList<(string Name, Tensor Output)> Of(BlockSequence model, Tensor images, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4)
            throw new ArgumentException($"LayerOutputs needs a batch of images (N, C, H, W); got shape ({string.Join(", ", images.shape)}). Use image.reshape(1, 1, 28, 28) for one digit.", nameof(images));
        model.OutputShape(new FeatureShape(images.shape[1], images.shape[2], images.shape[3])); // one shape check, before any native call
        model.train(training);
        using var noGrad = no_grad();
        var outputs = new List<(string, Tensor)>();
        var x = images;
        foreach (var block in model.Blocks)
        {
            x = block.call(x);
            outputs.Add((block.GetName(), x));
        }
        return outputs;
    }
}
