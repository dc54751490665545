using ConvGen.Imaging;
using ConvGen.Testing;

namespace ConvGen.Tests.Snapshots;

/// <summary>Picture snapshots, after <see cref="SnapshotFile"/>'s conventions: a PNG beside the test, compared by pixels.</summary>
internal static class PictureSnapshot
{
    /// <summary>
    /// Pictures compare by decoded pixels, not bytes, so a different compression of the same picture still matches.
    /// Null when <paramref name="actual"/> matches the verified PNG (or was accepted); otherwise why not.
    /// </summary>
    public static string? Compare(string directory, string name, RgbImage actual)
    {
        string verifiedPath = Path.Combine(directory, SnapshotFile.VerifiedName(name, "png"));
        string receivedPath = Path.Combine(directory, name + ".received.png");
        if (SnapshotFile.Accepting)
        {
            Png.Save(actual, verifiedPath);
            File.Delete(receivedPath);
            return null;
        }

        string? difference = File.Exists(verifiedPath)
            ? Png.Decode(File.ReadAllBytes(verifiedPath), verifiedPath).MatchUnsafe(
                Right: verified => verified.Width == actual.Width && verified.Height == actual.Height
                    ? (verified.Pixels.SequenceEqual(actual.Pixels) ? null : "its pixels differ")
                    : $"it is {verified.Width}x{verified.Height} but the picture is {actual.Width}x{actual.Height}",
                Left: error => error.Message)
            : "it does not exist";
        if (difference is null)
        {
            File.Delete(receivedPath);
            return null;
        }

        Png.Save(actual, receivedPath);
        return $"Picture snapshot {SnapshotFile.VerifiedName(name, "png")}: {difference}; wrote {receivedPath} (rerun with {SnapshotFile.AcceptVariable}=1 to accept).";
    }
}
