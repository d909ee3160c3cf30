using System.Text;
using System.Text.RegularExpressions;

namespace NativeCam.GpuCheck;

/// <summary>Reads little-endian float32/float64 C-order .npy files (the fixture inputs) as floats.</summary>
public static partial class NpyReader
{
    /// <summary>The values and shape of <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">Not an .npy file of that kind (the message names the file).</exception>
    public static (float[] Values, int[] Shape) Read(string path)
    {
        byte[] b = File.ReadAllBytes(path);
        if (b.Length < 10 || b[0] != 0x93 || Encoding.ASCII.GetString(b, 1, 5) != "NUMPY")
            throw new InvalidDataException($"{path}: not an .npy file");
        int major = b[6];
        int headerLength = major == 1 ? BitConverter.ToUInt16(b, 8) : BitConverter.ToInt32(b, 8);
        int start = major == 1 ? 10 : 12;
        string header = Encoding.ASCII.GetString(b, start, headerLength);
        string descr = DescrPattern().Match(header).Groups[1].Value;
        if (header.Contains("'fortran_order': True")) throw new InvalidDataException($"{path}: Fortran order is not supported");
        int[] shape = ShapePattern().Match(header).Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        long count = shape.Aggregate(1L, (p, v) => p * v);
        int offset = start + headerLength;
        var values = new float[count];
        switch (descr)
        {
            case "<f4":
                if (b.Length - offset < count * 4) throw new InvalidDataException($"{path}: truncated");
                Buffer.BlockCopy(b, offset, values, 0, (int)count * 4);
                break;
            case "<f8":
                if (b.Length - offset < count * 8) throw new InvalidDataException($"{path}: truncated");
                for (int i = 0; i < count; i++) values[i] = (float)BitConverter.ToDouble(b, offset + 8 * i);
                break;
            default:
                throw new InvalidDataException($"{path}: dtype '{descr}' is not supported (float32 or float64 little-endian)");
        }
        return (values, shape);
    }

    [GeneratedRegex(@"'descr':\s*'([^']+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
