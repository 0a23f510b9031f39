using System.Diagnostics;
using System.Runtime.InteropServices;
using WorkshopKit.Precision;
using WorkshopKit.Runtime.Kernels;

namespace WorkshopKit.Tests.Precision;

/// <summary>
/// The CUDA kernel's source, compiled for the CPU with g++ (CUDA's thread indices emulated by loops over blocks and
/// threads, which is exact for a kernel without shared memory or synchronisation), must give the same bits as the
/// C# fused CPU kernel for the same seed and call: on random values over many binades and on every edge case
/// (NaN payloads, infinities, signed zeros, subnormals, ties, saturation), for every mode and format, in place and
/// out of place, aligned and unaligned, with several 65,536-element blocks and a grid small enough to loop.
/// No GPU is needed; the GPU check (tools/WorkshopKit.GpuCheck, sr-cuda-fused) repeats the comparison on a GPU.
/// </summary>
public sealed unsafe class FusedCudaKernelOnCpuTests : IDisposable
{
    private const string Shim = """
        // Host shim: CUDA's built-in names for a sequential emulation of the launch.
        #define WK_HOST_TEST 1
        #include <math.h>
        #include <string.h>
        struct wk_dim3 { unsigned x, y, z; };
        static wk_dim3 threadIdx, blockIdx, blockDim, gridDim;
        #define WK_KERNEL static
        #define WK_DEVICE static inline
        static inline unsigned __float_as_uint(float f) { unsigned u; memcpy(&u, &f, 4); return u; }
        static inline float __uint_as_float(unsigned u) { float f; memcpy(&f, &u, 4); return f; }
        #include "kernel.cu"
        #define WK_LAUNCH(call) gridDim.x = grid; blockDim.x = block; \
            for (unsigned b = 0; b < grid; b++) for (unsigned t = 0; t < block; t++) { blockIdx.x = b; threadIdx.x = t; call; }
        extern "C" void wk_host_round_fixed(unsigned grid, unsigned block, const float* x, float* y, unsigned long long n,
            float scale, float eps, float lo, float hi, int mode, unsigned long long seed, unsigned long long call, int aligned)
        { WK_LAUNCH(wk_round_fixed(x, y, n, scale, eps, lo, hi, mode, seed, call, aligned)) }
        extern "C" void wk_host_round_float(unsigned grid, unsigned block, const unsigned* x, unsigned* y, unsigned long long n,
            int bfloat16, int shift, int min_exp, float hi, int stochastic, unsigned long long seed, unsigned long long call, int aligned)
        { WK_LAUNCH(wk_round_float(x, y, n, bfloat16, shift, min_exp, hi, stochastic, seed, call, aligned)) }
        """;

    private readonly string folder = Path.Combine(Path.GetTempPath(), $"wk-cuda-host-{Guid.NewGuid():N}");
    private readonly nint library;
    private readonly delegate* unmanaged<uint, uint, float*, float*, ulong, float, float, float, float, int, ulong, ulong, int, void> roundFixed;
    private readonly delegate* unmanaged<uint, uint, uint*, uint*, ulong, int, int, int, float, int, ulong, ulong, int, void> roundFloat;

    public FusedCudaKernelOnCpuTests()
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "kernel.cu"), FusedCudaKernelSource.Source);
        File.WriteAllText(Path.Combine(folder, "host.cpp"), Shim);
        string output = Path.Combine(folder, "libwk_kernel_host.so");
        // -ffp-contract=off: no fused multiply-add (NVRTC gets --fmad=false); -fno-strict-aliasing: the 16-byte loads.
        var start = new ProcessStartInfo("g++", ["-O2", "-std=c++17", "-shared", "-fPIC", "-ffp-contract=off", "-fno-strict-aliasing", "-Wall", "-Werror", "-o", output, "host.cpp"])
        { WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        Process p;
        try { p = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException("g++ is needed to compile the CUDA kernel's source for the CPU (apt-get install g++).", e); }
        using (p)
        {
            string errors = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, "g++ could not compile the kernel source:\n" + errors);
        }
        library = NativeLibrary.Load(output);
        roundFixed = (delegate* unmanaged<uint, uint, float*, float*, ulong, float, float, float, float, int, ulong, ulong, int, void>)NativeLibrary.GetExport(library, "wk_host_round_fixed");
        roundFloat = (delegate* unmanaged<uint, uint, uint*, uint*, ulong, int, int, int, float, int, ulong, ulong, int, void>)NativeLibrary.GetExport(library, "wk_host_round_float");
    }

    public void Dispose()
    {
        NativeLibrary.Free(library);
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>Values that stress every branch, then random values over many binades, both signs.</summary>
    private static float[] Inputs(int n, int seed)
    {
        var special = new List<float>
        {
            float.NaN, -float.NaN, BitConverter.UInt32BitsToSingle(0x7FC00001), BitConverter.UInt32BitsToSingle(0xFF800001), BitConverter.UInt32BitsToSingle(0x7FFFFFFF),
            float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, float.Epsilon, -float.Epsilon, 1e-40f, -1e-40f, 1.17549435e-38f,
            float.MaxValue, float.MinValue, 3e38f, -3e38f, 1e30f, -1e30f, 8f, -8f, 7.99975586f, -8.0001f, 9f, -9f, 1f, -1f, 0.5f, -0.5f,
            // fixed-point ties and neighbours for FL = 12, 8, 14, 16 (k + 0.5) * eps
            0.5f / 4096, 1.5f / 4096, 2.5f / 4096, -2.5f / 4096, 3.5f / 256, -0.5f / 256, 1.5f / 16384, 0.5f / 65536, -1.5f / 65536,
            // float16: largest finite, the tie to overflow, beyond, subnormals, the smallest normal and its neighbour
            65504f, 65519.99f, 65520f, 65536f, -65520f, 6e-8f, 5.96046448e-8f, 2.98023224e-8f, 2.9e-8f, 6.10351562e-5f, 6.1e-5f, 1e-7f, -3e-5f,
            // float16 ties: 1 + 2^-11 (to even 1), 1 + 3 * 2^-11 (to 1 + 2^-9)
            1.00048828f, 1.00146484f, -1.00048828f, 2049f, 2051f,
            // bfloat16: ties, the top binade, the overflow carry
            BitConverter.UInt32BitsToSingle(0x3F808000), BitConverter.UInt32BitsToSingle(0x3F818000), BitConverter.UInt32BitsToSingle(0x7F7F8000),
            BitConverter.UInt32BitsToSingle(0x7F7FFFFF), BitConverter.UInt32BitsToSingle(0xFF7FFFFF), BitConverter.UInt32BitsToSingle(0x00008000),
        };
        var rng = new Random(seed);
        var values = new float[n];
        for (int i = 0; i < n; i++)
        {
            if (i < special.Count * 3 && i % 3 == 0) { values[i] = special[i / 3]; continue; }
            double magnitude = Math.Pow(2, rng.NextDouble() * 60 - 40);           // 2^-40 .. 2^20
            values[i] = (float)((rng.Next(2) == 0 ? -1 : 1) * magnitude);
            if (rng.Next(16) == 0) values[i] = (float)(rng.Next(-40000, 40000) / 4096.0 + 0.5 / 4096); // fixed-point ties
            if (rng.Next(64) == 0) values[i] = special[rng.Next(special.Count)];
        }
        return values;
    }

    public static TheoryData<string, Rounding> Cases()
    {
        var data = new TheoryData<string, Rounding>();
        foreach (var format in new[] { "<4,12>", "<8,8>", "<2,14>", "<16,16>", "<1,0>", "<24,8>" })
            foreach (var mode in Enum.GetValues<Rounding>()) data.Add(format, mode);
        foreach (var format in new[] { "float16", "bfloat16" })
            foreach (var mode in new[] { Rounding.Nearest, Rounding.Stochastic }) data.Add(format, mode);
        return data;
    }

    private static NumberFormat Parse(string name) => name switch
    {
        "float16" => FloatFormat.Float16,
        "bfloat16" => FloatFormat.BFloat16,
        _ => FixedPoint.FromBits(int.Parse(name[1..name.IndexOf(',')], System.Globalization.CultureInfo.InvariantCulture),
                                 int.Parse(name[(name.IndexOf(',') + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)),
    };

    private void RunKernel(NumberFormat format, Rounding mode, float* x, float* y, long n, ulong seed, ulong call, uint grid, uint block)
    {
        int aligned = ((nint)x % 16 == 0 && (nint)y % 16 == 0) ? 1 : 0;
        if (format is FixedPoint fp)
        {
            var (scale, eps, lo, hi) = FusedCudaRounding.FixedParameters(fp);
            roundFixed(grid, block, x, y, (ulong)n, scale, eps, lo, hi, (int)mode, seed, call, aligned);
        }
        else
        {
            var (bfloat16, shift, minExp, hi) = FusedCudaRounding.FloatParameters((FloatFormat)format);
            roundFloat(grid, block, (uint*)x, (uint*)y, (ulong)n, bfloat16, shift, minExp, hi, mode == Rounding.Stochastic ? 1 : 0, seed, call, aligned);
        }
    }

    private static void RunCpu(NumberFormat format, Rounding mode, float* x, float* y, long n, ulong seed, ulong call)
    {
        if (format is FixedPoint fp) FusedCpuRounding.Fixed(x, y, n, fp, mode, seed, call);
        else FusedCpuRounding.Float(x, y, n, (FloatFormat)format, mode, seed, call);
    }

    private static void AssertSameBits(uint[] expected, uint[] actual, float[] input, string what, int n)
    {
        for (int i = 0; i < n; i++)
            if (expected[i] != actual[i])
                Assert.Fail($"{what}: element {i} (input {input[i]:R}, bits 0x{BitConverter.SingleToUInt32Bits(input[i]):X8}): CPU kernel 0x{expected[i]:X8}, CUDA source 0x{actual[i]:X8} (and maybe more)");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheCudaSourceGivesTheCpuKernelsBitsForEveryModeAndFormat(string formatName, Rounding mode)
    {
        var format = Parse(formatName);
        // 3 full blocks of 65,536 and a ragged end that is not a multiple of 4 or 8 (the vector and quad tails);
        // one spare element so that the unaligned run (from element 1) has n values to read.
        const int n = 3 * 65536 + 12345;
        var input = Inputs(n + 1, seed: formatName.Length * 31 + (int)mode);
        foreach (var (seed, call) in new[] { (1UL, 0UL), (0xDEADBEEFCAFEUL, 7UL) })
        {
            var expected = new uint[n + 1];
            var outOfPlace = new uint[n + 1];
            var inPlace = (float[])input.Clone();
            var unaligned = new uint[n + 1];
            fixed (float* x = input)
            fixed (uint* e = expected)
            fixed (uint* o = outOfPlace)
            fixed (float* ip = inPlace)
            fixed (uint* u = unaligned)
            {
                RunCpu(format, mode, x, (float*)e, n, seed, call);
                // The launch the library makes, and a small grid that has to loop (grid-stride) many times.
                RunKernel(format, mode, x, (float*)o, n, seed, call, FusedCudaRounding.Blocks(n), FusedCudaKernelSource.ThreadsPerBlock);
                AssertSameBits(expected, outOfPlace, input, $"{formatName} {mode} seed {seed} call {call}, out of place", n);
                RunKernel(format, mode, ip, ip, n, seed, call, 3, 64);
                AssertSameBits(expected, inPlace.Select(BitConverter.SingleToUInt32Bits).ToArray(), input, $"{formatName} {mode}, in place, looping grid", n);
                // One float off a 16-byte boundary: the kernel's element-by-element path (and counters from the new start).
                RunCpu(format, mode, x + 1, (float*)e, n, seed, call);
                RunKernel(format, mode, x + 1, (float*)u, n, seed, call, 5, 32);
                AssertSameBits(expected, unaligned, input[1..].Append(0f).ToArray(), $"{formatName} {mode}, unaligned", n);
            }
        }
    }

    [Fact]
    public void EverySpecialValueAgreesOnTheCpuKernelsScalarTailToo()
    {
        // The CPU kernel rounds the last (n mod vector width) values of a block with scalar code; the CUDA source must
        // match that path as well (e.g. -0 stays -0 under stochastic rounding). One value at a time forces it.
        var input = Inputs(64, seed: 9)[..((64 / 3) * 3)];
        foreach (var format in new NumberFormat[] { NumberFormat.Fixed(16, 12), NumberFormat.Fixed(1, 0), FloatFormat.Float16, FloatFormat.BFloat16 })
            foreach (var mode in format is FloatFormat ? new[] { Rounding.Nearest, Rounding.Stochastic } : Enum.GetValues<Rounding>())
            {
                var expected = new uint[input.Length];
                var actual = new uint[input.Length];
                fixed (float* x = input)
                fixed (uint* e = expected)
                fixed (uint* a = actual)
                    for (int j = 0; j < input.Length; j++)
                    {
                        RunCpu(format, mode, x + j, (float*)e + j, 1, 3, 4);
                        RunKernel(format, mode, x + j, (float*)a + j, 1, 3, 4, 1, 1);
                    }
                AssertSameBits(expected, actual, input, $"{format.Name} {mode}, one value at a time", input.Length);
            }
    }

    [Fact]
    public void TheComparisonCanFail_ADifferentSeedOrCallChangesStochasticResults()
    {
        // Guards the test above against comparing two things that ignore the random stream.
        var format = NumberFormat.Fixed(16, 12);
        const int n = 65536 * 2;
        var input = Inputs(n, seed: 5);
        var a = new float[n];
        var b = new float[n];
        var c = new float[n];
        fixed (float* x = input)
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            RunKernel(format, Rounding.Stochastic, x, pa, n, 1, 0, FusedCudaRounding.Blocks(n), 256);
            RunKernel(format, Rounding.Stochastic, x, pb, n, 2, 0, FusedCudaRounding.Blocks(n), 256);
            RunKernel(format, Rounding.Stochastic, x, pc, n, 1, 1, FusedCudaRounding.Blocks(n), 256);
        }
        int seedChanges = Enumerable.Range(0, n).Count(i => BitConverter.SingleToUInt32Bits(a[i]) != BitConverter.SingleToUInt32Bits(b[i]));
        int callChanges = Enumerable.Range(0, n).Count(i => BitConverter.SingleToUInt32Bits(a[i]) != BitConverter.SingleToUInt32Bits(c[i]));
        // Most inputs lie strictly between grid points, where each draw goes either way with some probability.
        Assert.True(seedChanges > n / 10, $"only {seedChanges} of {n} values changed with the seed");
        Assert.True(callChanges > n / 10, $"only {callChanges} of {n} values changed with the call counter");
    }

    [Fact]
    public void WithoutACudaDriverTheReasonNamesWhatIsMissing()
    {
        // This test machine has no NVIDIA driver (the CI host); where one exists the kernel may well be available.
        if (File.Exists("/dev/nvidiactl") || NativeLibrary.TryLoad("libcuda.so.1", out _)) return;
        string? reason = FusedCudaRounding.UnavailableReason(0);
        Assert.NotNull(reason);
        Assert.Contains("libcuda.so.1", reason, StringComparison.Ordinal);
        var q = new Quantizer(NumberFormat.Fixed(16, 12), Rounding.Stochastic);
        Assert.StartsWith("composed TorchSharp operations (the fused CUDA kernel is unavailable", q.EngineFor(new torch.Device(DeviceType.CUDA, 0)), StringComparison.Ordinal);
        Assert.Equal("fused CPU kernel", q.EngineFor(torch.CPU));
    }
}
