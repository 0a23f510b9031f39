namespace WorkshopKit.Inspection;

/// <summary>One test image the model got wrong.</summary>
/// <param name="Index">Its position in the dataset.</param>
/// <param name="Label">The true class.</param>
/// <param name="Predicted">The class the model chose.</param>
/// <param name="Confidence">The softmax probability the model gave its choice.</param>
/// <remarks>Comes with <see cref="Misclassification"/>, first used in notebook 01 (Convolutional layers), section "9. Watch a CNN learn".</remarks>
public sealed record Misclassified(int Index, long Label, long Predicted, double Confidence);
