using WorkshopKit.Training;

namespace WorkshopKit.Precision;

/// <summary>The outcome of one configuration: final test error and the training curve.</summary>
/// <param name="Label">The configuration's label.</param>
/// <param name="WordLength">WL, or 32 for the float32 baseline.</param>
/// <param name="FractionBits">FL, or null for the baseline.</param>
/// <param name="Mode">Rounding rule, or "float32".</param>
/// <param name="TestError">Final test error (fraction misclassified).</param>
/// <param name="Seconds">Training time.</param>
/// <param name="Curve">Test error and loss over training (see <see cref="CurvePoint.TestError"/>).</param>
/// <remarks>Comes with <see cref="PrecisionResults"/>, first used in notebook 02 (Hardware and precision), section "2.4 Limited-precision training (saved results)".</remarks>
public sealed record PrecisionRun(string Label, int WordLength, int? FractionBits, string Mode, double TestError, double Seconds, IReadOnlyList<CurvePoint> Curve);
