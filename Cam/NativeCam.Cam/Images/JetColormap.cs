namespace NativeCam.Cam.Images;

/// <summary>
/// OpenCV's COLORMAP_JET as an RGB table of 256 entries. Built the way OpenCV builds it: the piecewise-linear jet
/// (r = clamp(1.5 − |4x − 3|), g = clamp(1.5 − |4x − 2|), b = clamp(1.5 − |4x − 1|) at x = i/255, as float32) is
/// resampled by OpenCV's <c>interp1</c> at its own <c>linspace(0, 1, 256)</c> in float32 and scaled by 255 with
/// rounding half to even. Every unsaturated entry is an exact tie (255·value = n + ½), so the float32 steps decide
/// the rounding; reproducing them matches cv2.applyColorMap on all 256 levels (index 159's blue is 1, not 2).
/// </summary>
public static class JetColormap
{
    private static readonly byte[] Table = Build();

    /// <summary>The RGB colour of level <paramref name="level"/> (0..255).</summary>
    public static (byte R, byte G, byte B) Color(byte level) =>
        (Table[level * 3], Table[level * 3 + 1], Table[level * 3 + 2]);

    /// <summary>The piecewise-linear jet value of channel offset <paramref name="k"/> (3 red, 2 green, 1 blue) at x in [0, 1].</summary>
    public static double Base(double x, double k) => Math.Clamp(1.5 - Math.Abs(4 * x - k), 0, 1);

    private static byte[] Build()
    {
        const int n = 256;
        var x = new float[n];
        float step = 1f / (n - 1);
        for (int i = 0; i < n; i++) x[i] = 0f + i * step;
        var table = new byte[n * 3];
        double[] offsets = [3, 2, 1];
        for (int c = 0; c < 3; c++)
        {
            var y = new float[n];
            for (int i = 0; i < n; i++) y[i] = (float)Base(i / 255.0, offsets[c]);
            for (int i = 0; i < n; i++)
            {
                int lo = i == 0 ? 0 : i - 1, hi = i == 0 ? 1 : i;
                float dx = x[i] - x[lo], dy = y[hi] - y[lo], span = x[hi] - x[lo];
                float prod = dx * dy;
                float yi = y[lo] + prod / span;
                float scaled = yi * 255f;
                table[i * 3 + c] = (byte)Math.Clamp(MathF.Round(scaled, MidpointRounding.ToEven), 0, 255);
            }
        }
        return table;
    }
}
