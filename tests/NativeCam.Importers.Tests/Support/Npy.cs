using System.Text;
using System.Text.RegularExpressions;

namespace NativeCam.Importers.Tests.Support;

/// <summary>A minimal reader of NumPy .npy files: little-endian float32 ('&lt;f4'), C order, format 1.0–3.0.</summary>
public static partial class Npy
{
    /// <summary>Reads a float32 array and its shape.</summary>
    public static (float[] Data, int[] Shape) ReadFloat32(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
            throw new InvalidDataException($"{path}: not a .npy file");
        int major = bytes[6];
        int headerLen, start;
        if (major == 1) { headerLen = BitConverter.ToUInt16(bytes, 8); start = 10; }
        else if (major is 2 or 3) { headerLen = checked((int)BitConverter.ToUInt32(bytes, 8)); start = 12; }
        else throw new InvalidDataException($"{path}: .npy format {major} is not supported");
        var header = Encoding.Latin1.GetString(bytes, start, headerLen);
        var descr = DescrRegex().Match(header);
        if (!descr.Success || descr.Groups[1].Value != "<f4") throw new InvalidDataException($"{path}: dtype is not '<f4' ({header})");
        if (header.Contains("'fortran_order': True")) throw new InvalidDataException($"{path}: Fortran order is not supported");
        var shapeMatch = ShapeRegex().Match(header);
        if (!shapeMatch.Success) throw new InvalidDataException($"{path}: no shape in the header ({header})");
        var shape = shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(int.Parse).ToArray();
        long n = 1;
        foreach (int d in shape) n *= d;
        int offset = start + headerLen;
        if (bytes.Length - offset != n * 4) throw new InvalidDataException($"{path}: {bytes.Length - offset} data bytes for {n} floats");
        var data = new float[n];
        Buffer.BlockCopy(bytes, offset, data, 0, (int)(n * 4));
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian host");
        return (data, shape);
    }

    [GeneratedRegex(@"'descr':\s*'([^']*)'")]
    private static partial Regex DescrRegex();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapeRegex();
}
