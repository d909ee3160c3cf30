using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace NativeCam.Cli.Tests.Support;

/// <summary>Runs the CLI in process and locates the repository's files.</summary>
public static class Tool
{
    /// <summary>The repository root (the folder that holds NativeCam.sln).</summary>
    public static string RepoRoot => TestData.RepoRoot;

    /// <summary>The float MobileNetV2 (tests/data/models).</summary>
    public static string FloatModel => TestData.FloatModel;

    /// <summary>A committed sample image.</summary>
    public static string Sample(string name) => Path.Combine(RepoRoot, "Cam/samples", name);

    /// <summary>Runs `nativecam args…`; returns the exit code, stdout and stderr.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args) => Run(CancellationToken.None, args);

    /// <summary>Runs with a cancellation token.</summary>
    public static (int Code, string Out, string Err) Run(CancellationToken token, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, o, e, token);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>A fresh empty temporary folder.</summary>
    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "nativecam-cli-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>Parses JSON output.</summary>
    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    /// <summary>Reads a .npy file written by the CLI: its header dictionary and float32 data, checking the format.</summary>
    public static (string Header, float[] Data) ReadNpy(string path)
    {
        var b = File.ReadAllBytes(path);
        Assert.Equal(0x93, b[0]);
        Assert.Equal("NUMPY", Encoding.ASCII.GetString(b, 1, 5));
        Assert.Equal((1, 0), (b[6], b[7]));
        int len = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(8));
        Assert.Equal(0, (10 + len) % 64);
        var header = Encoding.ASCII.GetString(b, 10, len);
        Assert.EndsWith("\n", header);
        var data = new float[(b.Length - 10 - len) / 4];
        Assert.Equal(b.Length - 10 - len, data.Length * 4);
        for (int i = 0; i < data.Length; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(b.AsSpan(10 + len + 4 * i));
        return (header, data);
    }
}
