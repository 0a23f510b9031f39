using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using WorkshopKit.Visuals;

namespace WorkshopKit.Runtime.NotebookHost;

/// <summary>
/// Element ids for the outputs the kit draws into (charts, diagrams). A saved notebook keeps its outputs, and a live page
/// shows them next to the outputs of a new kernel session; a plain counter that restarts with the kernel gave a re-run
/// cell the id of an older output on the page, so its chart was drawn there and its own output stayed blank. An id is
/// therefore <c>workshopkit-KIND-SESSION-N</c>: N counts within one session, SESSION is random per kernel process, so
/// ids never repeat across restarts, saved outputs or notebooks open in one page. The in-process runner asks for
/// reproducible ids (<see cref="StartReproducibleSession"/>): its session part is then a hash of the first output's
/// content, the same on every run of the same notebook and different between notebooks.
/// </summary>
/// <remarks>Plumbing for <see cref="NotebookChart"/> and <see cref="MermaidDiagram"/>: not taught.</remarks>
internal static class OutputIds
{
    private static readonly Lock Gate = new();
    private static string? session = RandomToken();
    private static int count;

    /// <summary>The next id for an output of <paramref name="kind"/> (e.g. "chart"); <paramref name="content"/> seeds a reproducible session.</summary>
    public static string Next(string kind, string content)
    {
        lock (Gate)
        {
            session ??= HashToken(content);
            count++;
            return string.Create(CultureInfo.InvariantCulture, $"workshopkit-{kind}-{session}-{count}");
        }
    }

    /// <summary>Starts a session whose ids depend only on what it displays (the runner, one notebook after another in one process).</summary>
    public static void StartReproducibleSession()
    {
        lock (Gate)
        {
            session = null;
            count = 0;
        }
    }

    private static string RandomToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    private static string HashToken(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)))[..8];
}
