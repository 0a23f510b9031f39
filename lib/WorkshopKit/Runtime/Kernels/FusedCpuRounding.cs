using System.Numerics;
using System.Runtime.CompilerServices;
using WorkshopKit.Precision;

namespace WorkshopKit.Runtime.Kernels;

/// <summary>
/// The fast CPU path: one pass over float32 memory that scales, rounds, saturates and draws its own random numbers
/// (<see cref="CounterRandom"/>), vectorized with <see cref="Vector{T}"/> and split over threads in fixed blocks.
/// Deterministic modes give bit-identical results to <see cref="ComposedRounding"/>; stochastic rounding has the same
/// distribution (u on the same 2^-24 grid) but different draws. <see cref="FusedCudaRounding"/> runs the same
/// arithmetic on CUDA tensors and gives the same results bit for bit for the same seed and call.
/// </summary>
internal static unsafe class FusedCpuRounding
{
    /// <summary>Elements per block: each block has its own random key, so results do not depend on the thread count.</summary>
    public const int BlockSize = 1 << 16;

    /// <summary>Rounds <paramref name="count"/> floats from <paramref name="source"/> onto a fixed-point grid into <paramref name="destination"/> (which may equal the source).</summary>
    /// <param name="source">Input floats.</param>
    /// <param name="destination">Output floats.</param>
    /// <param name="count">Number of elements.</param>
    /// <param name="format">The fixed-point format.</param>
    /// <param name="mode">The rounding rule.</param>
    /// <param name="seed">The random seed.</param>
    /// <param name="call">A per-call counter, so repeated calls with one seed draw fresh numbers.</param>
    public static void Fixed(float* source, float* destination, long count, FixedPoint format, Rounding mode, ulong seed, ulong call)
    {
        float scale = MathF.ScaleB(1f, format.FractionBits);
        float eps = MathF.ScaleB(1f, -format.FractionBits);
        float min = format.Min, max = format.Max;
        nint src = (nint)source, dst = (nint)destination;
        ForEachBlock(count, (block, start, length) =>
        {
            ulong key = CounterRandom.BlockKey(seed, call, (ulong)block);
            FixedBlock((float*)src + start, (float*)dst + start, length, scale, eps, min, max, mode, key);
        });
    }

    /// <summary>Rounds <paramref name="count"/> floats onto a float16 or bfloat16 grid (kept as float32) into <paramref name="destination"/>.</summary>
    /// <param name="source">Input floats.</param>
    /// <param name="destination">Output floats.</param>
    /// <param name="count">Number of elements.</param>
    /// <param name="format">float16 or bfloat16.</param>
    /// <param name="mode">Nearest or Stochastic.</param>
    /// <param name="seed">The random seed.</param>
    /// <param name="call">A per-call counter.</param>
    public static void Float(float* source, float* destination, long count, FloatFormat format, Rounding mode, ulong seed, ulong call)
    {
        nint src = (nint)source, dst = (nint)destination;
        bool stochastic = mode == Rounding.Stochastic;
        ForEachBlock(count, (block, start, length) =>
        {
            ulong key = CounterRandom.BlockKey(seed, call, (ulong)block);
            if (format == FloatFormat.BFloat16)
                BFloat16Block((uint*)src + start, (uint*)dst + start, length, stochastic, key);
            else
                FloatBlock((float*)src + start, (float*)dst + start, length, format, stochastic, key);
        });
    }

    private static void ForEachBlock(long count, Action<long, long, int> body)
    {
        long blocks = (count + BlockSize - 1) / BlockSize;
        if (blocks <= 1)
        {
            if (count > 0) body(0, 0, (int)count);
            return;
        }
        Parallel.For(0L, blocks, b =>
        {
            long start = b * BlockSize;
            body(b, start, (int)Math.Min(BlockSize, count - start));
        });
    }

    private static void FixedBlock(float* x, float* y, int n, float scale, float eps, float min, float max, Rounding mode, ulong key)
    {
        int w = Vector<float>.Count;
        int i = 0;
        var vScale = new Vector<float>(scale);
        var vEps = new Vector<float>(eps);
        var vMin = new Vector<float>(min);
        var vMax = new Vector<float>(max);
        var lane = LaneIndices();
        for (; i <= n - w; i += w)
        {
            var v = Unsafe.ReadUnaligned<Vector<float>>(x + i);
            var s = v * vScale;
            Vector<float> index;
            switch (mode)
            {
                case Rounding.Nearest: index = Vector.Round(s); break;
                case Rounding.TowardZero: index = Vector.Truncate(s); break;
                case Rounding.Down: index = Vector.Floor(s); break;
                default:
                    var lower = Vector.Floor(s);
                    var u = UniformVector(key, new Vector<uint>((uint)i) + lane);
                    // LessThan gives -1 (all bits set) where true: subtracting it adds one step.
                    index = lower - Vector.ConvertToSingle(Vector.LessThan(u, s - lower));
                    break;
            }
            var r = Vector.Min(Vector.Max(index * vEps, vMin), vMax);
            r = Vector.ConditionalSelect(Vector.Equals(v, v), r, v); // NaN stays NaN
            Unsafe.WriteUnaligned(y + i, r);
        }
        for (; i < n; i++)
        {
            float v = x[i];
            float s = v * scale;
            float index = mode switch
            {
                Rounding.Nearest => MathF.Round(s, MidpointRounding.ToEven),
                Rounding.TowardZero => MathF.Truncate(s),
                Rounding.Down => MathF.Floor(s),
                _ => StochasticIndex(s, CounterRandom.Uniform(CounterRandom.Bits(key, (uint)i))),
            };
            y[i] = float.IsNaN(v) ? v : Math.Clamp(index * eps, min, max);
        }
    }

    /// <summary>float16 (or any narrower float): ulp from the float32 exponent bits, then the fixed-point recipe on |x| / ulp.</summary>
    private static void FloatBlock(float* x, float* y, int n, FloatFormat format, bool stochastic, ulong key)
    {
        int shift = format.Precision - 1;
        int minExp = format.MinExponent;
        float max = format.Max;
        int w = Vector<float>.Count;
        int i = 0;
        var lane = LaneIndices();
        var signMask = new Vector<uint>(0x80000000u);
        for (; i <= n - w; i += w)
        {
            var v = Unsafe.ReadUnaligned<Vector<float>>(x + i);
            var bits = Vector.AsVectorUInt32(v);
            var sign = bits & signMask;
            var magnitude = Vector.AsVectorSingle(bits & ~signMask);
            var exponent = Vector.AsVectorInt32(Vector.ShiftRightLogical(bits, 23) & new Vector<uint>(0xFF)) - new Vector<int>(127);
            var ulpExp = Vector.Max(exponent, new Vector<int>(minExp)) - new Vector<int>(shift);
            var ulp = Vector.AsVectorSingle(Vector.ShiftLeft(ulpExp + new Vector<int>(127), 23));
            var inverse = Vector.AsVectorSingle(Vector.ShiftLeft(new Vector<int>(127) - ulpExp, 23));
            var s = magnitude * inverse;
            Vector<float> index;
            if (stochastic)
            {
                var lower = Vector.Floor(s);
                var u = UniformVector(key, new Vector<uint>((uint)i) + lane);
                index = lower - Vector.ConvertToSingle(Vector.LessThan(u, s - lower));
            }
            else
            {
                index = Vector.Round(s);
            }
            var r = Vector.Min(index * ulp, new Vector<float>(max));
            r = Vector.AsVectorSingle(Vector.AsVectorUInt32(r) | sign);
            r = Vector.ConditionalSelect(Vector.Equals(v, v), r, v);
            Unsafe.WriteUnaligned(y + i, r);
        }
        for (; i < n; i++)
        {
            float v = x[i];
            if (float.IsNaN(v)) { y[i] = v; continue; }
            uint b = BitConverter.SingleToUInt32Bits(v);
            int e = (int)((b >> 23) & 0xFF) - 127;
            int ulpExp = Math.Max(e, minExp) - shift;
            float ulp = BitConverter.Int32BitsToSingle((ulpExp + 127) << 23);
            float inverse = BitConverter.Int32BitsToSingle((127 - ulpExp) << 23);
            float s = MathF.Abs(v) * inverse;
            float index = stochastic
                ? StochasticIndex(s, CounterRandom.Uniform(CounterRandom.Bits(key, (uint)i)))
                : MathF.Round(s, MidpointRounding.ToEven);
            y[i] = MathF.CopySign(MathF.Min(index * ulp, max), v);
        }
    }

    /// <summary>
    /// bfloat16 keeps the top 16 bits of a float32, so rounding works on the raw bits: add 0x7FFF plus the kept lowest
    /// bit (nearest, ties to even) or 16 random bits (stochastic), then clear the low half. A carry into the exponent is
    /// exactly the move to the next binade; a carry to infinity is saturated to the largest finite bfloat16.
    /// </summary>
    private static void BFloat16Block(uint* x, uint* y, int n, bool stochastic, ulong key)
    {
        const uint Low = 0xFFFF, Infinity = 0x7F800000, MaxFinite = 0x7F7F0000;
        int w = Vector<uint>.Count;
        int i = 0;
        var lane = LaneIndices();
        var vLow = new Vector<uint>(Low);
        var vAbs = new Vector<uint>(0x7FFFFFFF);
        var vInf = new Vector<uint>(Infinity);
        for (; i <= n - w; i += w)
        {
            var b = Unsafe.ReadUnaligned<Vector<uint>>(x + i);
            var add = stochastic
                ? Vector.ShiftRightLogical(CounterRandom.Bits(key, new Vector<uint>((uint)i) + lane), 16)
                : new Vector<uint>(0x7FFF) + (Vector.ShiftRightLogical(b, 16) & Vector<uint>.One);
            var r = (b + add) & ~vLow;
            var isNaN = Vector.GreaterThan(b & vAbs, vInf);
            var overflow = Vector.Equals(r & vAbs, vInf);
            r = Vector.ConditionalSelect(overflow, (r & ~vAbs) | new Vector<uint>(MaxFinite), r);
            r = Vector.ConditionalSelect(isNaN, b, r);
            Unsafe.WriteUnaligned(y + i, r);
        }
        for (; i < n; i++)
        {
            uint b = x[i];
            if ((b & 0x7FFFFFFF) > Infinity) { y[i] = b; continue; }
            uint add = stochastic ? CounterRandom.Bits(key, (uint)i) >> 16 : 0x7FFF + ((b >> 16) & 1);
            uint r = (b + add) & ~Low;
            if ((r & 0x7FFFFFFF) == Infinity) r = (r & 0x80000000) | MaxFinite;
            y[i] = r;
        }
    }

    /// <summary>
    /// The scalar twin of the vector step <c>lower - (u &lt; s - lower ? -1 : 0)</c>: up by one, or exactly
    /// <c>lower</c>. Adding 0f instead would turn a -0 into +0 and make the last elements of a block differ from the
    /// vector lanes (and from the CUDA kernel, which follows the vector path).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float StochasticIndex(float s, float u)
    {
        float lower = MathF.Floor(s);
        return u < s - lower ? lower + 1f : lower;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> UniformVector(ulong key, Vector<uint> counter)
        => Vector.ConvertToSingle(Vector.AsVectorInt32(Vector.ShiftRightLogical(CounterRandom.Bits(key, counter), 8))) * new Vector<float>(1.0f / (1 << 24));

    private static Vector<uint> LaneIndices()
    {
        Span<uint> lanes = stackalloc uint[Vector<uint>.Count];
        for (int k = 0; k < lanes.Length; k++) lanes[k] = (uint)k;
        return new Vector<uint>(lanes);
    }
}
