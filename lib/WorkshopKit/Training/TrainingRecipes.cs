using static TorchSharp.torch;

namespace WorkshopKit.Training;

/// <summary>
/// The settings the notebooks train with, written once, so that a notebook and the experiment that ships its weights
/// (experiments/zoo.cs) train exactly the same way and an attendee's numbers match the instructor's.
/// </summary>
/// <remarks>First used in notebook 01 (Convolutional layers), section "9. Watch a CNN learn".</remarks>
public static class TrainingRecipes
{
    /// <summary>
    /// The plain CNN (<see cref="Blocks.ModelZoo.PlainCnn"/>) on the shipped MNIST, on the CPU: a fixed number of Adam
    /// steps (the same work on every machine), random shifts of up to one pixel (so it does not learn exact positions),
    /// the learning rate annealed to 0 along a cosine so the last weights are
    /// also the best, a test point every 50 steps for the live chart. Seed the weights with <c>torch.manual_seed(1)</c>
    /// before building the model.
    /// </summary>
    public static TrainerOptions PlainCnnMnist { get; } = new()
    {
        Steps = 800, BatchSize = 64, LearningRate = 3e-3, CosineSchedule = true, MaxShift = 1, EvaluateEvery = 50, Seed = 1, Device = CPU,
    };

    /// <summary>The name of the shipped weights that <see cref="PlainCnnMnist"/> produces (<see cref="SavedWeights.ShippedPath"/>).</summary>
    public const string PlainCnnMnistWeights = "plain-cnn-mnist";
}
