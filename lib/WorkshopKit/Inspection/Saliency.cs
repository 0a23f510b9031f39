using static TorchSharp.torch;

namespace WorkshopKit.Inspection;

/// <summary>
/// Which pixels drive a prediction: the magnitude of the gradient of the predicted class's score with respect to
/// each input pixel (the image-specific saliency map of Simonyan, Vedaldi and Zisserman 2014, "Deep Inside
/// Convolutional Networks"). A large value means a small change of that pixel changes the score most.
/// </summary>
/// <remarks>First used in notebook 01 (Convolutional layers), section "9. Watch a CNN learn".</remarks>
public static class Saliency
{
    /// <summary>
    /// The saliency map (N, H, W) of <paramref name="images"/> (N, C, H, W) for the model's predicted classes (the
    /// maximum over channels of |d score / d pixel|, as in the paper), and those predictions. Runs in evaluation mode.
    /// </summary>
    public static (Tensor Map, long[] Predicted) Of(nn.Module<Tensor, Tensor> model, Tensor images)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || !images.is_floating_point())
            throw new ArgumentException($"Saliency needs floating-point images (N, C, H, W); got {images.dtype} of shape ({string.Join(", ", images.shape)}).", nameof(images));
        model.eval();
        using var scope = NewDisposeScope();
        var x = images.detach().clone().requires_grad_(true);
        var scores = model.call(x);
        var predicted = scores.argmax(1);
        // Summing the chosen scores gives each image's own gradient: image i's score does not depend on image j.
        scores.gather(1, predicted.unsqueeze(1)).sum().backward();
        var map = x.grad!.abs().amax([1]);
        long[] classes = predicted.data<long>().ToArray();
        model.zero_grad();
        return (map.detach().MoveToOuterDisposeScope(), classes);
    }
}
