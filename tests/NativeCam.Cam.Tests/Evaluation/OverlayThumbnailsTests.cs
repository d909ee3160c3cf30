using NativeCam.Cam.Evaluation;
using NativeCam.Cam.Images;

namespace NativeCam.Cam.Tests.Evaluation;

public class OverlayThumbnailsTests
{
    private static RgbImage Photo(int width, int height, int seed)
    {
        var p = new byte[width * height * 3];
        new Random(seed).NextBytes(p);
        return new RgbImage(width, height, p);
    }

    [Fact]
    public void ThumbnailIsTheOverlayOnTheCropShrunkToTheGivenSide()
    {
        var photo = Photo(300, 260, 1);
        var map = Enumerable.Range(0, 224 * 224).Select(i => (float)(i % 224) / 223).ToArray();
        var png = OverlayThumbnails.Png(photo, map, 224, 224, size: 112);
        var decoded = new ImageLoader().Decode(png, "thumb.png");
        Assert.Equal((112, 112), (decoded.Width, decoded.Height));

        // reference: blend on the 224 crop, then the 2:1 antialiased shrink
        var (crop, _) = ImageNetPreprocessor.ResizeAndCrop(photo);
        var expected = AntialiasedBilinear.Resize(CamOverlay.Blend(crop, map), 112, 112);
        Assert.Equal(expected.Pixels, decoded.Pixels);

        // the heat matters: another map gives another thumbnail
        var flat = OverlayThumbnails.Png(photo, new float[224 * 224], 224, 224, size: 112);
        Assert.NotEqual(decoded.Pixels, new ImageLoader().Decode(flat, "flat.png").Pixels);
    }
}
