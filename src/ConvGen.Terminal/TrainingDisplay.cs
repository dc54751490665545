using ConvGen.Training;
using Spectre.Console;

namespace ConvGen.Terminal;

/// <summary>
/// Shows a training run's progress (<see cref="IProgress{T}"/> of <see cref="TrainingEvent"/>) on a console: a live
/// table on a terminal, redrawn as the steps go, with epoch, step, loss, accuracy, validation figures, learning rate,
/// images/s and the time left; or one plain line per epoch where the output goes to a file or a pipe, so a log never
/// fills with redraws. Pass the display's progress to <c>Trainer.Fit</c> inside <see cref="Show{T}"/>.
/// </summary>
/// <example>
/// <code>
/// TrainingDisplay display = TrainingDisplay.ForConsole();
/// var fitted = display.Show(progress => Trainer.Fit(model, train, options, validation: test, progress));
/// </code>
/// </example>
public sealed class TrainingDisplay
{
    private readonly IAnsiConsole? live;
    private readonly TextWriter? plain;
    private readonly TimeProvider time;

    private TrainingDisplay(IAnsiConsole? live, TextWriter? plain, TimeProvider time) => (this.live, this.plain, this.time) = (live, plain, time);

    /// <summary>True when the display redraws a live table; false when it writes plain lines.</summary>
    public bool IsLive => live is not null;

    /// <summary>
    /// The process's console: live on an interactive terminal that takes ANSI codes, plain lines on standard output
    /// when it is redirected (a file, a pipe, CI) or the terminal cannot redraw.
    /// </summary>
    public static TrainingDisplay ForConsole()
    {
        IAnsiConsole console = AnsiConsole.Console;
        return !Console.IsOutputRedirected && CanRedraw(console) ? Live(console) : Plain(Console.Out);
    }

    /// <summary>Live on <paramref name="console"/> when it is interactive and takes ANSI codes, otherwise plain lines to <paramref name="plainOutput"/>.</summary>
    public static TrainingDisplay For(IAnsiConsole console, TextWriter plainOutput)
    {
        ArgumentNullException.ThrowIfNull(console);
        return CanRedraw(console) ? Live(console) : Plain(plainOutput);
    }

    /// <summary>One line per epoch on <paramref name="output"/>: for logs, and for tests, whose text it is deterministic in all but the timings.</summary>
    public static TrainingDisplay Plain(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return new TrainingDisplay(live: null, output, TimeProvider.System);
    }

    /// <summary>A live table on <paramref name="console"/>; <paramref name="time"/> (the system clock by default) paces redraws and estimates the time left.</summary>
    public static TrainingDisplay Live(IAnsiConsole console, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        return new TrainingDisplay(console, plain: null, time ?? TimeProvider.System);
    }

    /// <summary>Runs <paramref name="work"/> with a progress that this display shows, and returns what it returns.</summary>
    public T Show<T>(Func<IProgress<TrainingEvent>, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (live is null)
        {
            return work(new PlainTrainingProgress(plain!));
        }

        var table = new LiveTrainingTable();
        return live.Live(table.Renderable).AutoClear(false).Start(context => work(new LiveTrainingProgress(table, context, time)));
    }

    /// <summary>As <see cref="Show{T}"/>, for work that runs asynchronously (loading data first, say).</summary>
    public async Task<T> ShowAsync<T>(Func<IProgress<TrainingEvent>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (live is null)
        {
            return await work(new PlainTrainingProgress(plain!)).ConfigureAwait(false);
        }

        var table = new LiveTrainingTable();
        return await live.Live(table.Renderable).AutoClear(false)
            .StartAsync(context => work(new LiveTrainingProgress(table, context, time))).ConfigureAwait(false);
    }

    private static bool CanRedraw(IAnsiConsole console) => console.Profile.Capabilities is { Interactive: true, Ansi: true };
}
