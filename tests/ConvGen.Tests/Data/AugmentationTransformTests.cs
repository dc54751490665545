using ConvGen.Data;

namespace ConvGen.Tests.Data;

/// <summary>
/// Each augmentation transform against values worked out by hand from torchvision's definitions (torchvision is not
/// installed here): padding then cropping, mirroring, the inverse-mapped rotation and shift of <c>F.affine</c> read
/// as <c>grid_sample(align_corners=False)</c> reads, and <c>(x - mean) / std</c>. The random draws are checked by what
/// they produce: every allowed shift occurs, and nothing outside the range does.
/// </summary>
public sealed class AugmentationTransformTests
{
    // 1 2 3 / 4 5 6 / 7 8 9: pixel (row, column) holds 3 row + column + 1.
    private static readonly float[] Three = [1, 2, 3, 4, 5, 6, 7, 8, 9];

    [Fact]
    public void CroppingAPaddedSampleShiftsItAndFillsTheUncoveredBorder()
    {
        // torchvision's RandomCrop(3, padding=1) on the 3x3 sample: the padded 5x5 image, cut at top 0, left 2:
        // padded rows 0..2, columns 2..4 = [0 0 0], [2 3 0], [5 6 0].
        float[] output = new float[9];
        RandomCrop.Crop(Three, output, 1, 3, 3, rowOffset: -1, columnOffset: 1, fill: 0f);
        Assert.Equal([0, 0, 0, 2, 3, 0, 5, 6, 0], output);

        // Each channel alike, with a fill of its own; and a window wholly outside the sample is all fill.
        float[] twoChannels = [.. Three, .. Three.Select(value => -value)];
        float[] shifted = new float[18];
        RandomCrop.Crop(twoChannels, shifted, 2, 3, 3, rowOffset: 1, columnOffset: -2, fill: 0.5f);
        Assert.Equal([0.5f, 0.5f, 4, 0.5f, 0.5f, 7, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, -4, 0.5f, 0.5f, -7, 0.5f, 0.5f, 0.5f], shifted);
        RandomCrop.Crop(Three, output, 1, 3, 3, rowOffset: 0, columnOffset: 3, fill: 9f);
        Assert.All(output, value => Assert.Equal(9f, value));
    }

    [Fact]
    public void ARandomCropShiftsByEveryOffsetUpToThePaddingAndNoFurther()
    {
        // A 5x5 sample whose pixels are all different: the output tells which window was cut.
        float[] sample = [.. Enumerable.Range(1, 25).Select(value => (float)value)];
        var offsets = new Dictionary<(int, int), int>();
        for (int key = 0; key < 2000; key++)
        {
            float[] output = Transformed(new RandomCrop(2), sample, 1, 5, 5, (ulong)key);
            (int, int) found = Offsets(2).Single(offset => Cropped(sample, offset).SequenceEqual(output));
            offsets[found] = offsets.GetValueOrDefault(found) + 1;
        }

        // 25 offsets, each about 80 times in 2000 draws.
        Assert.Equal(25, offsets.Count);
        Assert.All(offsets.Values, count => Assert.InRange(count, 40, 130));

        static float[] Cropped(float[] sample, (int Row, int Column) offset)
        {
            float[] output = new float[25];
            RandomCrop.Crop(sample, output, 1, 5, 5, offset.Row, offset.Column, 0f);
            return output;
        }
    }

    [Fact]
    public void AFlipMirrorsEachRowOfEachChannel()
    {
        float[] sample = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

        Assert.Equal([3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10], Transformed(new RandomHorizontalFlip(1f), sample, 2, 2, 3, key: 1));
        Assert.Equal(sample, Transformed(new RandomHorizontalFlip(0f), sample, 2, 2, 3, key: 1));

        int flipped = Enumerable.Range(0, 1000).Count(key => Transformed(new RandomHorizontalFlip(), sample, 2, 2, 3, (ulong)key)[0] == 3);
        Assert.InRange(flipped, 450, 550);
    }

    [Fact]
    public void AQuarterTurnIsClockwiseAboutTheCentreAndTheShiftComesAfterIt()
    {
        float[] output = new float[9];

        // torchvision's angle turns the image clockwise: the left column becomes the top row.
        RandomAffine.Transform(Three, output, 1, 3, 3, degrees: 90, shiftX: 0, shiftY: 0, Interpolation.Nearest, fill: 0f);
        Assert.Equal([7, 4, 1, 8, 5, 2, 9, 6, 3], output);

        // A shift of one column to the right, the first column filled.
        RandomAffine.Transform(Three, output, 1, 3, 3, degrees: 0, shiftX: 1, shiftY: 0, Interpolation.Nearest, fill: 0f);
        Assert.Equal([0, 1, 2, 0, 4, 5, 0, 7, 8], output);

        // Both: the turned image, then shifted (torchvision's matrix is translation after rotation about the centre).
        RandomAffine.Transform(Three, output, 1, 3, 3, degrees: 90, shiftX: 1, shiftY: 0, Interpolation.Nearest, fill: -1f);
        Assert.Equal([-1, 7, 4, -1, 8, 5, -1, 9, 6], output);

        // An even size turns about the point between the middle pixels: a 2x2 quarter turn is a permutation.
        RandomAffine.Transform([1, 2, 3, 4], output.AsSpan(0, 4), 1, 2, 2, degrees: -90, shiftX: 0, shiftY: 0, Interpolation.Bilinear, fill: 0f);
        AssertClose([2, 4, 1, 3], output[..4]);
    }

    [Fact]
    public void ABilinearTurnReadsBetweenPixelsAndTheFillOutsideTheImage()
    {
        float[] output = new float[9];
        RandomAffine.Transform(Three, output, 1, 3, 3, degrees: 45, shiftX: 0, shiftY: 0, Interpolation.Bilinear, fill: 10f);

        // Output pixel (row 1, column 0) sits at (-1, 0) from the centre; turned back by 45 degrees it reads
        // column 1 - cos45 = 0.29289, row 1 + sin45 = 1.70711, all four taps inside, where the bilinear value of
        // the linear image 3 row + column + 1 is exact: 6.41421.
        double s = Math.Sqrt(0.5);
        Assert.Equal(3 * (1 + s) + (1 - s) + 1, output[3], 5);
        // The centre stays.
        Assert.Equal(5f, output[4], 5);
        // Output (0, 0) sits at (-1, -1): it reads column 1 - 2 cos45 = -0.41421, row 1: a tap at column -1, outside,
        // reads the fill 10 with weight 0.41421, column 0 (value 4) has weight 0.58579.
        double column = 1 - (2 * s);
        Assert.Equal((-column * 10) + ((1 + column) * 4), output[0], 5);
    }

    [Fact]
    public void ARandomAffineShiftsByWholePixelsWithinTheFractionOfTheSize()
    {
        // A 10-wide sample, TranslateX 0.2: shifts of round(uniform(-2, 2)), so -2..2 and each about equally often,
        // the two ends half as often as the middle three (they take only half a unit each).
        float[] sample = [.. Enumerable.Range(1, 10).Select(value => (float)value)];
        var shifts = new Dictionary<int, int>();
        for (int key = 0; key < 2000; key++)
        {
            float[] output = Transformed(new RandomAffine(0f, TranslateX: 0.2f), sample, 1, 1, 10, (ulong)key);
            int shift = Enumerable.Range(-3, 7).Single(candidate => Shifted(sample, candidate).SequenceEqual(output));
            shifts[shift] = shifts.GetValueOrDefault(shift) + 1;
        }

        Assert.Equal([-2, -1, 0, 1, 2], shifts.Keys.Order());
        Assert.InRange(shifts[-2], 170, 330);
        Assert.InRange(shifts[0], 400, 600);
        Assert.Equal(sample, Transformed(new RandomAffine(0f), sample, 1, 1, 10, key: 5));

        static float[] Shifted(float[] sample, int shift)
        {
            float[] output = new float[10];
            RandomCrop.Crop(sample, output, 1, 1, 10, 0, -shift, 0f);
            return output;
        }
    }

    [Fact]
    public void NormalizeSubtractsTheMeanAndDividesByTheStandardDeviationOfEachChannel()
    {
        Assert.Equal([0f, 0.5f, 0.25f, 0.5f], Transformed(new Normalize([1f, 2f], [2f, 4f]), [1, 2, 3, 4], 2, 1, 2, key: 0));

        Dataset digits = DigitsData.LoadEmbedded();
        Dataset expected = digits.Normalize(0.3f, 0.7f).Match(Right: data => data, Left: error => throw new InvalidOperationException(error.Message));
        Dataset actual = new Augmentation(new Normalize(0.3f, 0.7f)).ForEvaluation(digits).Match(Right: data => data, Left: error => throw new InvalidOperationException(error.Message));
        BitAssert.Identical(expected.Images, actual.Images, "normalized digits");
    }

    [Fact]
    public void EachEpochAndSeedTransformsDifferentlyAndTheSameOnesAlike()
    {
        Dataset digits = DigitsData.LoadEmbedded().Select([.. Enumerable.Range(0, 50)]);
        var augmentation = new Augmentation(new RandomCrop(1), new RandomHorizontalFlip(), new RandomAffine(10f, 0.1f, 0.1f) { Interpolation = Interpolation.Bilinear });

        float[] first = Images(augmentation.ApplyTo(digits, seed: 3, epoch: 1));

        BitAssert.Identical(first, Images(augmentation.ApplyTo(digits, seed: 3, epoch: 1)), "the same seed and epoch");
        Assert.NotEqual(first, Images(augmentation.ApplyTo(digits, seed: 3, epoch: 2)));
        Assert.NotEqual(first, Images(augmentation.ApplyTo(digits, seed: 4, epoch: 1)));
        Assert.Equal(digits.Labels.ToArray(), augmentation.ApplyTo(digits, seed: 3, epoch: 1).Match(Right: data => data.Labels.ToArray(), Left: _ => []));
        // The random steps leave out of ForEvaluation: nothing fixed remains, so the data comes back as it was.
        BitAssert.Identical(digits.Images, Images(augmentation.ForEvaluation(digits)), "the evaluation data");
    }

    [Theory]
    [InlineData("crop", "RandomCrop: the padding must be at least 0, got -1.")]
    [InlineData("crop fill", "RandomCrop: the fill must be a finite number, got NaN.")]
    [InlineData("flip", "RandomHorizontalFlip: the probability must lie in [0, 1], got 1.5.")]
    [InlineData("degrees", "RandomAffine: the rotation range must lie in [0, 180] degrees, got -5.")]
    [InlineData("translate", "RandomAffine: the translations are fractions of the size and must lie in [0, 1], got 0.1 and 2.")]
    [InlineData("interpolation", "RandomAffine: 7 is not an interpolation.")]
    [InlineData("std", "Normalize: needs finite means and positive, finite standard deviations, got means [0.5] and standard deviations [0].")]
    [InlineData("counts", "Normalize: needs as many standard deviations as means, at least one, got 2 means and 1 standard deviations.")]
    [InlineData("null", "Augmentation: every transform must be given; a null step cannot run.")]
    public void SettingsThatCannotTransformAreRefused(string setting, string message)
    {
        SampleTransform transform = setting switch
        {
            "crop" => new RandomCrop(-1),
            "crop fill" => new RandomCrop(2) { Fill = float.NaN },
            "flip" => new RandomHorizontalFlip(1.5f),
            "degrees" => new RandomAffine(-5f),
            "translate" => new RandomAffine(5f, 0.1f, 2f),
            "interpolation" => new RandomAffine(5f) { Interpolation = (Interpolation)7 },
            "std" => new Normalize(0.5f, 0f),
            "counts" => new Normalize([0.1f, 0.2f], [0.3f]),
            _ => null!,
        };
        var augmentation = new Augmentation(new RandomHorizontalFlip(), transform);

        Assert.Equal(message, augmentation.Validate());
        Assert.Equal("digits: " + message, augmentation.ApplyTo(Named("digits"), seed: 0, epoch: 1).Match(Right: _ => "applied", Left: error => error.Message));
    }

    [Fact]
    public void ANormalizationForOtherChannelsIsRefusedForTheData()
    {
        var augmentation = new Augmentation(new Normalize([0.4914f, 0.4822f, 0.4465f], [0.247f, 0.243f, 0.261f]));

        Assert.Null(augmentation.Validate());
        Assert.Equal(
            "digits: Normalize: has 3 means and standard deviations for samples of 1 channels; give one per channel, or one for all.",
            augmentation.ForEvaluation(Named("digits")).Match(Right: _ => "applied", Left: error => error.Message));
    }

    private static IEnumerable<(int Row, int Column)> Offsets(int padding) =>
        from row in Enumerable.Range(-padding, (2 * padding) + 1) from column in Enumerable.Range(-padding, (2 * padding) + 1) select (row, column);

    private static float[] Transformed(SampleTransform transform, float[] sample, int channels, int height, int width, ulong key)
    {
        float[] output = [.. sample];
        transform.Apply(output, new float[sample.Length], channels, height, width, key);
        return output;
    }

    private static Dataset Named(string name) =>
        Dataset.Create(name, new float[128], [0, 1], 1, 8, 8, 10).Match(Right: data => data, Left: error => throw new InvalidOperationException(error.Message));

    private static float[] Images(LanguageExt.Either<ConvGenError, Dataset> data) =>
        data.Match(Right: value => value.Images.ToArray(), Left: error => throw new InvalidOperationException(error.Message));

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 5);
        }
    }
}
