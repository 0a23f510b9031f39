using System.Buffers.Binary;
using System.Text;

namespace WorkshopKit.Runtime;

/// <summary>
/// Reads and edits the version requirements of a 64-bit little-endian ELF library.
/// WorkshopKit needs exactly one edit: TorchSharp 0.107.0's <c>libLibTorchSharp.so</c> asks for
/// <c>GLIBCXX_3.4.32</c> only for a link-time anchor nothing calls, and marking that one requirement
/// weak lets it load on hosts with an older libstdc++ (Debian 12, Ubuntu 22.04).
/// </summary>
/// <remarks>Runtime plumbing: not taught; readers can skip it.</remarks>
public static class ElfVersionNeeds
{
    /// <summary>The bit of <c>vna_flags</c> that makes a version requirement optional.</summary>
    public const ushort VerFlagWeak = 0x2;

    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVerdef = 0x6ffffffd;

    /// <summary>Lists every version requirement of the library at <paramref name="path"/>.</summary>
    /// <remarks>
    /// Reads only the bytes it needs (the ELF header, the section table, the <c>.gnu.version_r</c> section and the
    /// few names it points to: a few kilobytes of a 2.4 MB library), because WorkshopKit's module initializer calls
    /// this for every copy of <c>libLibTorchSharp.so</c> at every start.
    /// </remarks>
    /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF file or its tables are cut short.</exception>
    public static IReadOnlyList<ElfVersionNeed> Read(string path)
    {
        using var file = new ElfReader(path);
        try { return ReadNeeds(file); }
        catch (Exception e) when (IsOutOfTable(e)) { throw Corrupt(path, e); }
    }

    /// <summary>Lists the version names a library defines (its <c>.gnu.version_d</c> section), e.g. the GLIBCXX versions of libstdc++.</summary>
    /// <remarks>Reads only the header, the section table, the definitions and their names, not the whole library.</remarks>
    /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF file or its tables are cut short.</exception>
    public static IReadOnlyList<string> ReadDefinitions(string path)
    {
        using var file = new ElfReader(path);
        try { return ReadDefinitions(file); }
        catch (Exception e) when (IsOutOfTable(e)) { throw Corrupt(path, e); }
    }

    // An offset inside a table that points outside it is a corrupt file, reported as the callers expect (TorchRuntime
    // catches InvalidDataException). Plain try/catch and throw helpers, not a generic wrapper taking a lambda: the module
    // initializer compiles every method it reaches, and error messages kept out of line keep those methods small.
    private static bool IsOutOfTable(Exception e) => e is IndexOutOfRangeException or ArgumentOutOfRangeException or ArgumentException or OverflowException;

    private static InvalidDataException Corrupt(string path, Exception e) =>
        new($"'{path}' has corrupt ELF version tables (an offset or count points outside its section: {e.Message}). Reinstall the package that brought this library.", e);

    private static IReadOnlyList<string> ReadDefinitions(ElfReader file)
    {
        var result = new List<string>();
        var sections = file.Sections();
        foreach (var section in sections)
        {
            if (section.Type != ShtGnuVerdef) continue;
            var strtab = file.LinkedSection(sections, section);
            byte[] data = file.ReadSection(section);
            int entry = 0;
            for (uint i = 0; i < section.Info && entry + 20 <= data.Length; i++)
            {
                ushort count = U16(data, entry + 6);
                uint aux = U32(data, entry + 12);
                uint next = U32(data, entry + 16);
                if (count > 0)
                {
                    file.Require(data, entry + aux + 4, section);
                    result.Add(file.ReadName(strtab, U32(data, (int)(entry + aux))));
                }
                if (next == 0) break;
                entry += (int)next;
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

    private static List<ElfVersionNeed> ReadNeeds(ElfReader file)
    {
        var result = new List<ElfVersionNeed>();
        var sections = file.Sections();
        foreach (var section in sections)
        {
            if (section.Type != ShtGnuVerneed) continue;
            var strtab = file.LinkedSection(sections, section);
            byte[] data = file.ReadSection(section);
            long entry = 0;
            for (uint i = 0; i < section.Info; i++)
            {
                file.Require(data, entry + 16, section);
                ushort count = U16(data, entry + 2);
                string library = file.ReadName(strtab, U32(data, entry + 4));
                long aux = entry + U32(data, entry + 8);
                for (int a = 0; a < count; a++)
                {
                    file.Require(data, aux + 16, section);
                    ushort flags = U16(data, aux + 4);
                    string name = file.ReadName(strtab, U32(data, aux + 8));
                    result.Add(new ElfVersionNeed(library, name, (flags & VerFlagWeak) != 0, section.Offset + aux + 4));
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

    // A struct with fields in a plain array: no generic list, no property getters, nothing more for the runtime to compile
    // at start-up, where this runs (see ModuleSetup).
    private readonly struct Section(uint type, long offset, long size, uint link, uint info)
    {
        public readonly uint Type = type;
        public readonly long Offset = offset;
        public readonly long Size = size;
        public readonly uint Link = link;
        public readonly uint Info = info;
    }

    /// <summary>Positional reads of an ELF file: each table is read once, by offset, and nothing else.</summary>
    private sealed class ElfReader : IDisposable
    {
        private readonly Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        private readonly string path;
        private readonly long length;

        public ElfReader(string path)
        {
            this.path = path;
            handle = System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            length = RandomAccess.GetLength(handle);
        }

        public void Dispose() => handle.Dispose();

        public Section[] Sections()
        {
            byte[] header = ReadAt(0, Math.Min(64, length), "the ELF header");
            if (header.Length < 64 || header[0] != 0x7f || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F')
                throw new InvalidDataException($"'{path}' is not an ELF file (no 0x7F 'ELF' magic, or shorter than the 64-byte ELF header).");
            if (header[4] != 2 || header[5] != 1)
                throw new InvalidDataException($"'{path}' is not a 64-bit little-endian ELF file (class {header[4]}, data {header[5]}).");
            long shoff = (long)U64(header, 0x28);
            ushort shentsize = U16(header, 0x3A);
            ushort shnum = U16(header, 0x3C);
            if (shentsize < 64 && shnum > 0)
                throw new InvalidDataException($"'{path}' has section headers of {shentsize} bytes; a 64-bit ELF file needs 64.");
            byte[] table = ReadAt(shoff, (long)shnum * shentsize, "the section table");
            var list = new Section[shnum];
            for (int i = 0; i < shnum; i++)
            {
                int h = i * shentsize;
                list[i] = new Section(U32(table, h + 4), (long)U64(table, h + 24), (long)U64(table, h + 32), U32(table, h + 40), U32(table, h + 44));
            }
            return list;
        }

        public Section LinkedSection(Section[] sections, Section section)
        {
            if (section.Link >= sections.Length)
                throw new InvalidDataException($"'{path}': a version section links to section {section.Link}, but the file has {sections.Length} sections.");
            return sections[(int)section.Link];
        }

        public byte[] ReadSection(Section section) => ReadAt(section.Offset, section.Size, "a version section");

        /// <summary>Reads the NUL-terminated name at <paramref name="offset"/> of a string table, in small chunks (version and library names are short).</summary>
        public string ReadName(Section strtab, uint offset)
        {
            if (offset >= strtab.Size)
                throw new InvalidDataException($"'{path}': a name offset {offset} lies outside its string table of {strtab.Size} bytes.");
            var name = new StringBuilder(32);
            long position = strtab.Offset + offset, end = strtab.Offset + strtab.Size;
            Span<byte> chunk = stackalloc byte[64];
            while (position < end)
            {
                int want = (int)Math.Min(chunk.Length, end - position);
                int got = RandomAccess.Read(handle, chunk.Slice(0, want), position);
                if (got <= 0) break;
                // Byte by byte, not Span.IndexOf or Encoding: those live behind System.Memory and the encoding classes,
                // whose first use costs milliseconds of every start (this runs in the module initializer).
                for (int i = 0; i < got; i++)
                {
                    if (chunk[i] == 0) return name.ToString();
                    name.Append((char)chunk[i]);
                }
                position += got;
            }
            throw new InvalidDataException($"'{path}' is cut short: a name in the string table at byte {strtab.Offset} has no terminating NUL.");
        }

        public void Require(byte[] data, long end, Section section)
        {
            if (end > data.Length)
                throw new InvalidDataException($"'{path}' is cut short: an ELF table entry ends at byte {section.Offset + end} but its section ends at byte {section.Offset + data.Length}.");
        }

        private byte[] ReadAt(long offset, long count, string what)
        {
            if (offset < 0 || count < 0 || offset + count > length)
                throw new InvalidDataException($"'{path}' is cut short: {what} ends at byte {offset + count} but the file has {length} bytes.");
            byte[] buffer = new byte[count];
            int done = 0;
            while (done < count)
            {
                int got = RandomAccess.Read(handle, new Span<byte>(buffer, done, buffer.Length - done), offset + done);
                if (got <= 0) throw new InvalidDataException($"'{path}' is cut short: reading {what} stopped at byte {offset + done}.");
                done += got;
            }
            return buffer;
        }
    }

    // Little-endian reads by hand rather than BinaryPrimitives: that type sits behind the System.Memory facade, whose load
    // and first calls cost about 2 ms of every start (2026-12-02, AMD EPYC). An offset outside the array throws
    // IndexOutOfRangeException, which Parsed reports as a corrupt file.
    private static ushort U16(byte[] d, long o) => (ushort)(d[checked((int)o)] | d[checked((int)o) + 1] << 8);
    private static uint U32(byte[] d, long o) => U16(d, o) | (uint)U16(d, o + 2) << 16;
    private static ulong U64(byte[] d, long o) => U32(d, o) | (ulong)U32(d, o + 4) << 32;
}
