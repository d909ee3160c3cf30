using System.Buffers.Binary;
using System.Text;

namespace NativeCam.Cam.Output;

/// <summary>NumPy .npy files, format 1.0, little-endian float32 ('&lt;f4'), C order.</summary>
public static class NpyWriter
{
    /// <summary>The .npy bytes of a float32 array of the given shape.</summary>
    /// <exception cref="ArgumentException">The data length is not the product of the shape.</exception>
    public static byte[] Encode(ReadOnlySpan<float> data, IReadOnlyList<int> shape)
    {
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException("negative dimension");
            count *= d;
        }
        if (count != data.Length) throw new ArgumentException($"{data.Length} values for shape ({string.Join(", ", shape)})");
        string dims = shape.Count == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
        // magic (6) + version (2) + header length (2) + dict + padding + '\n', total a multiple of 64
        int unpadded = 10 + dict.Length + 1;
        int total = (unpadded + 63) / 64 * 64;
        string header = dict + new string(' ', total - unpadded) + "\n";
        var bytes = new byte[total + data.Length * 4];
        bytes[0] = 0x93;
        "NUMPY"u8.CopyTo(bytes.AsSpan(1));
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        Encoding.ASCII.GetBytes(header, bytes.AsSpan(10));
        var body = bytes.AsSpan(total);
        for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(body[(i * 4)..], data[i]);
        return bytes;
    }
}
