namespace WorkshopKit.Training;

/// <summary>What the <see cref="Trainer"/> minimizes: the one setting that turns the classifier loop into the autoencoder loop.</summary>
/// <remarks>First used in notebook 04 (Pooling and upsampling), section "Training it briefly" (reconstruction); notebook 08 (Capstone: the model zoo) trains classifiers.</remarks>
public enum TrainingLoss
{
    /// <summary>Cross-entropy between the model's class scores (N, classes) and the labels; accuracy is reported too.</summary>
    CrossEntropy,

    /// <summary>Mean squared error between the model's output and its own input (an autoencoder); labels are ignored and accuracy is NaN.</summary>
    Reconstruction,
}
