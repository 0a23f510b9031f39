using System.IO.Compression;
using TorchSharp;
using WorkshopKit.Runtime;
using static TorchSharp.torch;

namespace WorkshopKit.Data;

/// <summary>
/// Gzip with a fixed header (no file name, modification time 0, operating system "unknown"), so that the same content
/// always gives the same bytes and the same checksum, whoever regenerates it and on whichever OS.
/// </summary>
internal static class DeterministicGzip
{
    private const int OsByteOffset = 9;
    private const byte UnknownOs = 0xFF;

    public static byte[] Compress(ReadOnlySpan<byte> content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
            gzip.Write(content);
        byte[] bytes = output.ToArray();
        // .NET writes MTIME = 0 and no FNAME already; only the OS byte depends on the platform (RFC 1952, section 2.3).
        bytes[OsByteOffset] = UnknownOs;
        return bytes;
    }

    public static byte[] Decompress(byte[] compressed)
    {
        using var input = new MemoryStream(compressed, writable: false);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
