using WorkshopKit.Runtime;

namespace WorkshopKit.Tests.Runtime;

/// <summary>The start-up patch end to end on a pristine libLibTorchSharp.so from the TorchSharp package.</summary>
public class LibTorchSharpPatchTests
{
    [Fact]
    public void APristineCopyIsMarkedWeakExactlyWhenThisProcessLibStdCxxLacksTheVersion()
    {
        if (!OperatingSystem.IsLinux()) return;
        string path = ElfVersionNeedsTests.PristineLibrary() ?? throw new InvalidOperationException("TorchSharp 0.107.0 is not in the NuGet cache; run dotnet restore first.");
        try
        {
            // Reference for the decision: the version definitions of the libstdc++ file the loader would use (read from disk).
            bool? hostDefines = TorchRuntime.HostLibStdCxxDefines(TorchRuntime.UnusedGlibcxxVersion);
            Assert.NotNull(hostDefines);
            var actions = new List<string>();
            LibTorchSharpPatch.Apply(actions, [path]);
            var need = Assert.Single(ElfVersionNeeds.Read(path), n => n.Version == TorchRuntime.UnusedGlibcxxVersion);
            if (hostDefines == true)
            {
                Assert.False(need.IsWeak);   // nothing needed patching: the file is left as shipped
                Assert.Empty(actions);
            }
            else
            {
                Assert.True(need.IsWeak);
                Assert.Equal([$"marked {TorchRuntime.UnusedGlibcxxVersion} weak in {path}"], actions);
                actions.Clear();
                LibTorchSharpPatch.Apply(actions, [path]);   // a second start finds nothing to do
                Assert.Empty(actions);
            }
        }
        finally { File.Delete(path); }
    }
}
