using System.Diagnostics;
using ConvGen.Checkpoints;
using ConvGen.Tests.CheckpointWriter;

namespace ConvGen.Tests.Checkpoints;

/// <summary>
/// A process killed while saving leaves the previous checkpoint whole. The child is the CheckpointWriter program,
/// which saves version 1, 2, ... of a 64 MiB network (every value of version k equals k); once version 1 is saved it
/// is killed as soon as a temporary file has data in it, so the kill lands mid-write. The temporary file it leaves
/// proves that; the checkpoint must then be the last version the child reported saved.
/// </summary>
public sealed class InterruptedSaveTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task KillingTheWriterMidSaveLeavesThePreviousCheckpointLoadable()
    {
        string path = folder.File("large.safetensors");
        using Process writer = StartWriter(path);
        string output;
        try
        {
            await WaitForLine(writer, "saved 1");
            await WaitForTemporaryFileWithData();
            writer.Kill(entireProcessTree: true);
            await writer.WaitForExitAsync().WaitAsync(Patience);
            output = await writer.StandardOutput.ReadToEndAsync();
        }
        finally
        {
            if (!writer.HasExited)
            {
                writer.Kill(entireProcessTree: true);
            }
        }

        // The output lags behind the child: a save may have completed (and even the next begun) without its line being
        // read before the kill. So the checkpoint must be one whole version — every value the same — no older than the
        // last version reported and at most one newer; and no more than the one interrupted temporary file remains.
        int lastSaved = output.Split('\n').Where(line => line.StartsWith("saved ", StringComparison.Ordinal)).Select(line => int.Parse(line[6..])).DefaultIfEmpty(1).Max();
        Assert.True(TemporaryFiles().Length <= 1, "more than one temporary file was left behind");
        LargeNet loaded = Checkpoint.Load<LargeNet>(path).Match(Right: network => network, Left: error => throw new InvalidOperationException(error.Message));
        float version = loaded.Parameters.Values[0];
        Assert.True(version == lastSaved || version == lastSaved + 1, $"the checkpoint is version {version}, but version {lastSaved} was the last reported saved");
        Assert.True(loaded.Parameters.Values.IndexOfAnyExcept(version) < 0, $"the checkpoint mixes versions: it starts as version {version}");
    }

    private static Process StartWriter(string path)
    {
        // `dotnet test` tells child processes where its host is; fall back to the one on PATH.
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CheckpointWriter.dll"));
        start.ArgumentList.Add(path);
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the CheckpointWriter process");
    }

    private static async Task WaitForLine(Process writer, string expected)
    {
        while (await writer.StandardOutput.ReadLineAsync().WaitAsync(Patience) is { } line)
        {
            if (line == expected)
            {
                return;
            }
        }

        Assert.Fail($"CheckpointWriter ended before printing '{expected}': {await writer.StandardError.ReadToEndAsync()}");
    }

    private async Task WaitForTemporaryFileWithData()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            if (TemporaryFiles() is [{ Length: > 0 }])
            {
                return;
            }

            await Task.Delay(1);
        }

        throw new TimeoutException("CheckpointWriter never started writing a second version.");
    }

    // AtomicFile names them ".{name}.{guid}.tmp" beside the target; one is left behind only by an interrupted save.
    private FileInfo[] TemporaryFiles() => new DirectoryInfo(folder.Path).GetFiles(".large.safetensors.*.tmp");
}
