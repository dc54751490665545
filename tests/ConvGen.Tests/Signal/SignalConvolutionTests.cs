using ConvGen.Signal;

namespace ConvGen.Tests.Signal;

/// <summary>
/// True convolution and cross-correlation against NumPy 1.24 and SciPy 1.10 (Debian's, beside python3-torch);
/// every expected value below was printed by them for the same inputs.
/// </summary>
public sealed class SignalConvolutionTests
{
    private static readonly float[] A = [1, 2, 3, 4, 5];
    private static readonly float[] V = [1, 0, -1, 2];
    private static readonly Matrix X = Matrix.Generate(3, 4, (row, column) => row * 4 + column);
    private static readonly Matrix K2 = Matrix.FromRows([1, 2], [3, 4]);
    private static readonly Matrix K3 = Matrix.FromRows([1, 2, 0], [3, 4, 1], [0, 1, 1]);

    [Theory]
    [InlineData(ConvolutionMode.Full, new float[] { 1, 2, 2, 4, 6, 2, 3, 10 })]
    [InlineData(ConvolutionMode.Same, new float[] { 2, 2, 4, 6, 2 })]
    [InlineData(ConvolutionMode.Valid, new float[] { 4, 6 })]
    public void ConvolveMatchesNumPy(ConvolutionMode mode, float[] expected)
    {
        Assert.Equal(expected, SignalConvolution.Convolve(A, V, mode));
        Assert.Equal(expected, SignalConvolution.Convolve(V, A, mode));
    }

    [Theory]
    [InlineData(ConvolutionMode.Full, new float[] { 2, 3, 4, 6, 8, -2, 4, 5 }, new float[] { 5, 4, -2, 8, 6, 4, 3, 2 })]
    [InlineData(ConvolutionMode.Same, new float[] { 3, 4, 6, 8, -2 }, new float[] { -2, 8, 6, 4, 3 })]
    [InlineData(ConvolutionMode.Valid, new float[] { 6, 8 }, new float[] { 8, 6 })]
    public void CorrelateMatchesNumPyIncludingSwappedInputs(ConvolutionMode mode, float[] expected, float[] swapped)
    {
        Assert.Equal(expected, SignalConvolution.Correlate(A, V, mode));
        Assert.Equal(swapped, SignalConvolution.Correlate(V, A, mode));
    }

    [Fact]
    public void Convolve2dMatchesSciPy()
    {
        Assert.Equal(Matrix.FromRows([0, 1, 4, 7], [4, 16, 26, 36], [20, 56, 66, 76]), SignalConvolution.Convolve2d(X, K2, ConvolutionMode.Same));
        Assert.Equal(Matrix.FromRows([16, 26, 37, 28], [56, 71, 84, 61], [63, 83, 93, 67]), SignalConvolution.Convolve2d(X, K3, ConvolutionMode.Same));
        Assert.Equal(5, SignalConvolution.Convolve2d(X, K2).Columns);
    }

    [Fact]
    public void Correlate2dMatchesSciPy()
    {
        Assert.Equal(
            Matrix.FromRows([0, 4, 11, 18, 9], [16, 34, 44, 54, 24], [40, 74, 84, 94, 40], [16, 26, 29, 32, 11]),
            SignalConvolution.Correlate2d(X, K2, ConvolutionMode.Full));
        Assert.Equal(Matrix.FromRows([34, 44, 54, 24], [74, 84, 94, 40], [26, 29, 32, 11]), SignalConvolution.Correlate2d(X, K2, ConvolutionMode.Same));
        Assert.Equal(Matrix.FromRows([34, 44, 54], [74, 84, 94]), SignalConvolution.Correlate2d(X, K2, ConvolutionMode.Valid));
    }

    [Fact]
    public void TheNotebooksCorr2dIsValidCrossCorrelationAndDiffersFromConvolution()
    {
        Matrix input = Matrix.FromRows([0, 1, 2], [3, 4, 5], [6, 7, 8]);
        Matrix kernel = Matrix.FromRows([0, 1], [2, 3]);

        Assert.Equal(Matrix.FromRows([19, 25], [37, 43]), SignalConvolution.Correlate2d(input, kernel, ConvolutionMode.Valid));
        // Flipping the kernel is the whole difference: 0*8 + 1*7 + 2*5 + 3*4 = 29 is not 43.
        Assert.Equal(Matrix.FromRows([5, 11], [23, 29]), SignalConvolution.Convolve2d(input, kernel, ConvolutionMode.Valid));
    }

    [Fact]
    public void ValidModeWithAKernelLargerThanTheInputIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => SignalConvolution.Correlate2d(K2, X, ConvolutionMode.Valid));
        Assert.StartsWith("Valid mode needs the kernel (3x4) to fit inside the input (2x2).", error.Message);
    }

    [Fact]
    public void MatricesPrintAsPyTorchPrintsThem()
    {
        Assert.Equal("tensor([[19., 25.],\n        [37., 43.]])", Matrix.FromRows([19, 25], [37, 43]).ToString());
        Assert.Equal("tensor([[ 0.9873, -1.0097]])", Matrix.FromRows([0.9873f, -1.0097f]).ToString());
    }
}
