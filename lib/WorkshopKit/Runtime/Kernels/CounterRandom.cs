using System.Numerics;
using System.Runtime.CompilerServices;
using WorkshopKit.Precision;

namespace WorkshopKit.Runtime.Kernels;

/// <summary>
/// A counter-based random source: the n-th number of a stream is a hash of (key, n), so any block of a tensor can
/// draw its numbers independently and the result does not depend on how many threads ran or in which order.
/// The hash is Chris Wellons' "lowbias32" integer finalizer applied twice with two halves of a 64-bit key.
/// </summary>
/// <remarks>Not called in a notebook: behind the saved results of notebook 02 (Hardware and precision), section "2.4 Limited-precision training (saved results)" (experiments/precision.cs).</remarks>
internal static class CounterRandom
{
    /// <summary>SplitMix64's finalizer: turns (seed, call, block) into a well-mixed 64-bit key for one block.</summary>
    public static ulong BlockKey(ulong seed, ulong call, ulong block)
    {
        ulong z = seed + 0x9E3779B97F4A7C15UL * (call + 1) + 0xD1B54A32D192ED03UL * (block + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The 32 random bits for position <paramref name="counter"/> of the stream keyed by <paramref name="key"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Bits(ulong key, uint counter) => LowBias32(LowBias32(counter ^ (uint)key) ^ (uint)(key >> 32));

    /// <summary>The same hash on a whole vector of counters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<uint> Bits(ulong key, Vector<uint> counter)
        => LowBias32(LowBias32(counter ^ new Vector<uint>((uint)key)) ^ new Vector<uint>((uint)(key >> 32)));

    /// <summary>A uniform float in [0, 1) on the 2^-24 grid, from the top 24 of the 32 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Uniform(uint bits) => (bits >> 8) * (1.0f / (1 << 24));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint LowBias32(uint x)
    {
        x ^= x >> 16;
        x *= 0x7FEB352DU;
        x ^= x >> 15;
        x *= 0x846CA68BU;
        x ^= x >> 16;
        return x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<uint> LowBias32(Vector<uint> x)
    {
        x ^= Vector.ShiftRightLogical(x, 16);
        x *= new Vector<uint>(0x7FEB352DU);
        x ^= Vector.ShiftRightLogical(x, 15);
        x *= new Vector<uint>(0x846CA68BU);
        x ^= Vector.ShiftRightLogical(x, 16);
        return x;
    }
}
