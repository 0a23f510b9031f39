using System.Runtime.InteropServices;

namespace WorkshopKit.Runtime;

/// <summary>
/// Turns oneDNN off for libtorch's convolutions on hosts whose CPUID cache leaf misleads it
/// (<see cref="CpuCacheTopology.MisleadsOneDnn"/>), and keeps NNPACK from being asked where it cannot run.
/// </summary>
/// <remarks>
/// <para>The cure is libtorch's own switch, <c>at::globalContext().setUserEnabledMkldnn(false)</c> (what PyTorch's
/// <c>torch.backends.mkldnn.enabled = False</c> sets): ATen then computes convolutions with its own im2col + BLAS
/// kernels, which were correct in every trial on the faulty host. Measured alternatives (docs/benchmarks.md):
/// <c>DNNL_MAX_CPU_ISA=SSE41</c> is also correct but slower; <c>DNNL_MAX_CPU_ISA=AVX2</c> (this kit's earlier cap)
/// cures only 8 output channels; writing realistic cache sizes into oneDNN's private CPU object is the cheapest but
/// depends on one build's private memory layout, so it is not used. TorchSharp has no binding for the switch, so it is
/// called through libtorch's exported C++ symbols: a member function with <c>this</c> and a bool, which both the
/// Itanium (Linux, macOS) and the Microsoft x64 calling conventions pass like a plain two-argument function.</para>
/// <para>NNPACK reads cache sizes only from Intel's CPUID leaf 4, so on AMD CPUs <c>nnp_initialize</c> fails and ATen
/// prints "Could not initialize NNPACK! Reason: Unsupported hardware." every time it considers NNPACK (thousands of
/// lines per run). Where NNPACK cannot initialize, telling ATen not to consider it changes no result and no speed.</para>
/// Runtime plumbing: readers can skip it.
/// </remarks>
internal static unsafe class OneDnnConvolutions
{
    private static IntPtr context;
    private static delegate* unmanaged<IntPtr, byte, void> setMkldnn;
    private static delegate* unmanaged<IntPtr, byte> getMkldnn;

    /// <summary>The setting of <see cref="TorchRuntime.OneDnnVariable"/>: <c>auto</c> (default), <c>off</c> or <c>on</c>.</summary>
    public static string Mode()
    {
        string value = (Environment.GetEnvironmentVariable(TorchRuntime.OneDnnVariable) ?? "auto").Trim().ToLowerInvariant();
        return value is "" ? "auto" : value is "auto" or "off" or "on" ? value
            : throw new TorchLoadException($"{TorchRuntime.OneDnnVariable}={Environment.GetEnvironmentVariable(TorchRuntime.OneDnnVariable)} is not a setting: use auto (turn oneDNN's convolutions off only where this CPU's cache leaf misleads oneDNN), off (always, e.g. to test the cure on a healthy host) or on (never). Unset it for auto.", null);
    }

    /// <summary>
    /// Runs once, after libtorch has loaded and before the first convolution: quiets NNPACK where it cannot run, then
    /// turns oneDNN's convolutions off when <see cref="Mode"/> and <paramref name="cpu"/> ask for it, recording each
    /// step in <paramref name="actions"/>. Returns true when oneDNN's convolutions are off; <paramref name="notice"/> is
    /// the line about oneDNN that a user must see (the cure, or the warning of an opt-out on a faulty host), else null.
    /// </summary>
    public static bool Apply(CpuCacheTopology? cpu, List<string> actions, out string? notice) => Apply(cpu, Mode(), actions, out notice);

    /// <summary>As <see cref="Apply(CpuCacheTopology?, List{string}, out string?)"/> with the setting given, so a test can simulate a faulty host.</summary>
    internal static bool Apply(CpuCacheTopology? cpu, string mode, List<string> actions, out string? notice)
    {
        notice = null;
        if (!Bind()) return false;
        QuietNnpack(actions);
        bool faulty = cpu?.MisleadsOneDnn == true;
        if (mode == "on" || (mode == "auto" && !faulty))
        {
            SetEnabled(true);
            if (faulty) actions.Add(notice = $"WARNING: {cpu!.Summary}; kept oneDNN because {TorchRuntime.OneDnnVariable}=on: float32 training may compute wrong gradients here");
            return false;
        }
        SetEnabled(false);
        if (IsEnabled()) throw new TorchLoadException("libtorch did not accept at::globalContext().setUserEnabledMkldnn(false); its convolutions would be wrong on this host. Report the CPU model and libtorch version.", null);
        actions.Add(notice = mode == "off"
            ? $"oneDNN off for convolutions because {TorchRuntime.OneDnnVariable}=off (ATen's own kernels; unset it for auto)"
            : $"found: {cpu!.Summary}. Did: turned oneDNN off for convolutions (ATen's own kernels: correct, slower per training step, see docs/benchmarks.md). Opt out: {TorchRuntime.OneDnnVariable}=on");
        return true;
    }

    /// <summary>True when ATen may use oneDNN for convolutions (libtorch's <c>userEnabledMkldnn()</c>); true when the switch cannot be read.</summary>
    public static bool IsEnabled() => !Bind() || getMkldnn(context) != 0;

    /// <summary>Sets libtorch's global oneDNN switch; the self-check uses it to measure both sides.</summary>
    public static void SetEnabled(bool enabled)
    {
        if (!Bind()) throw new InvalidOperationException("libtorch's oneDNN switch (at::Context::setUserEnabledMkldnn) was not found in the loaded libtorch_cpu; it cannot be changed here.");
        setMkldnn(context, enabled ? (byte)1 : (byte)0);
    }

    /// <summary>Sets the switch where it can be set; a no-op where libtorch has none (then oneDNN's state is the only one there is).</summary>
    public static void SetEnabledIfBound(bool enabled)
    {
        if (Bind()) setMkldnn(context, enabled ? (byte)1 : (byte)0);
    }

    private static void QuietNnpack(List<string> actions)
    {
        IntPtr lib = Library();
        if (!NativeLibrary.TryGetExport(lib, "nnp_initialize", out IntPtr init)) return;
        int status = ((delegate* unmanaged<int>)init)();
        if (status == 0) return;
        if (!TryExport(lib, "_ZN2at7Context20setUserEnabledNNPACKEb", "?setUserEnabledNNPACK@Context@at@@QEAAX_N@Z", out IntPtr setNnpack)) return;
        ((delegate* unmanaged<IntPtr, byte, void>)setNnpack)(context, 0);
        actions.Add($"NNPACK cannot run on this CPU (nnp_initialize returned {status}: it reads only Intel's cache leaf 4): ATen no longer asks for it, which silences libtorch's repeated 'Could not initialize NNPACK' warning and changes no result");
    }

    private static bool Bind()
    {
        if (context != IntPtr.Zero) return true;
        IntPtr lib = Library();
        if (lib == IntPtr.Zero
            || !TryExport(lib, "_ZN2at13globalContextEv", "?globalContext@at@@YAAEAVContext@1@XZ", out IntPtr global)
            || !TryExport(lib, "_ZN2at7Context20setUserEnabledMkldnnEb", "?setUserEnabledMkldnn@Context@at@@QEAAX_N@Z", out IntPtr set)
            || !TryExport(lib, "_ZNK2at7Context17userEnabledMkldnnEv", "?userEnabledMkldnn@Context@at@@QEBA_NXZ", out IntPtr get))
            return false;
        setMkldnn = (delegate* unmanaged<IntPtr, byte, void>)set;
        getMkldnn = (delegate* unmanaged<IntPtr, byte>)get;
        context = ((delegate* unmanaged<IntPtr>)global)();
        return context != IntPtr.Zero;
    }

    private static bool TryExport(IntPtr lib, string itanium, string microsoft, out IntPtr address) =>
        NativeLibrary.TryGetExport(lib, itanium, out address) || NativeLibrary.TryGetExport(lib, microsoft, out address);

    private static IntPtr library;

    /// <summary>The libtorch_cpu this process has loaded (found in /proc/self/maps on Linux, by module name elsewhere).</summary>
    private static IntPtr Library()
    {
        if (library != IntPtr.Zero) return library;
        string? path = null;
        if (OperatingSystem.IsLinux()) path = BundledLibTorch.MappedFiles().FirstOrDefault(p => p.EndsWith("/libtorch_cpu.so", StringComparison.Ordinal));
        else if (OperatingSystem.IsWindows()) path = "torch_cpu.dll";
        else if (OperatingSystem.IsMacOS()) path = "libtorch_cpu.dylib";
        if (path is not null) NativeLibrary.TryLoad(path, out library);
        return library;
    }
}
