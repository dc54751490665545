using ConvGen.Data;

namespace ConvGen.Tests.Data;

/// <summary>Train and test sets from the four standard IDX files: small generated folders, then the real MNIST and Fashion-MNIST.</summary>
public sealed class IdxDatasetTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void AFolderOfGzippedAndRawFilesLoadsScaledToUnitRange()
    {
        IdxFiles.WriteStandardSet(folder.Path, trainLabels: [1, 2, 9], testLabels: [0, 5]);

        (Dataset train, Dataset test) = Load();

        Assert.Equal("tiny train: 3 samples of 1x4x3, 10 classes", train.ToString());
        Assert.Equal("tiny test: 2 samples of 1x4x3, 10 classes", test.ToString());
        Assert.Equal([1, 2, 9], train.Labels.ToArray());
        // Pixel i of image n is (31n + i) % 256, divided by 255 as torchvision's ToTensor does.
        Assert.Equal(0f, train.Images[0]);
        Assert.Equal(31 / 255f, train.Images[12]);
        Assert.Equal((31 + 11) / 255f, test.Images[23]);
    }

    [Fact]
    public void ADatasetOfSamplesLargerThanOneArrayIsRefusedNotOverflowed()
    {
        // 65536 x 65536 = 2^32 values a sample: SampleSize would overflow int; no samples, so the pixel count check alone passes.
        string error = Dataset.Create("huge", [], [], channels: 1, height: 65536, width: 65536, classes: 10).Match(Right: _ => "created", Left: e => e.Message);

        Assert.Equal("huge: a sample of 1x65536x65536 holds 4294967296 values, more than one array can hold (2147483591).", error);
    }

    [Fact]
    public void ImageAndLabelCountsMustAgree()
    {
        IdxFiles.WriteStandardSet(folder.Path, trainLabels: [1, 2, 9], testLabels: [0, 5]);
        File.WriteAllBytes(folder.File("t10k-labels-idx1-ubyte"), IdxFiles.Labels(0, 5, 7));

        Assert.Equal(
            $"{folder.File("t10k-labels-idx1-ubyte")}: holds 3 labels but {folder.File("t10k-images-idx3-ubyte")} holds 2 images.",
            LoadError());
    }

    [Fact]
    public void ALabelOutsideTheClassesIsRefused()
    {
        IdxFiles.WriteStandardSet(folder.Path, trainLabels: [1, 10, 9], testLabels: [0, 5]);

        Assert.Equal(
            $"{folder.File("train-labels-idx1-ubyte.gz")}: tiny train: sample 1 has label 10, outside the 10 classes 0..9.",
            LoadError());
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        IdxFiles.WriteStandardSet(folder.Path, trainLabels: [1, 2, 9], testLabels: [0, 5]);
        File.Delete(folder.File("t10k-labels-idx1-ubyte"));

        Assert.Equal($"{folder.Path}: holds neither t10k-labels-idx1-ubyte.gz nor t10k-labels-idx1-ubyte.", LoadError());
    }

    [Fact]
    public void TrainAndTestImagesMustHaveOneSize()
    {
        IdxFiles.WriteStandardSet(folder.Path, trainLabels: [1, 2, 9], testLabels: [0, 5]);
        File.WriteAllBytes(folder.File("t10k-images-idx3-ubyte"), IdxFiles.Images(2, 3, 3));

        Assert.Equal("tiny train images are 1x4x3 but tiny test images are 1x3x3.", LoadError());
    }

    [Fact]
    public void NormalizeReturnsANewDatasetAndLeavesTheOriginal()
    {
        IdxFiles.WriteStandardSet(folder.Path, trainLabels: [1, 2, 9], testLabels: [0, 5]);
        (Dataset train, _) = Load();
        float[] before = train.Images.ToArray();

        Dataset normalized = train.Normalize(0.5f, 0.25f).Match(Right: dataset => dataset, Left: error => throw new InvalidOperationException(error.Message));

        Assert.Equal(before, train.Images.ToArray());
        Assert.Equal(before.Select(x => (x - 0.5f) / 0.25f), normalized.Images.ToArray());
        Assert.Equal(train.Labels.ToArray(), normalized.Labels.ToArray());
        Assert.Equal(
            "tiny train: normalizing needs a finite mean and a positive, finite standard deviation, got mean 0.5 and std 0.",
            train.Normalize(0.5f, 0f).Match(Right: _ => "normalized", Left: error => error.Message));
    }

    [Fact]
    public void TheRealMnistLoadsWithItsKnownFacts()
    {
        (Dataset train, Dataset test) = IdxDataset.Load(SharedData.Folder("mnist"), DatasetSource.Mnist)
            .Match(Right: sets => sets, Left: error => throw new InvalidOperationException(error.Message));

        Assert.Equal("mnist train: 60000 samples of 1x28x28, 10 classes", train.ToString());
        Assert.Equal("mnist test: 10000 samples of 1x28x28, 10 classes", test.ToString());
        Assert.Equal(5, train.Labels[0]);
        Assert.Equal(7, test.Labels[0]);
        Assert.Equal(0.1307, Mean(train.Images), precision: 4);
        Assert.Equal(0.1325, Mean(test.Images), precision: 4);
    }

    [Fact]
    public void TheSharedFashionMnistLoadsWithItsKnownFacts()
    {
        (Dataset train, Dataset test) = IdxDataset.Load(SharedData.Folder("fashion-mnist"), DatasetSource.FashionMnist)
            .Match(Right: sets => sets, Left: error => throw new InvalidOperationException(error.Message));

        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        Assert.Equal(0.2860, Mean(train.Images), precision: 4);
    }

    [Theory]
    [InlineData("mnist")]
    [InlineData("fashion-mnist")]
    public void TheCatalogsChecksumsMatchTheSharedFiles(string name)
    {
        DatasetSource source = name == "mnist" ? DatasetSource.Mnist : DatasetSource.FashionMnist;

        Assert.Equal("verified", DatasetDownloader.Verify(source, SharedData.Folder(name)).Match(Right: _ => "verified", Left: error => error.Message));
    }

    private (Dataset Train, Dataset Test) Load() =>
        IdxDataset.Load(folder.Path, "tiny", classes: 10).Match(Right: sets => sets, Left: error => throw new InvalidOperationException(error.Message));

    private string LoadError() => IdxDataset.Load(folder.Path, "tiny", classes: 10).Match(Right: _ => "loaded", Left: error => error.Message);

    private static double Mean(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float value in values)
        {
            sum += value;
        }

        return sum / values.Length;
    }
}
