using System.Globalization;
using System.Text;

namespace ConvGen.Signal;

/// <summary>
/// A small immutable row-major 2-D array of float32, for the signal-processing functions and the samples that
/// reproduce the notebooks' printed values. Prints as PyTorch prints a 2-D tensor.
/// </summary>
public sealed class Matrix : IEquatable<Matrix>
{
    private readonly float[] values;

    private Matrix(int rows, int columns, float[] values)
    {
        Rows = rows;
        Columns = columns;
        this.values = values;
    }

    /// <summary>Number of rows (height).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (width).</summary>
    public int Columns { get; }

    /// <summary>All values, row after row.</summary>
    public ReadOnlySpan<float> Values => values;

    /// <summary>The value at (<paramref name="row"/>, <paramref name="column"/>).</summary>
    public float this[int row, int column] => values[Index(row, column)];

    /// <summary>A matrix from its rows, which must all have the same length.</summary>
    /// <exception cref="ArgumentException">No rows, or rows of different lengths.</exception>
    public static Matrix FromRows(params float[][] rows)
    {
        if (rows.Length == 0 || rows[0].Length == 0)
        {
            throw new ArgumentException("A matrix needs at least one row and one column.", nameof(rows));
        }

        int columns = rows[0].Length;
        int ragged = Array.FindIndex(rows, row => row.Length != columns);
        if (ragged >= 0)
        {
            throw new ArgumentException($"Row {ragged} has {rows[ragged].Length} values but row 0 has {columns}.", nameof(rows));
        }

        return new Matrix(rows.Length, columns, rows.SelectMany(row => row).ToArray());
    }

    /// <summary>A <paramref name="rows"/> x <paramref name="columns"/> matrix holding a copy of <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">The count of values is not rows * columns.</exception>
    public static Matrix Create(int rows, int columns, ReadOnlySpan<float> values)
    {
        if (rows < 1 || columns < 1 || values.Length != rows * columns)
        {
            throw new ArgumentException($"A {rows}x{columns} matrix holds {rows * columns} values, not {values.Length}.", nameof(values));
        }

        return new Matrix(rows, columns, values.ToArray());
    }

    /// <summary>A matrix whose value at (r, c) is <paramref name="value"/>(r, c).</summary>
    public static Matrix Generate(int rows, int columns, Func<int, int, float> value)
    {
        var values = new float[rows * columns];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = value(i / columns, i % columns);
        }

        return Create(rows, columns, values);
    }

    /// <summary>The matrix turned half a turn: what a true convolution does to its kernel.</summary>
    public Matrix Rotate180()
    {
        float[] rotated = values.ToArray();
        Array.Reverse(rotated);
        return new Matrix(Rows, Columns, rotated);
    }

    /// <inheritdoc/>
    public bool Equals(Matrix? other) => other is not null && Rows == other.Rows && Columns == other.Columns && values.AsSpan().SequenceEqual(other.values);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Matrix);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Rows, Columns, values.Length > 0 ? values[0] : 0f);

    /// <summary>As PyTorch prints it: <c>tensor([[19., 25.], [37., 43.]])</c>, one row a line, columns aligned.</summary>
    public override string ToString()
    {
        bool integral = values.All(value => value == MathF.Round(value) && MathF.Abs(value) < 1e7f);
        string[] cells = values.Select(value => integral
            ? value.ToString("0", CultureInfo.InvariantCulture) + "."
            : value.ToString("0.0000", CultureInfo.InvariantCulture)).ToArray();
        int width = cells.Max(cell => cell.Length);
        var text = new StringBuilder("tensor([");
        for (int row = 0; row < Rows; row++)
        {
            text.Append(row == 0 ? "[" : ",\n        [");
            text.Append(string.Join(", ", cells.Skip(row * Columns).Take(Columns).Select(cell => cell.PadLeft(width))));
            text.Append(']');
        }

        return text.Append("])").ToString();
    }

    private int Index(int row, int column)
    {
        if ((uint)row >= (uint)Rows || (uint)column >= (uint)Columns)
        {
            throw new ArgumentOutOfRangeException(nameof(row), $"({row}, {column}) is outside this {Rows}x{Columns} matrix.");
        }

        return row * Columns + column;
    }
}
