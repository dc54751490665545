using System.Collections.Immutable;

namespace ConvGen.Data;

/// <summary>One file of a data set and the SHA-256 of its decompressed content (lowercase hex).</summary>
/// <param name="FileName">The name on the mirrors and in the cache, e.g. <c>train-images-idx3-ubyte.gz</c>.</param>
/// <param name="Sha256">The hash of the decompressed bytes, so a mirror that recompresses still verifies.</param>
public sealed record DatasetFile(string FileName, string Sha256)
{
    /// <summary>
    /// True when <see cref="Sha256"/> is the hash of the file as stored, not of its decompressed content: for an archive
    /// whose publishers give the hash of the <c>.tar.gz</c> itself, as CIFAR-10's do.
    /// </summary>
    public bool HashesStoredBytes { get; init; }
}

/// <summary>
/// Where an IDX data set comes from: its name (also its cache folder), its class count, the mirrors that serve it
/// (base URLs, tried in order) and the checksum of each of its four standard files.
/// </summary>
/// <param name="Name">Short name, e.g. <c>mnist</c>; the cache folder and the prefix of the datasets' names.</param>
/// <param name="Classes">Number of classes; every label must lie below it.</param>
/// <param name="Mirrors">Base URLs ending in <c>/</c>; a file's URL is the base followed by its name.</param>
/// <param name="Files">The four standard files with their checksums.</param>
public sealed record DatasetSource(string Name, int Classes, ImmutableArray<string> Mirrors, ImmutableArray<DatasetFile> Files)
{
    /// <summary>
    /// MNIST, 60,000 train and 10,000 test 28x28 digits, from the mirrors torchvision uses; the checksums are those of
    /// the decompressed canonical files.
    /// </summary>
    public static DatasetSource Mnist { get; } = Standard(
        "mnist",
        ["https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/", "http://yann.lecun.com/exdb/mnist/"],
        trainImages: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        trainLabels: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        testImages: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        testLabels: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    /// <summary>
    /// The project's Fashion-MNIST: the 70,000 images of the npm package <c>fashion-mnist</c> 1.1.0, split per class
    /// into 6,000 train and 1,000 test. This is not Zalando's official split, so no public mirror serves these exact
    /// files: load them from a folder, or place them in the cache by hand; the checksums still verify them.
    /// </summary>
    public static DatasetSource FashionMnist { get; } = Standard(
        "fashion-mnist",
        [],
        trainImages: "5ad549b673a61685f47fb3a7ccc4919e6f3e7eeb1f882baa748469b7988191e7",
        trainLabels: "43277a20be9d0b6891aae744eed0266f4b185c52c80f22cfd6b84b3aa3e7856d",
        testImages: "68b02159c416188b150094edf5e26e1f2cd6e5c2a2efd38f0f25154d17d83003",
        testLabels: "1fbc850995ca266456ed3c0bc7516fb9a794c2012486b660081ec3a5e99c0fcd");

    /// <summary>A data set in the four standard gzipped IDX files, with ten classes.</summary>
    public static DatasetSource Standard(
        string name, ImmutableArray<string> mirrors, string trainImages, string trainLabels, string testImages, string testLabels)
    {
        return new DatasetSource(
            name,
            Classes: 10,
            mirrors,
            [
                new(IdxDataset.TrainImagesFile + ".gz", trainImages),
                new(IdxDataset.TrainLabelsFile + ".gz", trainLabels),
                new(IdxDataset.TestImagesFile + ".gz", testImages),
                new(IdxDataset.TestLabelsFile + ".gz", testLabels),
            ]);
    }
}
