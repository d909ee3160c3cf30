namespace NativeCam.Cam.Metrics;

/// <summary>Masking of normalised CHW inputs by an H·W map broadcast over channels (0 is the mean colour).</summary>
public static class MaskedInputs
{
    /// <summary>x ⊙ m, the mask broadcast over the channels.</summary>
    public static float[] Keep(float[] input, float[] mask) => Apply(input, mask, invert: false);

    /// <summary>x ⊙ (1 − m), the mask broadcast over the channels.</summary>
    public static float[] Remove(float[] input, float[] mask) => Apply(input, mask, invert: true);

    private static float[] Apply(float[] input, float[] mask, bool invert)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(mask);
        int plane = mask.Length;
        if (plane == 0 || input.Length % plane != 0)
            throw new ArgumentException($"input of {input.Length} values is not a whole number of {plane}-pixel planes");
        var result = new float[input.Length];
        for (int i = 0; i < input.Length; i++)
        {
            float m = mask[i % plane];
            result[i] = input[i] * (invert ? 1 - m : m);
        }
        return result;
    }
}
