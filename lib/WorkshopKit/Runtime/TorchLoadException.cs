namespace WorkshopKit.Runtime;

/// <summary>Raised when TorchSharp's native libraries cannot be loaded; the message names the real cause and the fix.</summary>
/// <remarks>Runtime plumbing: not taught; readers can skip it (notebook 00, "Your environment", shows what to do when it appears).</remarks>
public sealed class TorchLoadException : Exception
{
    /// <summary>Creates the exception with WorkshopKit's diagnosis.</summary>
    public TorchLoadException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>Creates the exception with a default message.</summary>
    public TorchLoadException() : base("TorchSharp's native libraries could not be loaded.") { }

    /// <summary>Creates the exception with a message.</summary>
    public TorchLoadException(string message) : base(message) { }
}
