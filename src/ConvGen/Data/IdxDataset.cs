using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Data;

/// <summary>
/// A train and test set stored as the four standard IDX files (MNIST's layout, also Fashion-MNIST's, KMNIST's, ...),
/// raw or gzipped. Pixels are scaled to [0, 1] by dividing by 255, as torchvision's <c>ToTensor</c> does.
/// </summary>
public static class IdxDataset
{
    /// <summary>The training images' file name, without <c>.gz</c>.</summary>
    public const string TrainImagesFile = "train-images-idx3-ubyte";

    /// <summary>The training labels' file name, without <c>.gz</c>.</summary>
    public const string TrainLabelsFile = "train-labels-idx1-ubyte";

    /// <summary>The test images' file name, without <c>.gz</c>.</summary>
    public const string TestImagesFile = "t10k-images-idx3-ubyte";

    /// <summary>The test labels' file name, without <c>.gz</c>.</summary>
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte";

    private const float MaximumLevel = 255f;

    /// <summary>
    /// The data set <paramref name="source"/> describes: from <paramref name="dataFolder"/> when given (no network,
    /// no checksum: a local folder always works), otherwise from the cache, downloading and verifying what is missing.
    /// </summary>
    public static async Task<Either<ConvGenError, (Dataset Train, Dataset Test)>> LoadAsync(
        DatasetSource source, string? dataFolder = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (dataFolder is not null)
        {
            return Load(dataFolder, source);
        }

        Either<ConvGenError, string> cached = await DatasetDownloader.FetchAsync(source, cancellationToken: cancellationToken).ConfigureAwait(false);
        return cached.Bind(folder => Load(folder, source));
    }

    /// <summary>The data set <paramref name="source"/> describes, from the files in <paramref name="folder"/>.</summary>
    public static Either<ConvGenError, (Dataset Train, Dataset Test)> Load(string folder, DatasetSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Load(folder, source.Name, source.Classes);
    }

    /// <summary>
    /// Train and test sets, <c>(N, 1, H, W)</c> each, from the four standard files in <paramref name="folder"/>,
    /// named <c>"{name} train"</c> and <c>"{name} test"</c>. Checks that image and label counts agree, that every label
    /// lies below <paramref name="classes"/>, and that train and test images have the same size.
    /// </summary>
    public static Either<ConvGenError, (Dataset Train, Dataset Test)> Load(string folder, string name, int classes)
    {
        if (IO.FileErrors.CheckPath(folder) is { } badPath)
        {
            return Left<ConvGenError, (Dataset, Dataset)>(badPath);
        }

        return
            from train in LoadSplit(folder, TrainImagesFile, TrainLabelsFile, name + " train", classes)
            from test in LoadSplit(folder, TestImagesFile, TestLabelsFile, name + " test", classes)
            from checkedTest in SameSampleShape(train, test)
            select (train, checkedTest);
    }

    private static Either<ConvGenError, Dataset> LoadSplit(string folder, string imagesFile, string labelsFile, string name, int classes)
    {
        return
            from imagesPath in Find(folder, imagesFile)
            from labelsPath in Find(folder, labelsFile)
            from images in IdxReader.ReadImages(imagesPath)
            from labels in IdxReader.ReadLabels(labelsPath)
            from dataset in ToDataset(name, images, imagesPath, labels, labelsPath, classes)
            select dataset;
    }

    private static Either<ConvGenError, string> Find(string folder, string file)
    {
        string gzipped = Path.Combine(folder, file + ".gz"), raw = Path.Combine(folder, file);
        return File.Exists(gzipped) ? Right<ConvGenError, string>(gzipped)
            : File.Exists(raw) ? Right<ConvGenError, string>(raw)
            : Left<ConvGenError, string>(new ConvGenError($"{folder}: holds neither {file}.gz nor {file}."));
    }

    private static Either<ConvGenError, Dataset> ToDataset(string name, IdxArray images, string imagesPath, IdxArray labels, string labelsPath, int classes)
    {
        int count = images.Dimensions[0], height = images.Dimensions[1], width = images.Dimensions[2];
        if (labels.Dimensions[0] != count)
        {
            return Left<ConvGenError, Dataset>(new ConvGenError($"{labelsPath}: holds {labels.Dimensions[0]} labels but {imagesPath} holds {count} images."));
        }

        // Four bytes per pixel from here on: checked first, so a file that fits as bytes cannot exhaust memory as floats.
        long pixelBytes = (long)images.Values.Length * sizeof(float), available = RunMemory.AvailableBytes(collect: false);
        if (pixelBytes > available)
        {
            return Left<ConvGenError, Dataset>(new ConvGenError(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"{imagesPath}: {count:N0} images of {height}x{width} take {pixelBytes:N0} bytes as float32 pixels, more than the {available:N0} bytes this process may still use.")));
        }

        float[] pixels = new float[images.Values.Length];
        ReadOnlySpan<byte> levels = images.Values;
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = levels[i] / MaximumLevel;
        }

        int[] classIndices = new int[count];
        ReadOnlySpan<byte> labelBytes = labels.Values;
        for (int i = 0; i < count; i++)
        {
            classIndices[i] = labelBytes[i];
        }

        return Dataset.Own(name, pixels, classIndices, channels: 1, height, width, classes)
            .MapLeft(error => new ConvGenError($"{labelsPath}: {error.Message}"));
    }

    private static Either<ConvGenError, Dataset> SameSampleShape(Dataset train, Dataset test)
    {
        return train.SampleShapeText == test.SampleShapeText
            ? Right<ConvGenError, Dataset>(test)
            : Left<ConvGenError, Dataset>(new ConvGenError($"{train.Name} images are {train.SampleShapeText} but {test.Name} images are {test.SampleShapeText}."));
    }
}
