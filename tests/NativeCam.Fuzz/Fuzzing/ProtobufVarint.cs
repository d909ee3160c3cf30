namespace NativeCam.Fuzz.Fuzzing;

/// <summary>
/// Protobuf wire-format helpers for mutating ONNX files: a walk that finds every length prefix (wire type 2) and
/// every varint field (wire type 0: dims, data types, attribute ints, versions), recursing into nested messages,
/// and a varint replacement that keeps the field's byte count when the value fits (so enclosing lengths stay right).
/// </summary>
public static class ProtobufVarint
{
    private const int MaxFields = 200_000;

    /// <summary>Reads the varint at <paramref name="pos"/>: its value and size in bytes (size 0 when malformed).</summary>
    public static (long Value, int Size) Read(byte[] d, int pos)
    {
        ulong v = 0;
        for (int i = 0; i < 10 && pos + i < d.Length; i++)
        {
            v |= (ulong)(d[pos + i] & 0x7F) << (7 * i);
            if ((d[pos + i] & 0x80) == 0) return ((long)v, i + 1);
        }
        return (0, 0);
    }

    /// <summary>Every length prefix and varint field of a protobuf message.</summary>
    public static StructureMap Map(byte[] d)
    {
        var lengths = new List<Field>();
        var varints = new List<Field>();
        Walk(d, 0, d.Length, 0, lengths, varints);
        return new StructureMap(lengths, varints);
    }

    private static bool Walk(byte[] d, int start, int end, int depth, List<Field> lengths, List<Field> varints)
    {
        int pos = start;
        int l0 = lengths.Count, v0 = varints.Count;
        while (pos < end)
        {
            var (tag, ts) = Read(d, pos);
            if (ts == 0 || tag >> 3 == 0) return Undo();
            pos += ts;
            switch (tag & 7)
            {
                case 0:
                {
                    var (_, s) = Read(d, pos);
                    if (s == 0) return Undo();
                    varints.Add(new Field(pos, s, false));
                    pos += s;
                    break;
                }
                case 1: pos += 8; break;
                case 5: pos += 4; break;
                case 2:
                {
                    var (len, s) = Read(d, pos);
                    if (s == 0 || len < 0 || len > end - pos - s) return Undo();
                    lengths.Add(new Field(pos, s, false));
                    int payload = pos + s;
                    if (depth < 12 && len >= 2 && lengths.Count + varints.Count < MaxFields)
                        Walk(d, payload, payload + (int)len, depth + 1, lengths, varints);
                    pos = payload + (int)len;
                    break;
                }
                default: return Undo();
            }
        }
        return pos == end || Undo();

        bool Undo()
        {
            if (depth == 0) return false; // keep what the top level found
            lengths.RemoveRange(l0, lengths.Count - l0);
            varints.RemoveRange(v0, varints.Count - v0);
            return false;
        }
    }

    /// <summary>The bytes with the varint at <paramref name="pos"/> (of <paramref name="size"/> bytes) set to <paramref name="value"/>.</summary>
    public static byte[] Replace(byte[] d, int pos, int size, long value)
    {
        var encoded = Encode((ulong)value, size);
        return [.. d.AsSpan(0, pos), .. encoded, .. d.AsSpan(pos + size)];
    }

    /// <summary>A varint, padded with continuation bytes to at least <paramref name="minSize"/> bytes when it is shorter.</summary>
    private static byte[] Encode(ulong v, int minSize)
    {
        var bytes = new List<byte>();
        do
        {
            bytes.Add((byte)(v & 0x7F));
            v >>= 7;
        } while (v != 0);
        while (bytes.Count < minSize && bytes.Count < 10) bytes.Add(0);
        // every byte but the last carries the continuation bit
        for (int i = 0; i < bytes.Count - 1; i++) bytes[i] |= 0x80;
        return [.. bytes];
    }
}
