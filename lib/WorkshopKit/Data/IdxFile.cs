using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace WorkshopKit.Data;

/// <summary>
/// Reads and writes IDX, the tiny array format the original MNIST files use: two zero bytes, a type code
/// (0x08 = unsigned byte), the number of dimensions, each dimension as a big-endian 32-bit integer, then
/// the values in row-major order. WorkshopKit keeps it because it is self-describing, needs no library,
/// and anyone who has met MNIST before recognises it.
/// </summary>
/// <remarks>Comes with <see cref="Datasets"/>, first used in notebook 01 (Convolutional layers), section "1. Why convolutions?".</remarks>
internal static class IdxFile
{
    /// <summary>The IDX type code for unsigned bytes, the only element type WorkshopKit stores.</summary>
    public const byte UnsignedByte = 0x08;

    /// <summary>
    /// Parses an uncompressed IDX byte array of unsigned bytes. Throws <see cref="InvalidDataException"/> whose
    /// message says what is wrong (bad magic, unsupported type, truncated header or body, a header whose shape claims
    /// more values than the data holds, trailing bytes), so that a damaged file is reported rather than turned into
    /// silently wrong images. <see cref="Datasets.Load"/> reports the same problems as a <see cref="DataFileException"/>
    /// naming the file.
    /// </summary>
    /// <param name="bytes">The whole file, already decompressed.</param>
    /// <exception cref="InvalidDataException">The bytes are not a valid unsigned-byte IDX array.</exception>
    public static IdxArray Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4)
            throw new InvalidDataException($"IDX data is truncated: {bytes.Length} bytes, but the header alone needs at least 4.");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"IDX data has a bad magic number: it starts with 0x{bytes[0]:X2}{bytes[1]:X2}, an IDX file starts with 0x0000 (is it still gzip-compressed?).");
        if (bytes[2] != UnsignedByte)
            throw new InvalidDataException($"IDX data has element type 0x{bytes[2]:X2}; WorkshopKit reads only unsigned bytes (0x08).");
        int rank = bytes[3];
        if (rank == 0)
            throw new InvalidDataException("IDX data declares 0 dimensions; expected at least 1.");
        int headerLength = 4 + 4 * rank;
        if (bytes.Length < headerLength)
            throw new InvalidDataException($"IDX data is truncated: {bytes.Length} bytes, but a header with {rank} dimensions needs {headerLength}.");
        var dims = new int[rank];
        // Counted exactly: up to 255 dimensions of up to 2^31 - 1 each overflow any fixed-width integer, and a wrapped
        // count once reported "17179869182 unexpected trailing bytes" for an 18-byte file.
        BigInteger claimed = BigInteger.One;
        for (int d = 0; d < rank; d++)
        {
            uint dim = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(4 + 4 * d, 4));
            if (dim > int.MaxValue)
                throw new InvalidDataException($"IDX dimension {d} is {dim}, larger than WorkshopKit can hold.");
            dims[d] = (int)dim;
            claimed *= dim;
        }
        long body = bytes.Length - headerLength;
        if (claimed > body)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"IDX data is truncated or its header is damaged: the header claims shape [{string.Join(", ", dims)}] = {claimed:N0} values, but the data holds {bytes.Length:N0} bytes ({headerLength} of header, {body:N0} for values). Restore or rebuild the file; IdxFile.Write writes a header that matches its values."));
        long expected = headerLength + (long)claimed; // claimed is at most body here, which fits in an int
        if (bytes.Length > expected)
            throw new InvalidDataException($"IDX data has {bytes.Length - expected} unexpected trailing bytes after shape [{string.Join(", ", dims)}].");
        return new IdxArray(dims, bytes.Slice(headerLength).ToArray());
    }

    /// <summary>Encodes unsigned bytes with the given shape as IDX, the inverse of <see cref="Read"/>.</summary>
    /// <param name="dimensions">The shape; its product must equal the number of values.</param>
    /// <param name="values">The values in row-major order.</param>
    public static byte[] Write(IReadOnlyList<int> dimensions, ReadOnlySpan<byte> values)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        if (dimensions.Count is 0 or > 255)
            throw new ArgumentException($"IDX needs between 1 and 255 dimensions, got {dimensions.Count}.", nameof(dimensions));
        BigInteger count = BigInteger.One; // exact: a 64-bit product of 255 dimensions can wrap round to values.Length
        foreach (int d in dimensions)
        {
            if (d < 0) throw new ArgumentException($"IDX dimensions must be non-negative, got [{string.Join(", ", dimensions)}].", nameof(dimensions));
            count *= d;
        }
        if (count != values.Length)
            throw new ArgumentException($"Shape [{string.Join(", ", dimensions)}] holds {count} values but {values.Length} were given.", nameof(values));
        int headerLength = 4 + 4 * dimensions.Count;
        var result = new byte[headerLength + values.Length];
        result[2] = UnsignedByte;
        result[3] = (byte)dimensions.Count;
        for (int d = 0; d < dimensions.Count; d++)
            BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(4 + 4 * d, 4), (uint)dimensions[d]);
        values.CopyTo(result.AsSpan(headerLength));
        return result;
    }
}
