using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace NativeCam.Fuzz.Fuzzing;

/// <summary>
/// The exact inputs of the robustness regressions, made in code (so nothing large is committed): a mutated JPEG,
/// models whose output is a scalar, a feature map or a binary logit, truncated PNG/JPEG files, and 100-megapixel
/// PNG and JPEG files. `dotnet run --project tests/NativeCam.Fuzz -- regressions DIR` writes them all.
/// </summary>
public static class RegressionInputs
{
    /// <summary>
    /// Bytes changed in the seed JPEG (37×29, quality 80, 4:2:0): offset 155 turns the SOF0 marker into EOI, so the
    /// header ends before any frame, and ImageSharp's JpegDecoderCore.Identify dereferences the missing frame.
    /// </summary>
    private static readonly (int Offset, byte Value)[] JpegChanges =
        [(38, 0xA0), (155, 0xD9), (184, 0xDE), (263, 0xF8), (307, 0x79), (366, 0x64), (378, 0x03), (544, 0x6E), (626, 0xA9), (661, 0x79)];

    /// <summary>The seed JPEG the fuzzer mutates (<see cref="Seeds.Pattern"/> 37×29, quality 80, 4:2:0).</summary>
    public static byte[] SeedJpeg()
    {
        using var image = Seeds.Pattern(37, 29);
        using var ms = new MemoryStream();
        image.Save(ms, new JpegEncoder { Quality = 80, ColorType = JpegColorType.YCbCrRatio420 });
        return ms.ToArray();
    }

    /// <summary>The mutated JPEG that made the decoder throw NullReferenceException (ten bytes changed).</summary>
    public static byte[] MutatedJpeg()
    {
        var d = SeedJpeg();
        foreach (var (o, v) in JpegChanges) d[o] = v;
        return d;
    }

    /// <summary>A model whose output is a scalar (ReduceMean of the logits).</summary>
    public static byte[] ScalarOutputModel() => TinyModels.Build(16, 4, 10, TinyModels.Head.Scalar);

    /// <summary>A model whose output is a feature map [1, 8, 56, 56].</summary>
    public static byte[] FeatureMapModel() => TinyModels.Build(56, 8, 10, TinyModels.Head.FeatureMap);

    /// <summary>A model whose output is an image-sized map [1, 3, 224, 224].</summary>
    public static byte[] ImageOutputModel() => TinyModels.Build(224, 3, 10, TinyModels.Head.FeatureMap);

    /// <summary>A binary classifier: one logit [1, 1].</summary>
    public static byte[] BinaryModel() => TinyModels.Build(32, 6, 1, TinyModels.Head.Logits, seed: 3);

    /// <summary>Two outputs, a feature map [1, 6, 32, 32] first and the logits [1, 5] second.</summary>
    public static byte[] TwoOutputModel() => TinyModels.Build(32, 6, 5, TinyModels.Head.FeatureMapThenLogits, seed: 4);

    /// <summary>The first 10% of a PNG's bytes.</summary>
    public static byte[] TruncatedPng(byte[] png) => png[..(png.Length / 10)];

    /// <summary>The first third of a JPEG's bytes.</summary>
    public static byte[] TruncatedJpeg(byte[] jpeg) => jpeg[..(jpeg.Length / 3)];

    /// <summary>A JPEG of the given PNG photo (quality 90, 4:2:0).</summary>
    public static byte[] JpegOf(byte[] png)
    {
        using var image = Image.Load<Rgb24>(png);
        using var ms = new MemoryStream();
        image.Save(ms, new JpegEncoder { Quality = 90 });
        return ms.ToArray();
    }

    /// <summary>
    /// Writes a PNG of <paramref name="width"/>×<paramref name="height"/> (8-bit RGB, or 16-bit RGBA) row by row:
    /// a smooth gradient that compresses to a few hundred kilobytes, whatever the size.
    /// </summary>
    public static void WriteLargePng(string path, int width, int height, bool rgba16 = false)
    {
        int bytesPerPixel = rgba16 ? 8 : 3;
        using var file = File.Create(path);
        file.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)(rgba16 ? 16 : 8);
        ihdr[9] = (byte)(rgba16 ? 6 : 2);
        WriteChunk(file, "IHDR", ihdr);
        using (var idat = new IdatStream(file))
        using (var z = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[1 + width * bytesPerPixel];
            for (int y = 0; y < height; y++)
            {
                // filter "Up" after the first row: the gradient changes only between bands of 64 rows
                row[0] = (byte)(y == 0 ? 0 : 2);
                Array.Clear(row, 1, row.Length - 1);
                if (y == 0 || y % 64 == 0)
                {
                    row[0] = 0;
                    byte v = (byte)(y * 255L / height);
                    for (int x = 0; x < width; x++)
                    {
                        var px = row.AsSpan(1 + x * bytesPerPixel, bytesPerPixel);
                        byte u = (byte)(x * 255L / width);
                        if (rgba16) { px[0] = u; px[2] = v; px[4] = 128; px[6] = 255; px[7] = 255; }
                        else { px[0] = u; px[1] = v; px[2] = 128; }
                    }
                }
                z.Write(row);
            }
        }
        WriteChunk(file, "IEND", []);
    }

    /// <summary>Writes a baseline JPEG of <paramref name="width"/>×<paramref name="height"/> (a gradient, quality 75).</summary>
    public static void WriteLargeJpeg(string path, int width, int height)
    {
        using var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var r = rows.GetRowSpan(y);
                for (int x = 0; x < r.Length; x++) r[x] = new Rgb24((byte)(x * 255L / width), (byte)(y * 255L / height), 128);
            }
        });
        image.SaveAsJpeg(path, new JpegEncoder { Quality = 75 });
    }

    /// <summary>Writes every small regression input into <paramref name="dir"/>; returns the paths.</summary>
    public static IReadOnlyList<string> WriteAll(string dir)
    {
        Directory.CreateDirectory(dir);
        var files = new List<string>();
        void Write(string name, byte[] data)
        {
            var p = Path.Combine(dir, name);
            File.WriteAllBytes(p, data);
            files.Add(p);
        }
        Write("mutated-identify.jpg", MutatedJpeg());
        Write("scalar-output.onnx", ScalarOutputModel());
        Write("feature-map-output.onnx", FeatureMapModel());
        Write("image-output.onnx", ImageOutputModel());
        Write("binary.onnx", BinaryModel());
        Write("two-outputs.onnx", TwoOutputModel());
        foreach (var (name, write) in new (string, Action<string>)[]
                 {
                     ("large-10000x10000.png", p => WriteLargePng(p, 10000, 10000)),
                     ("large-10000x10000-rgba16.png", p => WriteLargePng(p, 10000, 10000, rgba16: true)),
                     ("large-10000x10000.jpg", p => WriteLargeJpeg(p, 10000, 10000)),
                 })
        {
            var p = Path.Combine(dir, name);
            write(p);
            files.Add(p);
        }
        return files;
    }

    private static void WriteChunk(Stream s, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        Encoding.ASCII.GetBytes(type, head[4..]);
        s.Write(head);
        s.Write(data);
        var crcInput = new byte[4 + data.Length];
        head[4..].CopyTo(crcInput);
        data.CopyTo(crcInput.AsSpan(4));
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, PngCrc.Of(crcInput));
        s.Write(crc);
    }

    /// <summary>Splits what is written into IDAT chunks of 64 KiB.</summary>
    private sealed class IdatStream(Stream file) : Stream
    {
        private readonly MemoryStream _pending = new();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _pending.Write(buffer);
            if (_pending.Length >= 1 << 16) Flush();
        }

        public override void Flush()
        {
            if (_pending.Length == 0) return;
            WriteChunk(file, "IDAT", _pending.GetBuffer().AsSpan(0, (int)_pending.Length));
            _pending.SetLength(0);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) Flush();
            base.Dispose(disposing);
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
