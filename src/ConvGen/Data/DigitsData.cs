using System.Globalization;
using System.IO.Compression;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Data;

/// <summary>
/// scikit-learn's 8x8 digits (1,797 images, grey levels 0..16, UCI optical digits), embedded in ConvGen as its
/// zero-setup data set. Pixels are scaled to [0, 1] by dividing by 16.
/// </summary>
public static class DigitsData
{
    /// <summary>Image side length.</summary>
    public const int Side = 8;

    /// <summary>Digit classes 0..9.</summary>
    public const int Classes = 10;

    private const int Pixels = Side * Side;
    private const float MaximumLevel = 16f;
    private const string ResourceName = "ConvGen.Data.digits.csv.gz";

    /// <summary>The embedded copy; it is part of the assembly, so it cannot be missing or corrupt.</summary>
    public static Dataset LoadEmbedded()
    {
        using Stream stream = typeof(DigitsData).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from ConvGen.dll: the build is broken.");
        return Parse(stream, "embedded digits.csv.gz").Match(
            Right: dataset => dataset,
            Left: error => throw new InvalidOperationException("The embedded digits data is corrupt: " + error.Message));
    }

    /// <summary>Reads a <c>digits.csv.gz</c> file: one image a line, 64 levels 0..16 and then the label.</summary>
    public static Either<ConvGenError, Dataset> Load(string path)
    {
        if (IO.FileErrors.CheckPath(path) is { } badPath)
        {
            return Left<ConvGenError, Dataset>(badPath);
        }

        try
        {
            using FileStream stream = File.OpenRead(path);
            return Parse(stream, path);
        }
        catch (IOException exception)
        {
            return Left<ConvGenError, Dataset>(new ConvGenError($"{path}: cannot be read ({exception.Message})."));
        }
        catch (UnauthorizedAccessException exception)
        {
            return Left<ConvGenError, Dataset>(new ConvGenError($"{path}: cannot be read ({exception.Message})."));
        }
    }

    /// <summary>Parses gzipped CSV from <paramref name="gzipStream"/>; <paramref name="source"/> names it in messages.</summary>
    public static Either<ConvGenError, Dataset> Parse(Stream gzipStream, string source)
    {
        var images = new List<float>();
        var labels = new List<int>();
        try
        {
            using var reader = new StreamReader(new GZipStream(gzipStream, CompressionMode.Decompress));
            int lineNumber = 0;
            while (reader.ReadLine() is { } line)
            {
                lineNumber++;
                if (line.Length == 0)
                {
                    continue;
                }

                string[] fields = line.Split(',');
                if (fields.Length != Pixels + 1)
                {
                    return Left<ConvGenError, Dataset>(new ConvGenError($"{source}, line {lineNumber}: expected {Pixels + 1} values (64 pixels and a label) but found {fields.Length}."));
                }

                for (int i = 0; i <= Pixels; i++)
                {
                    if (!int.TryParse(fields[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
                        || value < 0 || value > (i < Pixels ? (int)MaximumLevel : Classes - 1))
                    {
                        string what = i < Pixels ? $"pixel {i} must be a level 0..16" : "the label must be a digit 0..9";
                        return Left<ConvGenError, Dataset>(new ConvGenError($"{source}, line {lineNumber}: {what}, found '{fields[i]}'."));
                    }

                    if (i < Pixels)
                    {
                        images.Add(value / MaximumLevel);
                    }
                    else
                    {
                        labels.Add(value);
                    }
                }
            }
        }
        catch (InvalidDataException exception)
        {
            return Left<ConvGenError, Dataset>(new ConvGenError($"{source}: not a valid gzip stream ({exception.Message})."));
        }

        if (labels.Count == 0)
        {
            return Left<ConvGenError, Dataset>(new ConvGenError($"{source}: holds no images."));
        }

        return Dataset.Own(source, images.ToArray(), labels.ToArray(), 1, Side, Side, Classes);
    }
}
