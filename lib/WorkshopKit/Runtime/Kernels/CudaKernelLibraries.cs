using System.Runtime.InteropServices;
using System.Text;
using WorkshopKit.Precision;

namespace WorkshopKit.Runtime.Kernels;

/// <summary>
/// The native entry points the fused CUDA kernel needs, found at run time: NVRTC (to compile the kernel source for the
/// GPU in the process), the CUDA driver API (to load and launch it in the primary context that libtorch's CUDA runtime
/// uses, the way CuPy shares PyTorch's memory), and TorchSharp's <c>THSTensor_data</c> (a tensor's device pointer).
/// </summary>
/// <remarks>
/// Why this route and not a package: TorchSharp 0.107 exposes no CUDA kernels of one's own, no streams, no data pointer
/// and no torch.compile. ILGPU (served, 1.5.3) compiles C# kernels, but its CUDA accelerator manages its own context
/// and its own buffers; running on libtorch's memory would rest on it accepting foreign pointers in libtorch's primary
/// context, which we found no documented way to do and could not try without a GPU, and it would add a dependency for
/// two small kernels. NVRTC and the driver come with every CUDA installation that runs libtorch: the driver with
/// the NVIDIA driver (<c>libcuda.so.1</c>), NVRTC with PyTorch's pip packages (<c>site-packages/nvidia/.../lib</c>) or
/// the CUDA toolkit. Nothing is installed; when either is missing, <see cref="Load"/> says which and why, and the
/// quantizer uses the composed TorchSharp operations instead.
/// </remarks>
internal sealed unsafe class CudaKernelLibraries
{
    /// <summary>Environment variable naming libnvrtc's full path, when it is not found next to libtorch or by name.</summary>
    public const string NvrtcVariable = "WORKSHOPKIT_NVRTC";

    // NVRTC (nvrtc.h); every function returns nvrtcResult (0 = success).
    public delegate* unmanaged<nint*, byte*, byte*, int, byte**, byte**, int> NvrtcCreateProgram;
    public delegate* unmanaged<nint, int, byte**, int> NvrtcCompileProgram;
    public delegate* unmanaged<nint, nuint*, int> NvrtcGetProgramLogSize;
    public delegate* unmanaged<nint, byte*, int> NvrtcGetProgramLog;
    public delegate* unmanaged<nint, nuint*, int> NvrtcGetCubinSize;
    public delegate* unmanaged<nint, byte*, int> NvrtcGetCubin;
    public delegate* unmanaged<nint, nuint*, int> NvrtcGetPtxSize;
    public delegate* unmanaged<nint, byte*, int> NvrtcGetPtx;
    public delegate* unmanaged<nint*, int> NvrtcDestroyProgram;
    public delegate* unmanaged<int*, int> NvrtcGetNumSupportedArchs;
    public delegate* unmanaged<int*, int> NvrtcGetSupportedArchs;
    public delegate* unmanaged<int*, int*, int> NvrtcVersion;

    // CUDA driver API (cuda.h); every function returns CUresult (0 = CUDA_SUCCESS).
    public delegate* unmanaged<uint, int> CuInit;
    public delegate* unmanaged<int*, int, int> CuDeviceGet;
    public delegate* unmanaged<int*, int, int, int> CuDeviceGetAttribute;
    public delegate* unmanaged<nint*, int, int> CuDevicePrimaryCtxRetain;
    public delegate* unmanaged<nint, int> CuCtxPushCurrent;
    public delegate* unmanaged<nint*, int> CuCtxPopCurrent;
    public delegate* unmanaged<nint*, void*, int> CuModuleLoadData;
    public delegate* unmanaged<nint*, nint, byte*, int> CuModuleGetFunction;
    public delegate* unmanaged<nint, uint, uint, uint, uint, uint, uint, uint, nint, void**, void**, int> CuLaunchKernel;
    public delegate* unmanaged<int, byte**, int> CuGetErrorString;

    // TorchSharp's native binding: the data pointer of a tensor (at::Tensor::data_ptr, storage offset included).
    public delegate* unmanaged<nint, nint> TensorData;

    /// <summary>Where NVRTC was loaded from and its version, for reports.</summary>
    public string NvrtcDescription { get; private set; } = "";

    private CudaKernelLibraries() { }

    /// <summary>Loads everything or returns the reason it cannot (never throws).</summary>
    public static (CudaKernelLibraries? Libraries, string? Reason) Load()
    {
        var l = new CudaKernelLibraries();
        if (!TryLoadDriver(out nint driver, out string? reason)) return (null, reason);
        if (!TryLoadNvrtc(out nint nvrtc, out string nvrtcPath, out reason)) return (null, reason);
        if (!TryLoadTorchSharp(out nint torchSharp, out reason)) return (null, reason);
        try
        {
            l.CuInit = (delegate* unmanaged<uint, int>)Export(driver, "cuInit");
            l.CuDeviceGet = (delegate* unmanaged<int*, int, int>)Export(driver, "cuDeviceGet");
            l.CuDeviceGetAttribute = (delegate* unmanaged<int*, int, int, int>)Export(driver, "cuDeviceGetAttribute");
            l.CuDevicePrimaryCtxRetain = (delegate* unmanaged<nint*, int, int>)Export(driver, "cuDevicePrimaryCtxRetain");
            l.CuCtxPushCurrent = (delegate* unmanaged<nint, int>)Export(driver, "cuCtxPushCurrent_v2");
            l.CuCtxPopCurrent = (delegate* unmanaged<nint*, int>)Export(driver, "cuCtxPopCurrent_v2");
            l.CuModuleLoadData = (delegate* unmanaged<nint*, void*, int>)Export(driver, "cuModuleLoadData");
            l.CuModuleGetFunction = (delegate* unmanaged<nint*, nint, byte*, int>)Export(driver, "cuModuleGetFunction");
            l.CuLaunchKernel = (delegate* unmanaged<nint, uint, uint, uint, uint, uint, uint, uint, nint, void**, void**, int>)Export(driver, "cuLaunchKernel");
            l.CuGetErrorString = (delegate* unmanaged<int, byte**, int>)Export(driver, "cuGetErrorString");
            l.NvrtcCreateProgram = (delegate* unmanaged<nint*, byte*, byte*, int, byte**, byte**, int>)Export(nvrtc, "nvrtcCreateProgram");
            l.NvrtcCompileProgram = (delegate* unmanaged<nint, int, byte**, int>)Export(nvrtc, "nvrtcCompileProgram");
            l.NvrtcGetProgramLogSize = (delegate* unmanaged<nint, nuint*, int>)Export(nvrtc, "nvrtcGetProgramLogSize");
            l.NvrtcGetProgramLog = (delegate* unmanaged<nint, byte*, int>)Export(nvrtc, "nvrtcGetProgramLog");
            l.NvrtcGetCubinSize = (delegate* unmanaged<nint, nuint*, int>)Export(nvrtc, "nvrtcGetCUBINSize");
            l.NvrtcGetCubin = (delegate* unmanaged<nint, byte*, int>)Export(nvrtc, "nvrtcGetCUBIN");
            l.NvrtcGetPtxSize = (delegate* unmanaged<nint, nuint*, int>)Export(nvrtc, "nvrtcGetPTXSize");
            l.NvrtcGetPtx = (delegate* unmanaged<nint, byte*, int>)Export(nvrtc, "nvrtcGetPTX");
            l.NvrtcDestroyProgram = (delegate* unmanaged<nint*, int>)Export(nvrtc, "nvrtcDestroyProgram");
            l.NvrtcGetNumSupportedArchs = (delegate* unmanaged<int*, int>)Export(nvrtc, "nvrtcGetNumSupportedArchs");
            l.NvrtcGetSupportedArchs = (delegate* unmanaged<int*, int>)Export(nvrtc, "nvrtcGetSupportedArchs");
            l.NvrtcVersion = (delegate* unmanaged<int*, int*, int>)Export(nvrtc, "nvrtcVersion");
            l.TensorData = (delegate* unmanaged<nint, nint>)Export(torchSharp, "THSTensor_data");
        }
        catch (EntryPointNotFoundException e)
        {
            return (null, e.Message);
        }
        int major, minor;
        l.NvrtcVersion(&major, &minor);
        l.NvrtcDescription = $"NVRTC {major}.{minor} ({nvrtcPath})";
        int status = l.CuInit(0);
        if (status != 0) return (null, $"the CUDA driver did not initialise (cuInit: {l.ErrorName(status)}); is an NVIDIA GPU visible to this process?");
        return (l, null);
    }

    /// <summary>The driver's name for a CUresult.</summary>
    public string ErrorName(int status)
    {
        byte* text = null;
        if (CuGetErrorString is not null && CuGetErrorString(status, &text) == 0 && text != null)
            return $"{Marshal.PtrToStringUTF8((nint)text)} ({status})";
        return $"CUresult {status}";
    }

    private static nint Export(nint library, string name)
        => NativeLibrary.TryGetExport(library, name, out nint address)
            ? address
            : throw new EntryPointNotFoundException($"the native library has no export '{name}' (an older CUDA or TorchSharp?)");

    private static bool TryLoadDriver(out nint handle, out string? reason)
    {
        string[] names = OperatingSystem.IsWindows() ? ["nvcuda.dll"] : ["libcuda.so.1", "libcuda.so"];
        foreach (var name in names)
        {
            if (NativeLibrary.TryLoad(name, out handle)) { reason = null; return true; }
        }
        handle = 0;
        reason = $"the CUDA driver library ({string.Join(" or ", names)}) could not be loaded: no NVIDIA driver on this machine";
        return false;
    }

    /// <summary>
    /// libnvrtc from, in order: <see cref="NvrtcVariable"/>; PyTorch's pip layout next to the libtorch in this process
    /// (<c>site-packages/torch/lib</c> -&gt; <c>site-packages/nvidia/*/lib</c>); the CUDA toolkit folders; the loader's search by name.
    /// </summary>
    private static bool TryLoadNvrtc(out nint handle, out string path, out string? reason)
    {
        var tried = new List<string>();
        string? explicitPath = Environment.GetEnvironmentVariable(NvrtcVariable);
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            if (TryLoadFrom(explicitPath.Trim(), out handle, tried)) { path = explicitPath.Trim(); reason = null; return true; }
            path = "";
            reason = $"{NvrtcVariable} names '{explicitPath}', which could not be loaded as libnvrtc. Fix: point it at libnvrtc.so.* (CUDA 11.2 or newer), or unset it.";
            return false;
        }
        foreach (var folder in CandidateFolders())
        {
            if (!Directory.Exists(folder)) continue;
            foreach (var file in Directory.GetFiles(folder, OperatingSystem.IsWindows() ? "nvrtc64_*.dll" : "libnvrtc.so*").OrderByDescending(f => f, StringComparer.Ordinal))
            {
                if (Path.GetFileName(file).Contains("builtins", StringComparison.Ordinal)) continue;
                if (TryLoadFrom(file, out handle, tried)) { path = file; reason = null; return true; }
            }
        }
        foreach (var name in OperatingSystem.IsWindows() ? new[] { "nvrtc64_130_0.dll", "nvrtc64_120_0.dll", "nvrtc64_112_0.dll" } : ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so"])
        {
            if (NativeLibrary.TryLoad(name, out handle)) { path = name; reason = null; return true; }
            tried.Add(name);
        }
        handle = 0;
        path = "";
        reason = "NVRTC (libnvrtc, CUDA's run-time compiler) was not found (tried " + string.Join(", ", tried.Take(8)) + "). " +
            $"Fix: install PyTorch's nvidia-cuda-nvrtc package or the CUDA toolkit, or set {NvrtcVariable} to libnvrtc's full path.";
        return false;
    }

    private static bool TryLoadFrom(string file, out nint handle, List<string> tried)
    {
        tried.Add(file);
        // NVRTC loads its builtins library by name at the first compile; preload it from the same folder by path.
        string? folder = Path.GetDirectoryName(file);
        if (folder is not null && Directory.Exists(folder))
            foreach (var builtins in Directory.GetFiles(folder, OperatingSystem.IsWindows() ? "nvrtc-builtins*.dll" : "libnvrtc-builtins.so*"))
                NativeLibrary.TryLoad(builtins, out _);
        return NativeLibrary.TryLoad(file, out handle);
    }

    private static IEnumerable<string> CandidateFolders()
    {
        var torchLibs = new List<string>();
        string? setting = Environment.GetEnvironmentVariable(Runtime.TorchRuntime.LibTorchVariable);
        if (!string.IsNullOrWhiteSpace(setting) && Directory.Exists(setting.Trim())) torchLibs.Add(Path.GetFullPath(setting.Trim()));
        if (Runtime.TorchRuntime.Report?.ExistingLibTorchFolder is { } preloaded) torchLibs.Add(preloaded);
        if (File.Exists("/proc/self/maps"))
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                int slash = line.IndexOf('/', StringComparison.Ordinal);
                if (slash < 0 || !line.EndsWith("/libtorch_cuda.so", StringComparison.Ordinal)) continue;
                torchLibs.Add(Path.GetDirectoryName(line[slash..])!);
            }
        }
        foreach (var lib in torchLibs.Distinct(StringComparer.Ordinal))
        {
            yield return lib;
            // pip: site-packages/torch/lib -> site-packages/nvidia/<package>/lib (cuda_nvrtc for CUDA 12, cu13 for CUDA 13).
            string? sitePackages = Directory.GetParent(lib)?.Parent?.FullName;
            string nvidia = sitePackages is null ? "" : Path.Combine(sitePackages, "nvidia");
            if (Directory.Exists(nvidia))
                foreach (var package in Directory.GetDirectories(nvidia).OrderBy(d => d, StringComparer.Ordinal))
                    yield return Path.Combine(package, "lib");
        }
        string? cudaHome = Environment.GetEnvironmentVariable("CUDA_HOME") ?? Environment.GetEnvironmentVariable("CUDA_PATH");
        if (!string.IsNullOrEmpty(cudaHome)) yield return Path.Combine(cudaHome, OperatingSystem.IsWindows() ? "bin" : "lib64");
        yield return "/usr/local/cuda/lib64";
    }

    private static bool TryLoadTorchSharp(out nint handle, out string? reason)
    {
        if (NativeLibrary.TryLoad("LibTorchSharp", typeof(TorchSharp.torch).Assembly, null, out handle) ||
            NativeLibrary.TryLoad(OperatingSystem.IsWindows() ? "LibTorchSharp.dll" : "libLibTorchSharp.so", out handle))
        {
            reason = null;
            return true;
        }
        reason = "TorchSharp's native binding (libLibTorchSharp) is not loaded, so tensor data pointers cannot be read";
        return false;
    }

    /// <summary>Compiles <paramref name="source"/> for compute capability major.minor: a cubin when NVRTC knows the architecture, else PTX for the newest it knows below it.</summary>
    public (byte[] Image, string Target) Compile(string source, int major, int minor)
    {
        int count;
        Check(NvrtcGetNumSupportedArchs(&count), "nvrtcGetNumSupportedArchs");
        var archs = new int[count];
        fixed (int* a = archs) Check(NvrtcGetSupportedArchs(a), "nvrtcGetSupportedArchs");
        int wanted = major * 10 + minor;
        bool cubin = archs.Contains(wanted);
        int arch = cubin ? wanted : archs.Where(a => a <= wanted).DefaultIfEmpty(-1).Max();
        if (arch < 0)
            throw new InvalidOperationException($"{NvrtcDescription} supports architectures {string.Join(", ", archs)}, none at or below this GPU's sm_{wanted}.");
        string target = cubin ? $"sm_{arch}" : $"compute_{arch}";
        nint program;
        byte[] src = Encoding.UTF8.GetBytes(source + "\0");
        byte[] name = "workshopkit_rounding.cu\0"u8.ToArray();
        fixed (byte* s = src)
        fixed (byte* n = name)
            Check(NvrtcCreateProgram(&program, s, n, 0, null, null), "nvrtcCreateProgram");
        try
        {
            // --fmad=false: no multiply-add contraction; no fast math: denormals and IEEE division kept. Both are
            // needed for results equal to the CPU kernel bit for bit.
            string[] options = [$"--gpu-architecture={target}", "--fmad=false", "--std=c++17"];
            var bytes = options.Select(o => Encoding.ASCII.GetBytes(o + "\0")).ToArray();
            var handles = bytes.Select(b => GCHandle.Alloc(b, GCHandleType.Pinned)).ToArray();
            try
            {
                byte** pointers = stackalloc byte*[options.Length];
                for (int i = 0; i < options.Length; i++) pointers[i] = (byte*)handles[i].AddrOfPinnedObject();
                int status = NvrtcCompileProgram(program, options.Length, pointers);
                if (status != 0)
                    throw new InvalidOperationException($"NVRTC could not compile the rounding kernel for {target} (nvrtcResult {status}): {ProgramLog(program)}");
            }
            finally
            {
                foreach (var h in handles) h.Free();
            }
            nuint size;
            byte[] image;
            if (cubin)
            {
                Check(NvrtcGetCubinSize(program, &size), "nvrtcGetCUBINSize");
                image = new byte[size];
                fixed (byte* i = image) Check(NvrtcGetCubin(program, i), "nvrtcGetCUBIN");
            }
            else
            {
                Check(NvrtcGetPtxSize(program, &size), "nvrtcGetPTXSize");
                image = new byte[size];
                fixed (byte* i = image) Check(NvrtcGetPtx(program, i), "nvrtcGetPTX");
            }
            return (image, target);
        }
        finally
        {
            NvrtcDestroyProgram(&program);
        }
    }

    private string ProgramLog(nint program)
    {
        nuint size;
        if (NvrtcGetProgramLogSize(program, &size) != 0 || size == 0) return "(no log)";
        var log = new byte[size];
        fixed (byte* l = log) NvrtcGetProgramLog(program, l);
        return Encoding.UTF8.GetString(log).TrimEnd('\0', '\n');
    }

    private static void Check(int status, string call)
    {
        if (status != 0) throw new InvalidOperationException($"{call} failed (nvrtcResult {status}).");
    }
}
