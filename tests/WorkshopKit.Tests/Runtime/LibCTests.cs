using System.Runtime.InteropServices;
using WorkshopKit.Runtime;

namespace WorkshopKit.Tests.Runtime;

/// <summary>LibC's function-pointer calls against the C library reached the ordinary way (DllImport of libc.so.6).</summary>
public class LibCTests
{
    [DllImport("libc.so.6", EntryPoint = "getenv")]
    private static extern IntPtr CGetEnv(string name);

    private static string? CEnvironment(string name) => Marshal.PtrToStringAnsi(CGetEnv(name));

    [Fact]
    public void SetEnvWritesTheCEnvironmentAndHonoursOverwrite()
    {
        if (!OperatingSystem.IsLinux()) return;
        string name = "WORKSHOPKIT_LIBC_TEST_" + Environment.ProcessId;
        Assert.Null(CEnvironment(name));
        Assert.True(LibC.SetEnv(name, "first", overwrite: false));
        Assert.Equal("first", CEnvironment(name));
        Assert.True(LibC.SetEnv(name, "second", overwrite: false));
        Assert.Equal("first", CEnvironment(name)); // setenv(..., 0) keeps an existing value
        Assert.True(LibC.SetEnv(name, "third", overwrite: true));
        Assert.Equal("third", CEnvironment(name));
    }

    [Fact]
    public void NonAsciiNamesAreRefusedBeforeAnyNativeCall()
    {
        var e = Assert.Throws<ArgumentException>(() => LibC.SetEnv("WORKSHOPKIT_\u00c4", "x", overwrite: false));
        Assert.Contains("not plain ASCII", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DlvsymFindsAVersionedSymbolOnlyAtItsVersion()
    {
        if (!OperatingSystem.IsLinux()) return;
        // std::terminate() has been exported at GLIBCXX_3.4 since GCC 3.4, and the dotnet host links libstdc++.
        Assert.True(LibC.DefinesVersionedSymbol("_ZSt9terminatev", "GLIBCXX_3.4"));
        Assert.False(LibC.DefinesVersionedSymbol("_ZSt9terminatev", "GLIBCXX_99.0"));
        Assert.False(LibC.DefinesVersionedSymbol("workshopkit_no_such_symbol", "GLIBCXX_3.4"));
    }

    [Fact]
    public void TheProcessAnswerAboutGlibcxx3432MatchesTheLoadedLibStdCxxFile()
    {
        if (!OperatingSystem.IsLinux()) return;
        // The independent reference: the version definitions of the libstdc++ file this process has mapped.
        string? loaded = null;
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            int slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0 && line.Contains("/libstdc++.so.6", StringComparison.Ordinal))
            {
                loaded = line[slash..];
                break;
            }
        }
        Assert.NotNull(loaded);
        bool fileDefines = ElfVersionNeeds.ReadDefinitions(loaded).Contains(TorchRuntime.UnusedGlibcxxVersion);
        Assert.Equal(fileDefines, LibTorchSharpPatch.ProcessLibStdCxxDefines(TorchRuntime.UnusedGlibcxxVersion));
    }
}
