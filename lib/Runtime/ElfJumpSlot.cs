using System.Buffers.Binary;
using System.Text;

namespace ScienceOfDL;

/// <summary>
/// Where a 64-bit x86 ELF shared library's own calls to one of its exported functions are bound: the
/// R_X86_64_JUMP_SLOT relocation of that symbol (its slot in the global offset table). The dynamic linker fills that
/// slot, and it is what LD_PRELOAD interposes on. Read from the file on disk; offsets are relative to the library's
/// load address.
/// </summary>
internal static class ElfJumpSlot
{
    const uint RelaSection = 4,
        DynamicSymbolSection = 11,
        JumpSlot = 7;
    const int SymbolSize = 24,
        RelaSize = 24;

    /// <returns>the slot's offset and the symbol's own offset (its st_value), or null when the file is not a
    /// little-endian x86-64 ELF or has no jump slot for <paramref name="symbol"/></returns>
    public static (ulong Slot, ulong Symbol)? Find(string path, string symbol)
    {
        using var file = File.OpenRead(path);
        var header = Read(file, 0, 64);
        if (
            !header.AsSpan(0, 4).SequenceEqual("\u007FELF"u8)
            || header[4] != 2
            || header[5] != 1
            || U16(header, 18) != 62
        )
            return null;
        var (sectionsAt, sectionSize, count) = ((long)U64(header, 0x28), U16(header, 0x3A), U16(header, 0x3C));
        var sections = Enumerable
            .Range(0, count)
            .Select(i => Read(file, sectionsAt + (long)i * sectionSize, 64))
            .Select(s => (Type: U32(s, 4), Offset: (long)U64(s, 24), Size: (long)U64(s, 32), Link: (int)U32(s, 40)))
            .ToArray();
        var symbols = Array.FindIndex(sections, s => s.Type == DynamicSymbolSection);
        if (symbols < 0)
            return null;
        var strings = Read(file, sections[sections[symbols].Link].Offset, (int)sections[sections[symbols].Link].Size);
        var table = Read(file, sections[symbols].Offset, (int)sections[symbols].Size);
        var name = Encoding.ASCII.GetBytes(symbol + "\0");
        var index = Enumerable
            .Range(0, table.Length / SymbolSize)
            .FirstOrDefault(
                i =>
                {
                    var at = (int)U32(table, i * SymbolSize);
                    return at + name.Length <= strings.Length && strings.AsSpan(at, name.Length).SequenceEqual(name);
                },
                -1
            );
        if (index < 0)
            return null;
        foreach (var rela in sections.Where(s => s.Type == RelaSection && s.Link == symbols))
        {
            var entries = Read(file, rela.Offset, (int)rela.Size);
            for (var r = 0; r < entries.Length / RelaSize; r++)
            {
                var info = U64(entries, r * RelaSize + 8);
                if (info >> 32 == (ulong)index && (info & 0xffffffff) == JumpSlot)
                    return (U64(entries, r * RelaSize), U64(table, index * SymbolSize + 8));
            }
        }
        return null;
    }

    static byte[] Read(FileStream file, long offset, int length)
    {
        var bytes = new byte[length];
        file.Position = offset;
        file.ReadExactly(bytes);
        return bytes;
    }

    static ushort U16(byte[] b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at));

    static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));

    static ulong U64(byte[] b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(at));
}
