using System.Net;
using TorchSharp;
using WorkshopKit.Visuals;

namespace WorkshopKit.Exercises;

/// <summary>The verdict of a check cell; shown as a coloured box in notebooks and as one line in consoles.</summary>
/// <param name="Name">The exercise, e.g. "1.2".</param>
/// <param name="Passed">True when the answer is right.</param>
/// <param name="Message">"Correct" and a remark, or a hint that helps.</param>
/// <remarks>Every exercise of notebooks 00 to 08 answers with it.</remarks>
public sealed record ExerciseResult(string Name, bool Passed, string Message) : IHtmlDisplay
{
    /// <summary>The word every passing verdict starts with; the tests of the notebooks look for it.</summary>
    public const string CorrectWord = "Correct";

    /// <summary>The word every failing verdict starts with.</summary>
    public const string NotYetWord = "Not yet";

    /// <inheritdoc />
    public string ToHtml()
    {
        // The book (tools/WorkshopKit.Runner/NotebookHtml.cs) finds verdicts by this class to keep them closed: rename both.
        string colour = Passed ? "#e6f4ea;border-left:4px solid #1e8e3e" : "#fef7e0;border-left:4px solid #f9ab00";
        return $"<div class=\"workshopkit-exercise\" style=\"background:{colour};padding:6px 10px;margin:4px 0\">" +
               $"<b>Exercise {WebUtility.HtmlEncode(Name)}:</b> {WebUtility.HtmlEncode(Message)}</div>";
    }

    /// <inheritdoc />
    public override string ToString() => $"Exercise {Name}: {Message}";
}
