namespace WorkshopKit.Data;

/// <summary>What is wrong with a shipped data file, so that tests and tools can react without parsing messages.</summary>
/// <remarks>Comes with <see cref="Datasets"/>, first used in notebook 01 (Convolutional layers), section "1. Why convolutions?".</remarks>
public enum DataFileProblem
{
    /// <summary>The file (or the data folder itself) does not exist.</summary>
    Missing,

    /// <summary>The file is shorter than the manifest says: an interrupted copy or download.</summary>
    Truncated,

    /// <summary>The file has a different size or SHA-256 than the manifest records: it was changed or replaced.</summary>
    ChecksumMismatch,

    /// <summary>The bytes match no valid gzip/IDX/manifest layout, or the shapes disagree with the manifest.</summary>
    BadFormat,
}
