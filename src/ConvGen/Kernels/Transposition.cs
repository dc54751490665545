using System.Runtime.CompilerServices;

namespace ConvGen.Kernels;

/// <summary>
/// Turns a product computed one way round into the layout a layer hands on: <c>destination[j, i] = source[i, j] (+ bias[j])</c>.
/// Products come out pixel- or sample-major because that orientation reads the big operand where it lies; the copy
/// costs one pass over the (small) result.
/// </summary>
internal static unsafe class Transposition
{
    // Square blocks small enough that a block's source rows and destination rows all stay in L1.
    private const int Block = 16;

    /// <summary>
    /// Writes the transpose of the <paramref name="rows"/> x <paramref name="columns"/> matrix at <paramref name="source"/>
    /// (rows <paramref name="sourceStride"/> apart) to <paramref name="destination"/> (rows <paramref name="destinationStride"/>
    /// apart), adding <c>bias[j]</c> to destination row j when <paramref name="bias"/> is not null.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose(float* source, int rows, int columns, nint sourceStride, float* destination, nint destinationStride, float* bias)
    {
        for (int rowBlock = 0; rowBlock < rows; rowBlock += Block)
        {
            int rowEnd = Math.Min(rowBlock + Block, rows);
            for (int columnBlock = 0; columnBlock < columns; columnBlock += Block)
            {
                int columnEnd = Math.Min(columnBlock + Block, columns);
                for (int j = columnBlock; j < columnEnd; j++)
                {
                    float* target = destination + j * destinationStride;
                    float* from = source + j;
                    if (bias == null)
                    {
                        for (int i = rowBlock; i < rowEnd; i++)
                        {
                            target[i] = from[i * sourceStride];
                        }

                        continue;
                    }

                    float add = bias[j];
                    for (int i = rowBlock; i < rowEnd; i++)
                    {
                        target[i] = from[i * sourceStride] + add;
                    }
                }
            }
        }
    }
}
