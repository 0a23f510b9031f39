using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;
using WorkshopKit.Precision;

namespace WorkshopKit.Runtime.Kernels;

/// <summary>
/// The fused rounding kernel on CUDA tensors: one pass that reads each float32 once, draws its random bits from the
/// same counter-based stream as <see cref="FusedCpuRounding"/> (<see cref="CounterRandom"/>), and writes the result,
/// in place or into another tensor, on libtorch's own memory (no copies). For the same seed and call it gives the same
/// values as the CPU kernel, bit for bit (tests compile the kernel source for the CPU and compare).
/// </summary>
/// <remarks>
/// TorchSharp has no fused kernels and no torch.compile: its composed form of stochastic rounding runs at about 10% of a
/// copy's bandwidth on an H200 (docs/gpu.md), because every step is a pass over memory. The kernel is compiled at run
/// time by NVRTC and launched through the CUDA driver API in the device's primary context, which is the context that
/// libtorch's CUDA runtime works in, on the legacy default stream, which is the stream TorchSharp's operations use
/// (TorchSharp 0.107 cannot select another), so it is ordered with them without synchronising.
/// See <see cref="CudaKernelLibraries"/> for why NVRTC and not a package. Where NVRTC or the driver cannot be loaded,
/// <see cref="UnavailableReason"/> says why and <see cref="Quantizer"/> falls back to the composed operations.
/// </remarks>
internal static unsafe class FusedCudaRounding
{
    private static readonly Lazy<(CudaKernelLibraries? Libraries, string? Reason)> Libraries = new(CudaKernelLibraries.Load);
    private static readonly ConcurrentDictionary<int, Lazy<DeviceModule>> Modules = new();
    private static readonly object LaunchGate = new();

    private sealed record DeviceModule(nint Context, nint Fixed, nint Float, string Target, string? Failure);

    /// <summary>
    /// Null when the kernel can run on CUDA device <paramref name="deviceIndex"/> (NVRTC and the driver loaded, the kernel
    /// compiled and loaded there); otherwise why not, in words, with the fix. The first call loads and compiles (well
    /// under a second); later calls are free.
    /// </summary>
    public static string? UnavailableReason(int deviceIndex = 0)
    {
        var (libraries, reason) = Libraries.Value;
        if (libraries is null) return "the fused CUDA kernel is unavailable: " + reason;
        var module = ModuleFor(libraries, deviceIndex);
        return module.Failure is null ? null : "the fused CUDA kernel is unavailable: " + module.Failure;
    }

    /// <summary>What runs the kernel on device <paramref name="deviceIndex"/> (NVRTC version and path, the compiled target), or why it cannot.</summary>
    public static string Describe(int deviceIndex = 0)
    {
        string? reason = UnavailableReason(deviceIndex);
        if (reason is not null) return reason;
        var libraries = Libraries.Value.Libraries!;
        return $"fused CUDA kernel: {libraries.NvrtcDescription}, compiled for {ModuleFor(libraries, deviceIndex).Target}, primary context of cuda:{deviceIndex}";
    }

    /// <summary>
    /// Rounds the contiguous float32 CUDA tensor <paramref name="source"/> into <paramref name="destination"/> (same shape
    /// and device; it may be the same tensor).
    /// </summary>
    /// <exception cref="ArgumentException">The tensors are not contiguous float32 CUDA tensors of one device and size.</exception>
    /// <exception cref="InvalidOperationException">The kernel is unavailable (see <see cref="UnavailableReason"/>) or the launch failed.</exception>
    internal static void Run(Tensor source, Tensor destination, NumberFormat format, Rounding mode, ulong seed, ulong call)
    {
        if (source.device.type != DeviceType.CUDA || destination.device.type != DeviceType.CUDA || source.device.index != destination.device.index)
            throw new ArgumentException($"The fused CUDA kernel needs both tensors on one CUDA device, got {source.device} and {destination.device}.", nameof(source));
        if (source.dtype != ScalarType.Float32 || destination.dtype != ScalarType.Float32 || !source.is_contiguous() || !destination.is_contiguous())
            throw new ArgumentException($"The fused CUDA kernel needs contiguous float32 tensors, got {source.dtype} and {destination.dtype}. Call .contiguous() or .to_type(ScalarType.Float32) first.", nameof(source));
        long n = source.numel();
        if (destination.numel() != n)
            throw new ArgumentException($"Source and destination sizes differ: {n} and {destination.numel()} elements.", nameof(destination));
        if (n == 0) return;
        int device = Math.Max(0, (int)source.device.index);
        var (libraries, reason) = Libraries.Value;
        if (libraries is null) throw new InvalidOperationException("The fused CUDA kernel is unavailable: " + reason);
        var module = ModuleFor(libraries, device);
        if (module.Failure is not null) throw new InvalidOperationException("The fused CUDA kernel is unavailable: " + module.Failure);

        ulong x = (ulong)libraries.TensorData(source.Handle), y = (ulong)libraries.TensorData(destination.Handle);
        ulong count = (ulong)n;
        int aligned = (x | y) % 16 == 0 ? 1 : 0;
        uint blocks = Blocks(count);
        nint function;
        void** args = stackalloc void*[11];
        // Locals live on this stack frame during the launch; cuLaunchKernel copies the values before it returns.
        float scale = 0, eps = 0, lo = 0, hi = 0;
        int modeValue = (int)mode, bfloat16 = 0, shift = 0, minExp = 0, stochastic = mode == Rounding.Stochastic ? 1 : 0;
        if (format is FixedPoint fp)
        {
            function = module.Fixed;
            (scale, eps, lo, hi) = FixedParameters(fp);
            args[0] = &x; args[1] = &y; args[2] = &count; args[3] = &scale; args[4] = &eps; args[5] = &lo; args[6] = &hi;
            args[7] = &modeValue; args[8] = &seed; args[9] = &call; args[10] = &aligned;
        }
        else
        {
            var ff = (FloatFormat)format;
            if (mode is not (Rounding.Nearest or Rounding.Stochastic))
                throw new ArgumentException($"Rounding to {ff.Name} supports Nearest and Stochastic, not {mode}.", nameof(mode));
            function = module.Float;
            (bfloat16, shift, minExp, hi) = FloatParameters(ff);
            args[0] = &x; args[1] = &y; args[2] = &count; args[3] = &bfloat16; args[4] = &shift; args[5] = &minExp; args[6] = &hi;
            args[7] = &stochastic; args[8] = &seed; args[9] = &call; args[10] = &aligned;
        }
        lock (LaunchGate)
        {
            Check(libraries, libraries.CuCtxPushCurrent(module.Context), "cuCtxPushCurrent");
            try
            {
                // Stream 0: the legacy default stream, where TorchSharp's (libtorch's default) operations run.
                Check(libraries, libraries.CuLaunchKernel(function, blocks, 1, 1, FusedCudaKernelSource.ThreadsPerBlock, 1, 1, 0, 0, args, null), "cuLaunchKernel");
            }
            finally
            {
                nint popped;
                libraries.CuCtxPopCurrent(&popped);
            }
        }
    }

    /// <summary>Blocks of the launch for <paramref name="count"/> values: one thread per four values, capped (the kernel's grid-stride loop covers the rest).</summary>
    internal static uint Blocks(ulong count)
    {
        ulong quads = (count + FusedCudaKernelSource.ElementsPerThread - 1) / FusedCudaKernelSource.ElementsPerThread;
        return (uint)Math.Clamp((quads + FusedCudaKernelSource.ThreadsPerBlock - 1) / FusedCudaKernelSource.ThreadsPerBlock, 1UL, 1UL << 20);
    }

    /// <summary>The fixed-point kernel's scale 2^FL, step 2^-FL and saturation bounds, as <see cref="FusedCpuRounding.Fixed"/> computes them.</summary>
    internal static (float Scale, float Eps, float Lo, float Hi) FixedParameters(FixedPoint format)
        => (MathF.ScaleB(1f, format.FractionBits), MathF.ScaleB(1f, -format.FractionBits), format.Min, format.Max);

    /// <summary>The float kernel's arguments: the bfloat16 switch, precision - 1, the smallest normal exponent and the largest finite value.</summary>
    internal static (int BFloat16, int Shift, int MinExp, float Hi) FloatParameters(FloatFormat format)
        => (format == FloatFormat.BFloat16 ? 1 : 0, format.Precision - 1, format.MinExponent, format.Max);

    private static DeviceModule ModuleFor(CudaKernelLibraries libraries, int device)
        => Modules.GetOrAdd(device, d => new Lazy<DeviceModule>(() => LoadModule(libraries, d))).Value;

    private static DeviceModule LoadModule(CudaKernelLibraries l, int device)
    {
        try
        {
            int handle, major, minor;
            Check(l, l.CuDeviceGet(&handle, device), $"cuDeviceGet({device})");
            Check(l, l.CuDeviceGetAttribute(&major, 75, handle), "cuDeviceGetAttribute(compute capability major)");
            Check(l, l.CuDeviceGetAttribute(&minor, 76, handle), "cuDeviceGetAttribute(compute capability minor)");
            var (image, target) = l.Compile(FusedCudaKernelSource.Source, major, minor);
            nint context;
            // The primary context is the one the CUDA runtime (and so libtorch) uses; retaining it shares libtorch's memory.
            Check(l, l.CuDevicePrimaryCtxRetain(&context, handle), "cuDevicePrimaryCtxRetain");
            Check(l, l.CuCtxPushCurrent(context), "cuCtxPushCurrent");
            try
            {
                nint module, fixedKernel, floatKernel;
                fixed (byte* i = image) Check(l, l.CuModuleLoadData(&module, i), $"cuModuleLoadData ({target})");
                fixed (byte* name = System.Text.Encoding.ASCII.GetBytes(FusedCudaKernelSource.FixedKernel + "\0"))
                    Check(l, l.CuModuleGetFunction(&fixedKernel, module, name), "cuModuleGetFunction");
                fixed (byte* name = System.Text.Encoding.ASCII.GetBytes(FusedCudaKernelSource.FloatKernel + "\0"))
                    Check(l, l.CuModuleGetFunction(&floatKernel, module, name), "cuModuleGetFunction");
                return new DeviceModule(context, fixedKernel, floatKernel, target, null);
            }
            finally
            {
                nint popped;
                l.CuCtxPopCurrent(&popped);
            }
        }
        catch (InvalidOperationException e)
        {
            return new DeviceModule(0, 0, 0, "", e.Message);
        }
    }

    private static void Check(CudaKernelLibraries l, int status, string call)
    {
        if (status != 0) throw new InvalidOperationException($"{call} failed: {l.ErrorName(status)}.");
    }
}
