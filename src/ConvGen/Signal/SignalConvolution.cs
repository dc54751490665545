namespace ConvGen.Signal;

/// <summary>How much of a convolution's output to keep, as NumPy and SciPy name it.</summary>
public enum ConvolutionMode
{
    /// <summary>Every position where the kernel overlaps the input at all: length <c>n + k - 1</c>.</summary>
    Full,

    /// <summary>The centre of the full output, as long as the (first) input.</summary>
    Same,

    /// <summary>Only positions where the kernel lies wholly inside the input: length <c>n - k + 1</c>.</summary>
    Valid,
}

/// <summary>
/// True convolution, which flips the kernel, beside cross-correlation, which does not — the contrast the notebooks
/// draw. 1-D follows <c>numpy.convolve</c> / <c>numpy.correlate</c>; 2-D follows <c>scipy.signal.convolve2d</c> /
/// <c>correlate2d</c>, modes included. (A CNN's "convolution" layer computes the cross-correlation.)
/// </summary>
public static class SignalConvolution
{
    /// <summary><c>numpy.convolve(a, v, mode)</c>: <c>c[k] = sum_i a[i] v[k - i]</c>; the longer input is the signal.</summary>
    public static float[] Convolve(ReadOnlySpan<float> a, ReadOnlySpan<float> v, ConvolutionMode mode = ConvolutionMode.Full)
    {
        RequireNonEmpty(a.Length, v.Length);
        if (v.Length > a.Length)
        {
            return Convolve(v, a, mode);
        }

        float[] full = new float[a.Length + v.Length - 1];
        for (int i = 0; i < a.Length; i++)
        {
            for (int j = 0; j < v.Length; j++)
            {
                full[i + j] += a[i] * v[j];
            }
        }

        (int start, int length) = Window(mode, a.Length, v.Length, same: a.Length, sameStart: (v.Length - 1) / 2);
        return full.AsSpan(start, length).ToArray();
    }

    /// <summary><c>numpy.correlate(a, v, mode)</c>, default <c>valid</c>: <c>c[k] = sum_n a[n + k] v[n]</c>.</summary>
    public static float[] Correlate(ReadOnlySpan<float> a, ReadOnlySpan<float> v, ConvolutionMode mode = ConvolutionMode.Valid)
    {
        RequireNonEmpty(a.Length, v.Length);
        if (v.Length > a.Length)
        {
            // NumPy swaps the inputs and reverses the result.
            float[] swapped = Correlate(v, a, mode);
            Array.Reverse(swapped);
            return swapped;
        }

        float[] flipped = v.ToArray();
        Array.Reverse(flipped);
        return Convolve(a, flipped, mode);
    }

    /// <summary><c>scipy.signal.convolve2d(input, kernel, mode)</c>: the kernel rotated half a turn and slid over the input.</summary>
    /// <exception cref="ArgumentException"><see cref="ConvolutionMode.Valid"/> with a kernel larger than the input.</exception>
    public static Matrix Convolve2d(Matrix input, Matrix kernel, ConvolutionMode mode = ConvolutionMode.Full) =>
        Slide(input, kernel.Rotate180(), mode, sameStart: size => (size - 1) / 2);

    /// <summary><c>scipy.signal.correlate2d(input, kernel, mode)</c>: the kernel slid over the input as it is.</summary>
    /// <exception cref="ArgumentException"><see cref="ConvolutionMode.Valid"/> with a kernel larger than the input.</exception>
    public static Matrix Correlate2d(Matrix input, Matrix kernel, ConvolutionMode mode = ConvolutionMode.Full) =>
        Slide(input, kernel, mode, sameStart: size => size / 2);

    // Cross-correlation over the zero-padded input, then the window the mode keeps; SciPy centres 'same' differently
    // for convolution and correlation when the kernel size is even, hence sameStart.
    private static Matrix Slide(Matrix input, Matrix kernel, ConvolutionMode mode, Func<int, int> sameStart)
    {
        if (mode == ConvolutionMode.Valid && (kernel.Rows > input.Rows || kernel.Columns > input.Columns))
        {
            throw new ArgumentException(
                $"Valid mode needs the kernel ({kernel.Rows}x{kernel.Columns}) to fit inside the input ({input.Rows}x{input.Columns}).", nameof(kernel));
        }

        (int top, int rows) = Window(mode, input.Rows, kernel.Rows, same: input.Rows, sameStart: sameStart(kernel.Rows));
        (int left, int columns) = Window(mode, input.Columns, kernel.Columns, same: input.Columns, sameStart: sameStart(kernel.Columns));
        return Matrix.Generate(rows, columns, (row, column) =>
        {
            // Output (row, column) of the full correlation has the kernel's top-left at input (y, x).
            int y = top + row - (kernel.Rows - 1), x = left + column - (kernel.Columns - 1);
            float sum = 0f;
            for (int ky = 0; ky < kernel.Rows; ky++)
            {
                for (int kx = 0; kx < kernel.Columns; kx++)
                {
                    int iy = y + ky, ix = x + kx;
                    if ((uint)iy < (uint)input.Rows && (uint)ix < (uint)input.Columns)
                    {
                        sum += input[iy, ix] * kernel[ky, kx];
                    }
                }
            }

            return sum;
        });
    }

    // Which part of the full output (length n + k - 1) a mode keeps.
    private static (int Start, int Length) Window(ConvolutionMode mode, int n, int k, int same, int sameStart) => mode switch
    {
        ConvolutionMode.Full => (0, n + k - 1),
        ConvolutionMode.Same => (sameStart, same),
        ConvolutionMode.Valid => (k - 1, n - k + 1),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown convolution mode."),
    };

    private static void RequireNonEmpty(int a, int v)
    {
        if (a == 0 || v == 0)
        {
            throw new ArgumentException("Both inputs must hold at least one value (NumPy refuses empty ones too).");
        }
    }
}
