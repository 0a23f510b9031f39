namespace WorkshopKit.Runtime;

/// <summary>One symbol-version requirement of an ELF shared library (an entry of its <c>.gnu.version_r</c> section).</summary>
/// <param name="File">The library that must provide the version, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Version">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="IsWeak">True when the <c>VER_FLG_WEAK</c> bit is set: the loader then accepts a library without this version.</param>
/// <param name="FlagsOffset">Byte offset of the entry's 16-bit <c>vna_flags</c> field in the file.</param>
/// <remarks>Runtime plumbing: not taught; readers can skip it.</remarks>
public sealed record ElfVersionNeed(string File, string Version, bool IsWeak, long FlagsOffset);
