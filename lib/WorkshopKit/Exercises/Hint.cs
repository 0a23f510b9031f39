using System.Net;
using TorchSharp;
using WorkshopKit.Visuals;

namespace WorkshopKit.Exercises;

/// <summary>A hint shown when an answer matches a mistake people often make; it should say what to look at, not just "wrong".</summary>
/// <typeparam name="T">The type of the answer.</typeparam>
/// <param name="When">True for answers this hint is about.</param>
/// <param name="Message">What to reconsider.</param>
/// <remarks>Every exercise of notebooks 00 to 08 answers with it.</remarks>
public sealed record Hint<T>(Func<T, bool> When, string Message);
