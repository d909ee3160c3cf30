namespace NativeCam.Cam.Attribution;

/// <summary>
/// Seeds of the random attribution methods, derived from (--seed, the image, the method): a method sees one batch
/// and not where its images sit in the run, so an image is identified by its pixel values (a 64-bit FNV-1a hash of
/// their float32 bits). Maps are then reproducible and do not depend on batching or on the order of the images, and
/// each re-run on another input (coherency's x ⊙ m, an augmentation) draws afresh.
/// </summary>
public static class AttributionSeeds
{
    /// <summary>A seed for <paramref name="image"/> (its C·H·W values) under <paramref name="seed"/> and a method salt.</summary>
    public static int For(int seed, ReadOnlySpan<double> image, string salt)
    {
        ulong hash = 14695981039346656037UL;
        void Mix(ulong v)
        {
            for (int i = 0; i < 8; i++)
            {
                hash ^= (v >> (8 * i)) & 0xFF;
                hash *= 1099511628211UL;
            }
        }
        Mix((ulong)(uint)seed);
        foreach (char c in salt) Mix(c);
        foreach (double v in image) Mix(BitConverter.SingleToUInt32Bits((float)v));
        return (int)(hash ^ (hash >> 32)) & int.MaxValue;
    }
}
