using WorkshopKit.Data;
using static TorchSharp.torch;

namespace WorkshopKit.Inspection;

/// <summary>Finds the images a classifier gets wrong: looking at them shows whether the mistakes are the network's or the data's.</summary>
/// <remarks>First used in notebook 01 (Convolutional layers), section "9. Watch a CNN learn".</remarks>
public static class Misclassification
{
    /// <summary>Every misclassified image of <paramref name="data"/>, most confident mistakes first, in evaluation mode and without gradients.</summary>
    public static IReadOnlyList<Misclassified> Find(nn.Module<Tensor, Tensor> model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        model.eval();
        using var noGrad = no_grad();
        var wrong = new List<Misclassified>();
        int offset = 0;
        foreach (var (images, labels) in data.Batches(500, shuffle: false, seed: 0))
        {
            using var scope = NewDisposeScope();
            var probabilities = nn.functional.softmax(model.call(images), 1);
            var (confidence, predicted) = probabilities.max(1);
            long[] p = predicted.data<long>().ToArray(), y = labels.data<long>().ToArray();
            float[] c = confidence.data<float>().ToArray();
            for (int i = 0; i < p.Length; i++)
                if (p[i] != y[i]) wrong.Add(new Misclassified(offset + i, y[i], p[i], c[i]));
            offset += p.Length;
            images.Dispose();
            labels.Dispose();
        }
        return wrong.OrderByDescending(m => m.Confidence).ToList();
    }
}
