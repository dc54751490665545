using System.Diagnostics;
using System.Globalization;
using System.Text;
using ConvGen.IO;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Training;

/// <summary>
/// A CSV log of a run, to plot or diff: pass it as <c>Fit</c>'s progress and it writes one row per epoch, and with
/// <c>steps: true</c> one per step too, each as soon as it is known. Every row goes to the file in one write, so a run
/// that crashes or is killed leaves a file of whole rows up to the last one reported (the operating system holds them;
/// only a power cut can lose what it had not yet put on disk). Other events, and every event, go on to the progress
/// <c>next</c> given to <see cref="Create"/>. Reports come from the training thread; one log serves one run at a time.
/// <para>
/// The columns (<see cref="Header"/>): <c>row</c> (<c>epoch</c> or <c>step</c>), <c>epoch</c>, <c>step</c> (steps taken
/// in the run so far), <c>learning_rate</c>, <c>loss</c> and <c>accuracy</c> (the epoch's mean and accuracy; a step's
/// batch loss and the epoch's running accuracy), <c>validation_loss</c> and <c>validation_accuracy</c> (empty without a
/// validation set, and on step rows), <c>seconds</c> (the epoch's training time; empty on step rows),
/// <c>images_per_second</c> and <c>elapsed_seconds</c> (since the log was created). Numbers are invariant-culture and
/// round-trip: a float read back is the float reported.
/// </para>
/// </summary>
public sealed class MetricsLog : IProgress<TrainingEvent>, IDisposable
{
    /// <summary>The first line of every log.</summary>
    public const string Header = "row,epoch,step,learning_rate,loss,accuracy,validation_loss,validation_accuracy,seconds,images_per_second,elapsed_seconds";

    // Comfortably more than eleven numbers of at most 24 characters each.
    private const int LongestRow = 512;

    private readonly FileStream file;
    private readonly bool steps;
    private readonly IProgress<TrainingEvent>? next;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly char[] text = new char[LongestRow];
    private readonly byte[] bytes = new byte[LongestRow + 1];
    private int stepsTaken;

    private MetricsLog(string path, FileStream file, bool steps, IProgress<TrainingEvent>? next)
    {
        Path = path;
        this.file = file;
        this.steps = steps;
        this.next = next;
    }

    /// <summary>The file the log writes.</summary>
    public string Path { get; }

    /// <summary>
    /// Creates (or replaces) the CSV file at <paramref name="path"/> and writes its header. With <paramref name="steps"/>,
    /// a row per step too; every event is then passed on to <paramref name="next"/>, if given (a console display, say).
    /// </summary>
    public static Either<ConvGenError, MetricsLog> Create(string path, bool steps = false, IProgress<TrainingEvent>? next = null)
    {
        if (FileErrors.CheckPath(path) is { } problem)
        {
            return Left<ConvGenError, MetricsLog>(problem);
        }

        FileStream? file = null;
        try
        {
            // Unbuffered: each row is one write to the operating system, never held back in this process.
            file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
            var log = new MetricsLog(path, file, steps, next);
            log.WriteLine(Header);
            return Right<ConvGenError, MetricsLog>(log);
        }
        catch (Exception exception) when (FileErrors.IsFileProblem(exception))
        {
            file?.Dispose();
            return Left<ConvGenError, MetricsLog>(FileErrors.Writing(path, exception));
        }
    }

    /// <summary>Writes the row of a <see cref="StepCompleted"/> (when logging steps) or an <see cref="EpochCompleted"/>, then passes the event on.</summary>
    /// <exception cref="IOException">The row could not be written (a full disk, say); it stops the run, as any failing progress does.</exception>
    public void Report(TrainingEvent value)
    {
        switch (value)
        {
            case StepCompleted step:
                stepsTaken = ((step.Epoch - 1) * step.StepsPerEpoch) + step.Step;
                if (steps)
                {
                    Row row = new Row(text).Text("step").Number(step.Epoch).Number(stepsTaken).Number(step.LearningRate).Number(step.Loss).Number(step.RunningAccuracy)
                        .Empty().Empty().Empty().Number(step.ImagesPerSecond).Number(clock.Elapsed.TotalSeconds);
                    WriteLine(text.AsSpan(0, row.Length));
                }

                break;
            case EpochCompleted { Metrics: var epoch }:
                Row line = new Row(text).Text("epoch").Number(epoch.Epoch).Number(stepsTaken).Number(epoch.LearningRate).Number(epoch.TrainLoss).Number(epoch.TrainAccuracy)
                    .Optional(epoch.ValidationLoss).Optional(epoch.ValidationAccuracy).Number(epoch.Seconds).Number(epoch.ImagesPerSecond).Number(clock.Elapsed.TotalSeconds);
                WriteLine(text.AsSpan(0, line.Length));
                break;
        }

        next?.Report(value);
    }

    /// <summary>Closes the file; the rows are already in it.</summary>
    public void Dispose() => file.Dispose();

    private void WriteLine(ReadOnlySpan<char> row)
    {
        // The row and its newline in one write: a crash leaves whole rows.
        int length = Encoding.UTF8.GetBytes(row, bytes);
        bytes[length] = (byte)'\n';
        file.Write(bytes, 0, length + 1);
    }

    /// <summary>Comma-separated fields formatted into a buffer, allocating nothing; each call returns the row grown by one field.</summary>
    private ref struct Row(Span<char> buffer)
    {
        private readonly Span<char> buffer = buffer;

        public int Length { get; private set; }

        public Row Text(string value)
        {
            Separate();
            value.AsSpan().CopyTo(buffer[Length..]);
            Length += value.Length;
            return this;
        }

        public Row Number<T>(T value)
            where T : ISpanFormattable
        {
            Separate();
            bool written = value.TryFormat(buffer[Length..], out int characters, default, CultureInfo.InvariantCulture);
            Debug.Assert(written, "a row holds every number");
            Length += characters;
            return this;
        }

        public Row Optional(float? value) => value is float number ? Number(number) : Empty();

        public Row Empty()
        {
            Separate();
            return this;
        }

        private void Separate()
        {
            if (Length > 0)
            {
                buffer[Length++] = ',';
            }
        }
    }
}
