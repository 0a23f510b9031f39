using System.Net;
using TorchSharp;
using WorkshopKit.Visuals;

namespace WorkshopKit.Exercises;

/// <summary>
/// Check cells for the workshop's exercises. The expected answers live in the library (per lesson), not in
/// the notebook, so reading the check cell does not give the answer away; a wrong answer gets a hint.
/// </summary>
/// <remarks>First used in notebook 00 (Setup: start here), section "Exercise 0.1: how many numbers are in a batch?".</remarks>
public static class Exercise
{
    /// <summary>Checks an exact answer (a count, a size, a shape).</summary>
    public static ExerciseResult Check<T>(string name, T actual, T expected, string onSuccess, string fallbackHint, params Hint<T>[] hints)
    {
        if (EqualityComparer<T>.Default.Equals(actual, expected)) return Pass(name, onSuccess);
        return Fail(name, hints.FirstOrDefault(h => h.When(actual))?.Message ?? fallbackHint);
    }

    /// <summary>Checks a real-valued answer within an absolute tolerance (results of float arithmetic differ in the last digits).</summary>
    public static ExerciseResult CheckClose(string name, double actual, double expected, double tolerance, string onSuccess, string fallbackHint, params Hint<double>[] hints)
    {
        if (double.IsFinite(actual) && Math.Abs(actual - expected) <= tolerance) return Pass(name, onSuccess);
        return Fail(name, hints.FirstOrDefault(h => h.When(actual))?.Message ?? fallbackHint);
    }

    /// <summary>Checks a tensor answer: the shape first (the most common mistake), then the values with torch.allclose.</summary>
    public static ExerciseResult CheckTensor(string name, torch.Tensor? actual, torch.Tensor expected, string onSuccess, string fallbackHint, double atol = 1e-5, double rtol = 1e-4)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (actual is null) return Fail(name, "There is no tensor yet: assign your result to the variable the exercise names.");
        if (!actual.shape.SequenceEqual(expected.shape))
            return Fail(name, $"Your tensor has shape [{string.Join(", ", actual.shape)}] but the answer has shape [{string.Join(", ", expected.shape)}]. " + fallbackHint);
        // Compared in float64, or complex128 when the answer is complex: a complex tensor converted to float64 would
        // lose its imaginary part and a wrong answer (0+5i for 0) would pass.
        if (actual.is_complex() != expected.is_complex())
            return Fail(name, $"Your tensor is {actual.dtype} but the answer is {expected.dtype}: {(actual.is_complex() ? "drop the imaginary part, e.g. with .real, if it should be zero" : "the answer has an imaginary part")}. " + fallbackHint);
        var common = expected.is_complex() ? torch.ScalarType.ComplexFloat64 : torch.ScalarType.Float64;
        using var a = actual.detach().cpu().to_type(common);
        using var e = expected.detach().cpu().to_type(common);
        if (a.allclose(e, rtol, atol)) return Pass(name, onSuccess);
        using var diff = (a - e).abs().max();
        return Fail(name, $"The shape is right but values differ (largest difference {diff.item<double>():G4}). " + fallbackHint);
    }

    private static ExerciseResult Pass(string name, string remark) =>
        new(name, true, $"{ExerciseResult.CorrectWord}! {remark}".TrimEnd());

    private static ExerciseResult Fail(string name, string hint) =>
        new(name, false, $"{ExerciseResult.NotYetWord}. Hint: {hint}");
}
