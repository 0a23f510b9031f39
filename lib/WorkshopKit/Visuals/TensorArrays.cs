namespace WorkshopKit.Visuals;

/// <summary>
/// Tensors as plain .NET arrays, for pictures and hand arithmetic: TorchSharp's <c>data&lt;float&gt;()</c> gives a flat
/// span, and a heatmap or a loop over rows and columns wants the rows and columns back.
/// </summary>
/// <remarks>First used in notebook 01 (Convolutional layers), section "1 · A filter slides over the image".</remarks>
public static class TensorArrays
{
    /// <summary>A 2-D float array from a 2-D tensor (height, width), copied to the CPU: <c>x[0, 0].ToArray2d()</c>.</summary>
    /// <exception cref="ArgumentException">The tensor does not have two dimensions.</exception>
    public static float[,] ToArray2d(this TorchSharp.torch.Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.dim() != 2) throw new ArgumentException($"Expected a 2-D tensor (height, width) but got shape [{string.Join(", ", tensor.shape)}]; select one image and channel first, e.g. x[0, 0].", nameof(tensor));
        using var cpu = tensor.detach().cpu().to_type(TorchSharp.torch.ScalarType.Float32).contiguous();
        var flat = cpu.data<float>().ToArray();
        int h = (int)tensor.shape[0], w = (int)tensor.shape[1];
        var result = new float[h, w];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(float));
        return result;
    }
}
