using System.Runtime.InteropServices;

namespace WorkshopKit.Runtime;

/// <summary>
/// The two C-library calls WorkshopKit's module initializer makes, through function pointers found in the process's
/// global symbol scope rather than through <c>[DllImport("libc")]</c>: a DllImport makes .NET probe for a library named
/// "libc" (libc.so is a linker script on Debian, so the first try fails) and build a marshalling stub, about 2 ms of every
/// start (measured 2026-12-02, 2-core AMD EPYC with AVX-512); the exports of the already loaded C library cost microseconds.
/// Both calls are short and never call back into .NET, so they skip the GC transition (and the stub the runtime would
/// compile for it): <c>SuppressGCTransition</c>.
/// </summary>
/// <remarks>Runtime plumbing: not taught; readers can skip it.</remarks>
internal static unsafe class LibC
{
    /// <summary>
    /// Sets <paramref name="name"/> in the C environment, the copy native libraries such as libtorch read (.NET keeps its own
    /// copy on Unix). Returns false when the C library has no <c>setenv</c> in scope or the call failed.
    /// </summary>
    public static bool SetEnv(string name, string value, bool overwrite)
    {
        if (!NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), "setenv", out IntPtr setenv)) return false;
        byte* n = stackalloc byte[name.Length + 1];
        byte* v = stackalloc byte[value.Length + 1];
        Ascii(name, n);
        Ascii(value, v);
        return ((delegate* unmanaged[SuppressGCTransition]<byte*, byte*, int, int>)setenv)(n, v, overwrite ? 1 : 0) == 0;
    }

    /// <summary>
    /// True when a library in the process's global scope defines <paramref name="symbol"/> at <paramref name="version"/>
    /// (glibc's <c>dlvsym</c>, asking the dynamic loader the question it asks when it loads a library that needs that
    /// versioned symbol); null when there is no <c>dlvsym</c> to ask (musl, glibc before 2.34 without libdl loaded, Windows).
    /// </summary>
    public static bool? DefinesVersionedSymbol(string symbol, string version)
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), "dlvsym", out IntPtr dlvsym)) return null;
        byte* s = stackalloc byte[symbol.Length + 1];
        byte* v = stackalloc byte[version.Length + 1];
        Ascii(symbol, s);
        Ascii(version, v);
        // RTLD_DEFAULT is the null handle in glibc: search the global scope, in load order.
        return ((delegate* unmanaged[SuppressGCTransition]<IntPtr, byte*, byte*, IntPtr>)dlvsym)(IntPtr.Zero, s, v) != IntPtr.Zero;
    }

    /// <summary>Writes <paramref name="text"/> as NUL-terminated ASCII (symbol, version and variable names are ASCII; Encoding's first use costs start-up time).</summary>
    private static void Ascii(string text, byte* target)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == 0 || c > 0x7f) throw new ArgumentException($"'{text}' is not plain ASCII without NUL characters, which C-library names must be here.", nameof(text));
            target[i] = (byte)c;
        }
        target[text.Length] = 0;
    }
}
