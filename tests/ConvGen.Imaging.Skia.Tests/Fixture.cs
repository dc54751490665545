namespace ConvGen.Imaging.Skia.Tests;

/// <summary>The image files tools/fixtures/make_image_fixtures.py wrote, copied beside the test assembly.</summary>
internal static class Fixture
{
    public static string Image(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "images", name);
}
