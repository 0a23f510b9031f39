using WorkshopKit.Runtime;
using Xunit;
using static TorchSharp.torch;

namespace WorkshopKit.Tests.Runtime;

/// <summary>
/// The detection (CPUID registers in, verdict out) and the cure (libtorch's oneDNN switch), with a simulated faulty
/// host, so the cure's path is tested on healthy machines too.
/// </summary>
[Collection(ConvolutionSwitchCollection.Name)]
public class OneDnnCureTests
{
    // Leaf 0x8000001D sub-leaf 0 of a healthy Zen CPU's L1 data cache, written from AMD's field layout (cache type 1 in
    // EAX[4:0], level 1 in EAX[7:5]; EBX = ways-1 [31:22], partitions-1 [21:12], line size-1 [11:0]; ECX = sets-1):
    // 12 ways x 64-byte lines x 64 sets = 48 KiB.
    private static readonly (uint, uint, uint, uint) HealthyL1 = (0x21, (11u << 22) | 63u, 63u, 0u);

    private static CpuCacheTopology Amd((uint, uint, uint, uint) leaf, uint maxExtended = 0x80000021) => new("AuthenticAMD", maxExtended, leaf, 48, 1024);

    [Fact]
    public void AnAmdCpuThatAnnouncesTheCacheLeafButLeavesItEmptyMisleadsOneDnn()
    {
        Assert.True(Amd((0, 0, 0, 0)).MisleadsOneDnn);
        Assert.False(Amd(HealthyL1).MisleadsOneDnn);
        Assert.False(Amd((0, 0, 0, 0), maxExtended: 0x80000008).MisleadsOneDnn); // leaf not announced: Xbyak uses the legacy leaves
        Assert.False(new CpuCacheTopology("GenuineIntel", 0x80000008, (0, 0, 0, 0), 0, 0).MisleadsOneDnn); // Xbyak reads leaf 4 there
        // Xbyak's size formula, (ways) x (partitions) x (line size) x (sets), each field + 1: 1 byte for an empty leaf,
        // the investigation's reading of oneDNN's memory on the faulty host; 49,152 for the healthy L1 above.
        Assert.Equal(1, CpuCacheTopology.CacheBytes((0, 0, 0, 0)));
        Assert.Equal(48 * 1024, CpuCacheTopology.CacheBytes(HealthyL1));
        Assert.Contains("EMPTY", Amd((0, 0, 0, 0)).Summary, StringComparison.Ordinal);
        Assert.Contains("48 KiB", Amd(HealthyL1).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void ThisCpuIsReadDirectlyAndTheVendorAgreesWithProcCpuinfo()
    {
        var cpu = CpuCacheTopology.Read();
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/cpuinfo") || cpu is null) return; // nothing independent to compare with
        string vendor = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("vendor_id", StringComparison.Ordinal)).Split(':')[1].Trim();
        Assert.Equal(vendor, cpu.Vendor);
        bool topoext = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal)).Split(' ').Contains("topoext");
        if (cpu.Vendor == "AuthenticAMD") Assert.Equal(topoext, cpu.MaxExtendedLeaf >= CpuCacheTopology.TopologyLeafNumber);
    }

    [Fact]
    public void InitializeCuredThisHostExactlyWhenItsCacheLeafMisleadsOneDnn()
    {
        var report = TorchRuntime.Initialize();
        string mode = Environment.GetEnvironmentVariable(TorchRuntime.OneDnnVariable) ?? "auto";
        bool expected = mode == "off" || (mode != "on" && CpuCacheTopology.Read()?.MisleadsOneDnn == true);
        Assert.Equal(expected ? ConvSelfCheck.AtenBackend : ConvSelfCheck.OneDnnBackend, report.ConvolutionBackend);
        Assert.Equal(!expected, OneDnnConvolutions.IsEnabled());
        if (expected && mode == "auto") Assert.Contains(report.Actions, a => a.Contains("0x8000001D", StringComparison.Ordinal) && a.Contains(TorchRuntime.OneDnnVariable + "=on", StringComparison.Ordinal));
    }

    [Fact]
    public void TheCureTurnsOneDnnOffOnAFaultyHostOnlyAndEachSettingIsHonoured()
    {
        bool before = OneDnnConvolutions.IsEnabled();
        try
        {
            var actions = new List<string>();
            Assert.True(OneDnnConvolutions.Apply(Amd((0, 0, 0, 0)), "auto", actions, out _)); // simulated faulty host
            Assert.False(OneDnnConvolutions.IsEnabled());
            Assert.Contains(actions, a => a.StartsWith("found: AuthenticAMD: CPUID leaf 0x8000001D", StringComparison.Ordinal) && a.Contains("Opt out: WORKSHOPKIT_ONEDNN=on", StringComparison.Ordinal));

            actions.Clear();
            Assert.False(OneDnnConvolutions.Apply(Amd(HealthyL1), "auto", actions, out _)); // healthy: nothing changes
            Assert.True(OneDnnConvolutions.IsEnabled());
            Assert.DoesNotContain(actions, a => a.Contains("oneDNN", StringComparison.Ordinal));

            Assert.True(OneDnnConvolutions.Apply(Amd(HealthyL1), "off", actions, out _)); // forced
            Assert.False(OneDnnConvolutions.IsEnabled());

            actions.Clear();
            Assert.False(OneDnnConvolutions.Apply(Amd((0, 0, 0, 0)), "on", actions, out _)); // opted out: kept, with a warning
            Assert.True(OneDnnConvolutions.IsEnabled());
            Assert.Contains(actions, a => a.StartsWith("WARNING", StringComparison.Ordinal));
        }
        finally
        {
            OneDnnConvolutions.SetEnabled(before);
        }
    }

    [Fact]
    public void AnUnknownSettingIsRefusedWithTheValuesThatWork()
    {
        string? old = Environment.GetEnvironmentVariable(TorchRuntime.OneDnnVariable);
        try
        {
            Environment.SetEnvironmentVariable(TorchRuntime.OneDnnVariable, "maybe");
            var e = Assert.Throws<TorchLoadException>(OneDnnConvolutions.Mode);
            Assert.Contains("WORKSHOPKIT_ONEDNN=maybe", e.Message, StringComparison.Ordinal);
            Assert.Contains("auto", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(TorchRuntime.OneDnnVariable, old);
        }
    }

    [Fact]
    public void WithTheCureForcedTheSelfCheckPassesOnAnyHost()
    {
        // The cure's path on a healthy machine: oneDNN off, and the convolutions the course trains still agree with float64.
        bool before = OneDnnConvolutions.IsEnabled();
        var configurations = ConvSelfCheck.CourseConfigurations().Where(c => c.OutChannels is 1 or 2 or 8 or 20).ToList();
        var result = ConvSelfCheck.Run(1, 5, null, configurations, backend: ConvSelfCheck.AtenBackend);
        Assert.Equal(ConvSelfCheck.AtenBackend, result.Backend);
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(result.InUse.Count, result.WithoutCure.Count); // the uncured side ran too, as on a faulty host
        Assert.Equal(before, OneDnnConvolutions.IsEnabled()); // and the switch is as it was
    }
}
