namespace WorkshopKit.Costs;

/// <summary>The ways <see cref="ConvSpeed.Compare"/> computes the same convolution; rows are looked up by these, not by name prefixes.</summary>
/// <remarks>Taught in notebook 02 (hardware and precision), section 1 "Sparsity and accelerators".</remarks>
public enum ConvMethod
{
    /// <summary>The convolution as a sparse matrix W times the flattened input: ConvMatrix's compressed rows, one pass over the non-zeros.</summary>
    SparseMatrix,
    /// <summary>The same sparse W as libtorch's COO tensor, multiplied with torch.mm (libtorch's general sparse route).</summary>
    SparseMatrixCoo,
    /// <summary>The same W stored dense, times the input (torch.mv): multiplies every zero.</summary>
    DenseMatrix,
    /// <summary>Unfold the input windows into columns, then one matrix product.</summary>
    Im2colGemm,
    /// <summary>libtorch's conv2d on the CPU.</summary>
    Conv2d,
    /// <summary>conv2d on a CUDA device through cuDNN (only when a GPU is given).</summary>
    Conv2dCudnn,
}
