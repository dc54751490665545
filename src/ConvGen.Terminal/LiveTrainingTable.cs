using Spectre.Console;
using Spectre.Console.Rendering;

namespace ConvGen.Terminal;

/// <summary>The live display's table: a row per epoch, the last one filled in step by step while it runs.</summary>
internal sealed class LiveTrainingTable
{
    // Short headers, so the table fits an 80-column terminal with MNIST's step counts.
    private static readonly string[] Headers = ["epoch", "step", "loss", "acc", "val loss", "val acc", "lr", "img/s", "ETA"];
    private readonly Table table;

    public LiveTrainingTable()
    {
        table = new Table().Border(TableBorder.Rounded);
        foreach (string header in Headers)
        {
            table.AddColumn(new TableColumn(header).RightAligned());
        }
    }

    public IRenderable Renderable => table;

    public int Rows => table.Rows.Count;

    /// <summary>Adds an empty row for an epoch that has begun; returns its index.</summary>
    public int AddRow()
    {
        table.AddRow(Headers.Select(_ => (IRenderable)new Text("")).ToArray());
        return table.Rows.Count - 1;
    }

    /// <summary>Writes one row's figures, in the order of the headers.</summary>
    public void Update(int row, string epoch, string step, string loss, string accuracy, string validationLoss, string validationAccuracy, string learningRate, string imagesPerSecond, string timeLeft)
    {
        string[] cells = [epoch, step, loss, accuracy, validationLoss, validationAccuracy, learningRate, imagesPerSecond, timeLeft];
        for (int column = 0; column < cells.Length; column++)
        {
            table.UpdateCell(row, column, new Text(cells[column]));
        }
    }
}
