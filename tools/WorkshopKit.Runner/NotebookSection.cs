namespace WorkshopKit.Runner;

/// <summary>One <c>##</c> or <c>###</c> section of a notebook, as <see cref="CorePath"/> reads it, so pacing and copies agree on what a section is.</summary>
/// <param name="Heading">The heading text without the leading hashes.</param>
/// <param name="Level">2 for <c>##</c>, 3 for <c>###</c>.</param>
/// <param name="FirstCell">0-based index of the heading cell among all cells.</param>
/// <param name="CellCount">The heading cell and the cells up to the next section heading.</param>
/// <param name="Optional">True when the section is off the core path (its own mark, or its <c>##</c> parent's).</param>
public sealed record NotebookSection(string Heading, int Level, int FirstCell, int CellCount, bool Optional);
