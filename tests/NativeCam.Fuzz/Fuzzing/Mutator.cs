using System.Buffers.Binary;

namespace NativeCam.Fuzz.Fuzzing;

/// <summary>The kind of file mutated: selects the structure-aware edits.</summary>
public enum InputKind
{
    /// <summary>PNG: chunk length fields and the IHDR fields (with the CRC recomputed so the decoder gets past it).</summary>
    Png,
    /// <summary>JPEG: segment length fields and the frame header's dimensions and components.</summary>
    Jpeg,
    /// <summary>BMP: the header's size, offset and dimension fields.</summary>
    Bmp,
    /// <summary>ONNX protobuf: length prefixes and varint fields (dims, types, attributes, versions).</summary>
    Onnx,
}

/// <summary>
/// A seeded mutation engine: bit flips, byte overwrites with boundary values, insertions, deletions, cuts, block
/// copies, and structure-aware edits of length fields and dimensions. The same seed gives the same mutants.
/// </summary>
public sealed class Mutator(int seed)
{
    private static readonly long[] Interesting = [0, 1, 2, 3, 7, 8, 15, 16, 127, 128, 255, 256, 1000, 4096, 10000, 30001, 32767, 32768, 65535, 65536,
        1 << 20, int.MaxValue, 0x80000000L, uint.MaxValue, -1, -2];

    private readonly Random _rng = new(seed);

    /// <summary>One to four mutations of <paramref name="input"/> (never changed in place).</summary>
    public byte[] Mutate(byte[] input, InputKind kind, StructureMap map)
    {
        var data = (byte[])input.Clone();
        int count = 1 + _rng.Next(4);
        bool structural = _rng.Next(2) == 0;
        if (structural) data = Structural(data, kind, map);
        for (int i = structural ? 1 : 0; i < count; i++) data = Generic(data);
        return data;
    }

    private long Pick() => Interesting[_rng.Next(Interesting.Length)] + (_rng.Next(4) == 0 ? _rng.Next(-2, 3) : 0);

    private byte[] Generic(byte[] d)
    {
        if (d.Length == 0) return [(byte)_rng.Next(256)];
        int at = _rng.Next(d.Length);
        switch (_rng.Next(7))
        {
            case 0: // bit flips
                for (int i = 0, n = 1 + _rng.Next(8); i < n; i++) d[_rng.Next(d.Length)] ^= (byte)(1 << _rng.Next(8));
                return d;
            case 1: // boundary bytes
                d[at] = (byte)(new byte[] { 0, 1, 0x7F, 0x80, 0xFF, 0xFE }[_rng.Next(6)]);
                return d;
            case 2: // insertion
            {
                var ins = new byte[1 + _rng.Next(_rng.Next(2) == 0 ? 4 : 64)];
                _rng.NextBytes(ins);
                return [.. d.AsSpan(0, at), .. ins, .. d.AsSpan(at)];
            }
            case 3: // deletion
            {
                int n = Math.Min(d.Length - at, 1 + _rng.Next(_rng.Next(2) == 0 ? 4 : 256));
                return [.. d.AsSpan(0, at), .. d.AsSpan(at + n)];
            }
            case 4: // cut
                return d[..Math.Max(1, at)];
            case 5: // copy a block over another place
            {
                int n = Math.Min(1 + _rng.Next(128), d.Length - at);
                int to = _rng.Next(Math.Max(1, d.Length - n));
                Array.Copy(d, at, d, to, n);
                return d;
            }
            default: // random run
            {
                int n = Math.Min(1 + _rng.Next(16), d.Length - at);
                _rng.NextBytes(d.AsSpan(at, n));
                return d;
            }
        }
    }

    private byte[] Structural(byte[] d, InputKind kind, StructureMap map)
    {
        var fields = _rng.Next(2) == 0 ? map.Lengths : map.Dimensions;
        if (fields.Count == 0) fields = map.Lengths.Count > 0 ? map.Lengths : map.Dimensions;
        if (fields.Count == 0) return Generic(d);
        var f = fields[_rng.Next(fields.Count)];
        if (f.Offset + f.Size > d.Length) return Generic(d);
        long value = _rng.Next(3) == 0 ? f.Original(d) + _rng.Next(-3, 4) : Pick();
        if (kind == InputKind.Onnx) return ProtobufVarint.Replace(d, f.Offset, f.Size, value);
        switch (f.Size)
        {
            case 1: d[f.Offset] = (byte)value; break;
            case 2: if (f.BigEndian) BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(f.Offset), (ushort)value); else BinaryPrimitives.WriteUInt16LittleEndian(d.AsSpan(f.Offset), (ushort)value); break;
            default: if (f.BigEndian) BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(f.Offset), (uint)value); else BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(f.Offset), (uint)value); break;
        }
        if (f.CrcStart >= 0) PngCrc.Fix(d, f.CrcStart);
        return d;
    }
}
