using WorkshopKit.Precision;

namespace WorkshopKit.Runtime.Kernels;

/// <summary>
/// The CUDA source of the fused rounding kernels, compiled at run time by NVRTC (<see cref="FusedCudaRounding"/>).
/// It is a line-by-line twin of <see cref="FusedCpuRounding"/>'s vector path and <see cref="CounterRandom"/>:
/// the same block keys (SplitMix64 of seed, call and 65,536-element block), the same per-element hash (lowbias32
/// twice), the same float operations in the same order, IEEE min/max with -0 below +0 (as .NET 10's Vector.Min/Max),
/// so that results are equal bit for bit given the seed.
/// </summary>
/// <remarks>
/// The source is kept free of CUDA headers and CUDA-only types so that the tests compile this very text with g++
/// (defining <c>WK_HOST_TEST</c> and a few CUDA names in a shim) and compare it with the CPU kernel bit for bit on a
/// machine without a GPU. NVRTC compiles it with <c>--fmad=false</c> (no fused multiply-add contraction) and without
/// fast math (denormals kept), which the bit-for-bit promise needs.
/// </remarks>
internal static class FusedCudaKernelSource
{
    /// <summary>Elements each thread rounds: four consecutive values, one 16-byte load when the pointers allow it.</summary>
    public const int ElementsPerThread = 4;

    /// <summary>Threads per block of the launch.</summary>
    public const int ThreadsPerBlock = 256;

    /// <summary>Name of the fixed-point kernel in <see cref="Source"/>.</summary>
    public const string FixedKernel = "wk_round_fixed";

    /// <summary>Name of the float16/bfloat16 kernel in <see cref="Source"/>.</summary>
    public const string FloatKernel = "wk_round_float";

    /// <summary>The kernel source (CUDA C++, also valid host C++ under <c>WK_HOST_TEST</c>).</summary>
    public const string Source = """
// WorkshopKit fused rounding kernels: the CUDA twin of FusedCpuRounding (lib/WorkshopKit/Precision).
// Compiled at run time by NVRTC; the tests compile the same text with g++ (WK_HOST_TEST) to check it bit for bit.
#ifndef WK_HOST_TEST
#define WK_KERNEL extern "C" __global__
#define WK_DEVICE static __device__ __forceinline__
#endif

typedef unsigned int wk_u32;
typedef unsigned long long wk_u64;

// Four consecutive values, aligned for one 16-byte load or store (the CPU kernel's blocks are multiples of four).
struct alignas(16) wk_quad_f { float x, y, z, w; };
struct alignas(16) wk_quad_u { wk_u32 x, y, z, w; };

#define WK_BLOCK_SIZE 65536ULL
#define WK_PER_THREAD 4ULL

// CounterRandom.BlockKey: SplitMix64's finalizer on (seed, call, block).
WK_DEVICE wk_u64 wk_block_key(wk_u64 seed, wk_u64 call, wk_u64 block)
{
    wk_u64 z = seed + 0x9E3779B97F4A7C15ULL * (call + 1ULL) + 0xD1B54A32D192ED03ULL * (block + 1ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// CounterRandom.LowBias32 (Chris Wellons' integer hash).
WK_DEVICE wk_u32 wk_lowbias32(wk_u32 x)
{
    x ^= x >> 16;
    x *= 0x7FEB352DU;
    x ^= x >> 15;
    x *= 0x846CA68BU;
    x ^= x >> 16;
    return x;
}

// CounterRandom.Bits: 32 random bits for position 'counter' of a block's stream.
WK_DEVICE wk_u32 wk_bits(wk_u64 key, wk_u32 counter)
{
    return wk_lowbias32(wk_lowbias32(counter ^ (wk_u32)key) ^ (wk_u32)(key >> 32));
}

// CounterRandom.Uniform: the top 24 bits on the 2^-24 grid (exact conversions and product).
WK_DEVICE float wk_uniform(wk_u32 bits)
{
    return (float)(int)(bits >> 8) * (1.0f / 16777216.0f);
}

WK_DEVICE wk_u32 wk_f2u(float f) { return __float_as_uint(f); }
WK_DEVICE float wk_u2f(wk_u32 u) { return __uint_as_float(u); }

// IEEE 754-2019 minimum/maximum for non-NaN inputs, -0 below +0: what .NET 10's Vector.Min/Max do.
WK_DEVICE float wk_min(float a, float b) { return (a < b || (a == b && (wk_f2u(a) & 0x80000000u) != 0u)) ? a : b; }
WK_DEVICE float wk_max(float a, float b) { return (a > b || (a == b && (wk_f2u(a) & 0x80000000u) == 0u)) ? a : b; }

// FusedCpuRounding.FixedBlock, one element. mode: 0 Nearest, 1 Stochastic, 2 TowardZero, 3 Down (the Rounding enum).
WK_DEVICE float wk_fixed_one(float v, float scale, float eps, float lo, float hi, int mode, wk_u64 key, wk_u32 counter)
{
    float s = v * scale;
    float index;
    if (mode == 0) index = rintf(s);
    else if (mode == 2) index = truncf(s);
    else if (mode == 3) index = floorf(s);
    else
    {
        float lower = floorf(s);
        float u = wk_uniform(wk_bits(key, counter));
        index = (u < s - lower) ? lower + 1.0f : lower;
    }
    float r = wk_min(wk_max(index * eps, lo), hi);
    return (v == v) ? r : v;   // NaN stays NaN
}

// FusedCpuRounding.FloatBlock (float16 and narrower), one element: ulp from the exponent bits, then round |x| / ulp.
WK_DEVICE wk_u32 wk_float_one(wk_u32 bits, int shift, int min_exp, float hi, int stochastic, wk_u64 key, wk_u32 counter)
{
    float v = wk_u2f(bits);
    wk_u32 sign = bits & 0x80000000u;
    float magnitude = wk_u2f(bits & 0x7FFFFFFFu);
    int exponent = (int)((bits >> 23) & 0xFFu) - 127;
    int ulp_exp = (exponent > min_exp ? exponent : min_exp) - shift;
    float ulp = wk_u2f((wk_u32)(ulp_exp + 127) << 23);
    float inverse = wk_u2f((wk_u32)(127 - ulp_exp) << 23);
    float s = magnitude * inverse;
    float index;
    if (stochastic)
    {
        float lower = floorf(s);
        float u = wk_uniform(wk_bits(key, counter));
        index = (u < s - lower) ? lower + 1.0f : lower;
    }
    else
    {
        index = rintf(s);
    }
    wk_u32 r = wk_f2u(wk_min(index * ulp, hi)) | sign;
    return (v == v) ? r : bits;
}

// FusedCpuRounding.BFloat16Block, one element: add 0x7FFF + lsb (nearest even) or 16 random bits, clear the low half.
WK_DEVICE wk_u32 wk_bfloat16_one(wk_u32 b, int stochastic, wk_u64 key, wk_u32 counter)
{
    if ((b & 0x7FFFFFFFu) > 0x7F800000u) return b;   // NaN stays NaN
    wk_u32 add = stochastic ? (wk_bits(key, counter) >> 16) : (0x7FFFu + ((b >> 16) & 1u));
    wk_u32 r = (b + add) & ~0xFFFFu;
    if ((r & 0x7FFFFFFFu) == 0x7F800000u) r = (r & 0x80000000u) | 0x7F7F0000u;   // saturate instead of infinity
    return r;
}

// x and y may be the same memory (in place), so neither is marked __restrict__.
WK_KERNEL void wk_round_fixed(const float* x, float* y, wk_u64 n, float scale, float eps, float lo, float hi,
                              int mode, wk_u64 seed, wk_u64 call, int aligned)
{
    wk_u64 stride = (wk_u64)gridDim.x * blockDim.x * WK_PER_THREAD;
    for (wk_u64 first = ((wk_u64)blockIdx.x * blockDim.x + threadIdx.x) * WK_PER_THREAD; first < n; first += stride)
    {
        wk_u64 block = first / WK_BLOCK_SIZE;   // all four values lie in one block: 65,536 is a multiple of 4
        wk_u64 key = mode == 1 ? wk_block_key(seed, call, block) : 0ULL;
        wk_u32 counter = (wk_u32)(first - block * WK_BLOCK_SIZE);
        if (aligned && first + WK_PER_THREAD <= n)
        {
            wk_quad_f v = *(const wk_quad_f*)(x + first);
            wk_quad_f r;
            r.x = wk_fixed_one(v.x, scale, eps, lo, hi, mode, key, counter);
            r.y = wk_fixed_one(v.y, scale, eps, lo, hi, mode, key, counter + 1u);
            r.z = wk_fixed_one(v.z, scale, eps, lo, hi, mode, key, counter + 2u);
            r.w = wk_fixed_one(v.w, scale, eps, lo, hi, mode, key, counter + 3u);
            *(wk_quad_f*)(y + first) = r;
        }
        else
        {
            for (wk_u64 i = first; i < n && i < first + WK_PER_THREAD; i++)
                y[i] = wk_fixed_one(x[i], scale, eps, lo, hi, mode, key, counter + (wk_u32)(i - first));
        }
    }
}

// bfloat16 != 0 selects the bit path; otherwise shift = precision - 1 and min_exp describe the target (float16).
WK_KERNEL void wk_round_float(const wk_u32* x, wk_u32* y, wk_u64 n, int bfloat16, int shift, int min_exp, float hi,
                              int stochastic, wk_u64 seed, wk_u64 call, int aligned)
{
    wk_u64 stride = (wk_u64)gridDim.x * blockDim.x * WK_PER_THREAD;
    for (wk_u64 first = ((wk_u64)blockIdx.x * blockDim.x + threadIdx.x) * WK_PER_THREAD; first < n; first += stride)
    {
        wk_u64 block = first / WK_BLOCK_SIZE;
        wk_u64 key = stochastic ? wk_block_key(seed, call, block) : 0ULL;
        wk_u32 counter = (wk_u32)(first - block * WK_BLOCK_SIZE);
        if (aligned && first + WK_PER_THREAD <= n)
        {
            wk_quad_u v = *(const wk_quad_u*)(x + first);
            wk_quad_u r;
            if (bfloat16)
            {
                r.x = wk_bfloat16_one(v.x, stochastic, key, counter);
                r.y = wk_bfloat16_one(v.y, stochastic, key, counter + 1u);
                r.z = wk_bfloat16_one(v.z, stochastic, key, counter + 2u);
                r.w = wk_bfloat16_one(v.w, stochastic, key, counter + 3u);
            }
            else
            {
                r.x = wk_float_one(v.x, shift, min_exp, hi, stochastic, key, counter);
                r.y = wk_float_one(v.y, shift, min_exp, hi, stochastic, key, counter + 1u);
                r.z = wk_float_one(v.z, shift, min_exp, hi, stochastic, key, counter + 2u);
                r.w = wk_float_one(v.w, shift, min_exp, hi, stochastic, key, counter + 3u);
            }
            *(wk_quad_u*)(y + first) = r;
        }
        else
        {
            for (wk_u64 i = first; i < n && i < first + WK_PER_THREAD; i++)
            {
                wk_u32 c = counter + (wk_u32)(i - first);
                y[i] = bfloat16 ? wk_bfloat16_one(x[i], stochastic, key, c) : wk_float_one(x[i], shift, min_exp, hi, stochastic, key, c);
            }
        }
    }
}
""";
}
