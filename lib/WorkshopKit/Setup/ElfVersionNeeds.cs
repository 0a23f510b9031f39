using System.Buffers.Binary;
using System.Text;

namespace WorkshopKit.Setup;

/// <summary>One symbol-version requirement of an ELF shared library (an entry of its <c>.gnu.version_r</c> section).</summary>
/// <param name="File">The library that must provide the version, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Version">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="IsWeak">True when the <c>VER_FLG_WEAK</c> bit is set: the loader then accepts a library without this version.</param>
/// <param name="FlagsOffset">Byte offset of the entry's 16-bit <c>vna_flags</c> field in the file.</param>
public sealed record ElfVersionNeed(string File, string Version, bool IsWeak, long FlagsOffset);

/// <summary>
/// Reads and edits the version requirements of a 64-bit little-endian ELF library.
/// WorkshopKit needs exactly one edit: TorchSharp 0.107.0's <c>libLibTorchSharp.so</c> asks for
/// <c>GLIBCXX_3.4.32</c> only for a link-time anchor nothing calls, and marking that one requirement
/// weak lets it load on hosts with an older libstdc++ (Debian 12, Ubuntu 22.04).
/// </summary>
public static class ElfVersionNeeds
{
    /// <summary>The bit of <c>vna_flags</c> that makes a version requirement optional.</summary>
    public const ushort VerFlagWeak = 0x2;

    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVerdef = 0x6ffffffd;

    /// <summary>Lists every version requirement of the library at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF file or its tables are cut short.</exception>
    public static IReadOnlyList<ElfVersionNeed> Read(string path)
    {
        byte[] data = System.IO.File.ReadAllBytes(path);
        return Read(data, path);
    }

    /// <summary>Lists the version names a library defines (its <c>.gnu.version_d</c> section), e.g. the GLIBCXX versions of libstdc++.</summary>
    public static IReadOnlyList<string> ReadDefinitions(string path)
    {
        byte[] data = System.IO.File.ReadAllBytes(path);
        var result = new List<string>();
        var sections = Sections(data, path);
        foreach (var section in sections)
        {
            if (section.Type != ShtGnuVerdef) continue;
            var strtab = sections[(int)section.Link];
            long entry = section.Offset;
            for (uint i = 0; i < section.Info && entry + 20 <= data.Length; i++)
            {
                ushort count = U16(data, entry + 6);
                uint aux = U32(data, entry + 12);
                uint next = U32(data, entry + 16);
                if (count > 0)
                {
                    uint nameOffset = U32(data, entry + aux);
                    result.Add(CString(data, strtab.Offset + nameOffset));
                }
                if (next == 0) break;
                entry += next;
            }
        }
        return result;
    }

    /// <summary>
    /// Sets the weak flag on the requirement of <paramref name="version"/> from <paramref name="file"/>,
    /// writing only that 16-bit field in place. Returns true when it changed the file, false when the flag
    /// was already set (the edit is idempotent).
    /// </summary>
    /// <exception cref="InvalidOperationException">The library has no such requirement.</exception>
    public static bool MarkWeak(string path, string file, string version)
    {
        var need = Read(path).FirstOrDefault(n => n.File == file && n.Version == version)
            ?? throw new InvalidOperationException(
                $"'{path}' has no requirement of {version} from {file}; nothing to mark weak. " +
                "This edit is meant for TorchSharp 0.107.0's libLibTorchSharp.so only.");
        if (need.IsWeak) return false;

        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        Span<byte> flags = stackalloc byte[2];
        stream.Position = need.FlagsOffset;
        stream.ReadExactly(flags);
        ushort value = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(flags) | VerFlagWeak);
        BinaryPrimitives.WriteUInt16LittleEndian(flags, value);
        stream.Position = need.FlagsOffset;
        stream.Write(flags);
        stream.Flush(flushToDisk: true);
        return true;
    }

    private static List<ElfVersionNeed> Read(byte[] data, string path)
    {
        var result = new List<ElfVersionNeed>();
        var sections = Sections(data, path);
        foreach (var section in sections)
        {
            if (section.Type != ShtGnuVerneed) continue;
            var strtab = sections[(int)section.Link];
            long entry = section.Offset;
            for (uint i = 0; i < section.Info; i++)
            {
                Require(data, entry + 16, path);
                ushort count = U16(data, entry + 2);
                string file = CString(data, strtab.Offset + U32(data, entry + 4));
                long aux = entry + U32(data, entry + 8);
                for (int a = 0; a < count; a++)
                {
                    Require(data, aux + 16, path);
                    ushort flags = U16(data, aux + 4);
                    string name = CString(data, strtab.Offset + U32(data, aux + 8));
                    result.Add(new ElfVersionNeed(file, name, (flags & VerFlagWeak) != 0, aux + 4));
                    uint nextAux = U32(data, aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                uint next = U32(data, entry + 12);
                if (next == 0) break;
                entry += next;
            }
        }
        return result;
    }

    private readonly record struct Section(uint Type, long Offset, uint Link, uint Info);

    private static List<Section> Sections(byte[] data, string path)
    {
        if (data.Length < 64 || data[0] != 0x7f || data[1] != (byte)'E' || data[2] != (byte)'L' || data[3] != (byte)'F')
            throw new InvalidDataException($"'{path}' is not an ELF file (no 0x7F 'ELF' magic).");
        if (data[4] != 2 || data[5] != 1)
            throw new InvalidDataException($"'{path}' is not a 64-bit little-endian ELF file (class {data[4]}, data {data[5]}).");
        long shoff = (long)U64(data, 0x28);
        ushort shentsize = U16(data, 0x3A);
        ushort shnum = U16(data, 0x3C);
        var list = new List<Section>(shnum);
        for (int i = 0; i < shnum; i++)
        {
            long h = shoff + (long)i * shentsize;
            Require(data, h + 64, path);
            list.Add(new Section(U32(data, h + 4), (long)U64(data, h + 24), U32(data, h + 40), U32(data, h + 44)));
        }
        return list;
    }

    private static void Require(byte[] data, long end, string path)
    {
        if (end > data.Length)
            throw new InvalidDataException($"'{path}' is cut short: an ELF table ends at byte {end} but the file has {data.Length} bytes.");
    }

    private static ushort U16(byte[] d, long o) => BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan((int)o, 2));
    private static uint U32(byte[] d, long o) => BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan((int)o, 4));
    private static ulong U64(byte[] d, long o) => BinaryPrimitives.ReadUInt64LittleEndian(d.AsSpan((int)o, 8));

    private static string CString(byte[] d, long o)
    {
        int end = (int)o;
        while (end < d.Length && d[end] != 0) end++;
        return Encoding.ASCII.GetString(d, (int)o, end - (int)o);
    }
}
