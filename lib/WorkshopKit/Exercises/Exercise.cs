using System.Net;
using TorchSharp;
using WorkshopKit.Visuals;

namespace WorkshopKit.Exercises;

/// <summary>A hint shown when an answer matches a mistake people often make; it should say what to look at, not just "wrong".</summary>
/// <typeparam name="T">The type of the answer.</typeparam>
/// <param name="When">True for answers this hint is about.</param>
/// <param name="Message">What to reconsider.</param>
public sealed record Hint<T>(Func<T, bool> When, string Message);

/// <summary>The verdict of a check cell; shown as a coloured box in notebooks and as one line in consoles.</summary>
/// <param name="Name">The exercise, e.g. "1.2".</param>
/// <param name="Passed">True when the answer is right.</param>
/// <param name="Message">"Correct" and a remark, or a hint that helps.</param>
public sealed record ExerciseResult(string Name, bool Passed, string Message) : IHtmlDisplay
{
    /// <summary>The word every passing verdict starts with; the tests of the notebooks look for it.</summary>
    public const string CorrectWord = "Correct";

    /// <summary>The word every failing verdict starts with.</summary>
    public const string NotYetWord = "Not yet";

    /// <inheritdoc />
    public string ToHtml()
    {
        string colour = Passed ? "#e6f4ea;border-left:4px solid #1e8e3e" : "#fef7e0;border-left:4px solid #f9ab00";
        return $"<div class=\"workshopkit-exercise\" style=\"background:{colour};padding:6px 10px;margin:4px 0\">" +
               $"<b>Exercise {WebUtility.HtmlEncode(Name)}:</b> {WebUtility.HtmlEncode(Message)}</div>";
    }

    /// <inheritdoc />
    public override string ToString() => $"Exercise {Name}: {Message}";
}

/// <summary>
/// Check cells for the workshop's exercises. The expected answers live in the library (per lesson), not in
/// the notebook, so reading the check cell does not give the answer away; a wrong answer gets a hint.
/// </summary>
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
        using var a = actual.detach().cpu().to_type(torch.ScalarType.Float64);
        using var e = expected.detach().cpu().to_type(torch.ScalarType.Float64);
        if (a.allclose(e, rtol, atol)) return Pass(name, onSuccess);
        using var diff = (a - e).abs().max();
        return Fail(name, $"The shape is right but values differ (largest difference {diff.item<double>():G4}). " + fallbackHint);
    }

    private static ExerciseResult Pass(string name, string remark) =>
        new(name, true, $"{ExerciseResult.CorrectWord}! {remark}".TrimEnd());

    private static ExerciseResult Fail(string name, string hint) =>
        new(name, false, $"{ExerciseResult.NotYetWord}. Hint: {hint}");
}
