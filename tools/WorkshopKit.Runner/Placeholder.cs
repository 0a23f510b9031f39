namespace WorkshopKit.Runner;

/// <summary>Placeholder until the notebook runner lands.</summary>
internal static class Placeholder { }
