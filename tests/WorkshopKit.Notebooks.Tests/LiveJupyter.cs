using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WorkshopKit.Notebooks.Tests;

/// <summary>
/// The classic Jupyter Notebook server (Debian's <c>jupyter-notebook</c>, the one the README names) on a loopback port,
/// serving a folder of notebooks with the tests' private kernel registration, configuration and signature database
/// (so the user's own Jupyter is never touched and trust starts empty). Stopped, with its kernels, on dispose.
/// </summary>
internal sealed class LiveJupyter : IDisposable
{
    private readonly Process _server;
    private readonly StringBuilder _log = new();

    private LiveJupyter(Process server, int port, string token, string folder)
    {
        _server = server;
        Port = port;
        Token = token;
        Folder = folder;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The access token (the page address carries it, as `jupyter notebook` prints it).</summary>
    public string Token { get; }

    /// <summary>The folder the server serves (its notebook directory).</summary>
    public string Folder { get; }

    /// <summary>What the server printed so far (for failure messages).</summary>
    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    /// <summary>The address of a notebook in <see cref="Folder"/>.</summary>
    public string Url(string notebook) => $"http://127.0.0.1:{Port}/notebooks/{Uri.EscapeDataString(notebook)}?token={Token}";

    /// <summary>Starts <c>jupyter notebook</c> on a free loopback port and waits (up to a minute) until it answers.</summary>
    public static async Task<LiveJupyter> StartAsync(string folder)
    {
        string home = Path.Combine(folder, ".jupyter-home");
        Directory.CreateDirectory(home);
        int port = FreeLoopbackPort();
        string token = Guid.NewGuid().ToString("N");
        var start = new ProcessStartInfo("jupyter")
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (string a in new[]
                 {
                     "notebook", "--no-browser", "--ip=127.0.0.1", $"--port={port}", "--port-retries=0", $"--NotebookApp.token={token}",
                     $"--notebook-dir={folder}", "--NotebookApp.open_browser=False",
                 })
            start.ArgumentList.Add(a);
        if (Environment.IsPrivilegedProcess) start.ArgumentList.Add("--allow-root"); // CI runs as root; Jupyter refuses that without it
        foreach (var (k, v) in NotebookClient.ClientEnvironment()) start.Environment[k] = v;
        // Private configuration, runtime files and trust database (nbsignatures.db lives in the data folder, which the
        // client tests share; the notary's database is pointed here so each run starts with nothing trusted).
        start.Environment["JUPYTER_CONFIG_DIR"] = Path.Combine(home, "config");
        start.Environment["JUPYTER_RUNTIME_DIR"] = Path.Combine(home, "runtime");
        foreach (string notary in NotaryOptions(home)) start.ArgumentList.Add(notary);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start `jupyter notebook`");
        var server = new LiveJupyter(process, port, token, folder);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (server._log) server._log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (server._log) server._log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(1))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"`jupyter notebook` exited with {process.ExitCode} (tools/prereqs.sh installs Debian's jupyter-notebook):\n{server.Log}");
            try
            {
                var answer = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/api/status?token={token}"));
                if (answer.StatusCode == HttpStatusCode.OK) return server;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        server.Dispose();
        throw new InvalidOperationException("`jupyter notebook` did not answer within a minute:\n" + server.Log);
    }

    /// <summary>
    /// Signs a notebook in this server's trust database the way the README tells attendees: <c>jupyter trust</c>, or on
    /// Debian 12 (which ships no <c>jupyter trust</c>) <c>/usr/bin/python3 -m nbformat.sign</c>, the same program.
    /// </summary>
    public void Sign(string notebook)
    {
        bool jupyterTrust = File.Exists("/usr/bin/jupyter-trust") || File.Exists("/usr/local/bin/jupyter-trust");
        var start = new ProcessStartInfo(jupyterTrust ? "jupyter" : "/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in jupyterTrust ? ["trust"] : new[] { "-m", "nbformat.sign" }) start.ArgumentList.Add(a);
        foreach (string notary in NotaryOptions(Path.Combine(Folder, ".jupyter-home"))) start.ArgumentList.Add(notary);
        start.ArgumentList.Add(Path.Combine(Folder, notebook));
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + start.FileName);
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"signing {notebook} failed ({start.FileName} {string.Join(' ', start.ArgumentList)}):\n{output}");
    }

    private static string[] NotaryOptions(string home) =>
        [$"--NotebookNotary.db_file={Path.Combine(home, "nbsignatures.db")}", $"--NotebookNotary.secret_file={Path.Combine(home, "notebook_secret")}"];

    public void Dispose()
    {
        try
        {
            if (!_server.HasExited) _server.Kill(entireProcessTree: true);
            _server.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _server.Dispose();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
