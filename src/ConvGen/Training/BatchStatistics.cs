namespace ConvGen.Training;

/// <summary>
/// Whether a training batch can go through a network's BatchNorm2d layers: each normalises a channel over the batch's
/// <c>N*H*W</c> values, and one value has no variance (PyTorch refuses it too: "Expected more than 1 value per channel").
/// </summary>
internal static class BatchStatistics
{
    private const string BatchNormKind = "BatchNorm2d";

    /// <summary>The smallest batch a run makes of <paramref name="samples"/>: the last, partial one unless it is dropped.</summary>
    public static int SmallestBatch(int samples, int batchSize, bool dropLast)
    {
        int size = Math.Min(batchSize, samples), left = samples % size;
        return dropLast || left == 0 ? size : left;
    }

    /// <summary>Why a training batch of <paramref name="batch"/> samples cannot pass <paramref name="layout"/>'s BatchNorm layers, or null.</summary>
    public static string? CheckBatch(NetworkLayout layout, int batch)
    {
        foreach (LayerInfo layer in layout.Layers)
        {
            if (layer.Kind == BatchNormKind && (long)batch * layer.OutputShape[1] * layer.OutputShape[2] < 2)
            {
                return $"{layout.NetworkName}: BatchNorm2d '{layer.Name}' normalises {layer.OutputShapeText} planes over the batch, so a training batch of " +
                    $"{batch} sample gives one value per channel, which has no variance; train with batches of at least 2 (DropLast drops a last batch of 1).";
            }
        }

        return null;
    }
}
