using System.Globalization;
using System.Runtime.Intrinsics.X86;

namespace WorkshopKit.Runtime;

/// <summary>
/// What this x86 CPU's CPUID instruction says about its data caches, read directly: the leaf oneDNN (libtorch's CPU
/// convolution library) sizes its kernels from. Some AMD virtual machines (seen: a 2-core Zen 5 Firecracker microVM,
/// family 26 model 2) announce the cache-topology leaf 0x8000001D but return all zeros from it; the Xbyak copy inside
/// oneDNN v3.7.1 (libtorch 2.10) then takes every cache to be 1 byte, and its float32 convolution backward-data kernels
/// return wrong input gradients (environment.md, "oneDNN on AMD hosts whose cache leaf is empty").
/// </summary>
/// <param name="Vendor">The vendor string of leaf 0 (e.g. <c>AuthenticAMD</c>, <c>GenuineIntel</c>).</param>
/// <param name="MaxExtendedLeaf">The highest extended leaf the CPU announces (leaf 0x80000000's EAX).</param>
/// <param name="TopologyLeaf">Leaf 0x8000001D, sub-leaf 0 (AMD's first cache level) as EAX, EBX, ECX, EDX; all zero when not announced.</param>
/// <param name="LegacyL1DataKiB">The L1 data cache in KiB from AMD's legacy leaf 0x80000005 (0 when absent): what the CPU says when asked the old way.</param>
/// <param name="LegacyL2KiB">The L2 cache in KiB from AMD's legacy leaf 0x80000006 (0 when absent).</param>
public sealed record CpuCacheTopology(string Vendor, uint MaxExtendedLeaf, (uint Eax, uint Ebx, uint Ecx, uint Edx) TopologyLeaf, int LegacyL1DataKiB, int LegacyL2KiB)
{
    /// <summary>AMD's cache-topology leaf, which Xbyak reads on every AMD CPU that announces it.</summary>
    public const uint TopologyLeafNumber = 0x8000001D;

    /// <summary>
    /// True when oneDNN v3.7.1 would read 1-byte caches here: an AMD CPU that announces leaf 0x8000001D and reports no
    /// cache in its first sub-leaf (cache type 0, "no more caches"), which that Xbyak does not check.
    /// </summary>
    public bool MisleadsOneDnn => Vendor == "AuthenticAMD" && MaxExtendedLeaf >= TopologyLeafNumber && (TopologyLeaf.Eax & 0x1F) == 0;

    /// <summary>Reads this CPU's answers; null on a CPU without CPUID (Arm, e.g. Apple silicon).</summary>
    public static CpuCacheTopology? Read()
    {
        if (!X86Base.IsSupported) return null;
        var (_, b, c, d) = X86Base.CpuId(0, 0);
        string vendor = Ascii(b) + Ascii(d) + Ascii(c);
        uint maxExtended = (uint)X86Base.CpuId(unchecked((int)0x80000000), 0).Eax;
        (uint, uint, uint, uint) leaf = (0, 0, 0, 0);
        if (maxExtended >= TopologyLeafNumber)
        {
            var (ea, eb, ec, ed) = X86Base.CpuId(unchecked((int)TopologyLeafNumber), 0);
            leaf = ((uint)ea, (uint)eb, (uint)ec, (uint)ed);
        }
        int l1 = maxExtended >= 0x80000005 ? (int)((uint)X86Base.CpuId(unchecked((int)0x80000005), 0).Ecx >> 24) : 0;
        int l2 = maxExtended >= 0x80000006 ? (int)((uint)X86Base.CpuId(unchecked((int)0x80000006), 0).Ecx >> 16) : 0;
        return new CpuCacheTopology(vendor, maxExtended, leaf, l1, l2);
    }

    /// <summary>One line for <c>doctor</c> and the setup report: what CPUID said and what it means for oneDNN.</summary>
    public string Summary => MisleadsOneDnn
        ? string.Create(CultureInfo.InvariantCulture, $"{Vendor}: CPUID leaf 0x8000001D (cache topology) is announced but EMPTY (legacy leaves say L1d {LegacyL1DataKiB} KiB, L2 {LegacyL2KiB} KiB); libtorch 2.10's oneDNN then sizes its kernels for 1-byte caches and computes wrong float32 convolution input gradients")
        : Vendor == "AuthenticAMD" && MaxExtendedLeaf >= TopologyLeafNumber
            ? string.Create(CultureInfo.InvariantCulture, $"{Vendor}: CPUID leaf 0x8000001D reports caches (first level: type {TopologyLeaf.Eax & 0x1F}, {CacheBytes(TopologyLeaf) / 1024} KiB): oneDNN sizes its kernels correctly")
            : $"{Vendor}: oneDNN does not read AMD's cache-topology leaf 0x8000001D on this CPU";

    /// <summary>The size Xbyak computes from a sub-leaf of 0x8000001D: ways x partitions x line size x sets (1 byte for all-zero registers).</summary>
    internal static long CacheBytes((uint Eax, uint Ebx, uint Ecx, uint Edx) leaf)
    {
        long ways = (leaf.Ebx >> 22) + 1, partitions = ((leaf.Ebx >> 12) & 0x3FF) + 1, line = (leaf.Ebx & 0xFFF) + 1, sets = (long)leaf.Ecx + 1;
        bool fullyAssociative = ((leaf.Eax >> 9) & 1) == 1;
        return ways * partitions * line * (fullyAssociative ? 1 : sets);
    }

    private static string Ascii(int register) =>
        string.Create(4, register, static (span, r) => { for (int i = 0; i < 4; i++) span[i] = (char)((r >> (8 * i)) & 0xFF); });
}
