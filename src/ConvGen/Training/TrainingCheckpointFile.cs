using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ConvGen.Checkpoints;
using ConvGen.IO;
using ConvGen.Layers;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Training;

/// <summary>
/// A run's resumable state (<see cref="TrainingCheckpoint{TNet}"/>) as ONE safetensors file. Tensors: the model under its
/// PyTorch <c>state_dict()</c> keys (BatchNorm buffers included, so <c>load_state_dict(..., strict=False)</c> reads it), the
/// optimizer's moments as flat vectors over the trainable values in layout order (<c>optimizer.first_moment</c>: SGD's
/// momentum buffer or Adam's <c>exp_avg</c>; <c>optimizer.second_moment</c>: Adam's <c>exp_avg_sq</c>), and, when early
/// stopping keeps one, the best model under <c>best.</c> keys. The <c>__metadata__</c> holds the rest as text: the
/// position (<c>convgen.epoch</c>, <c>convgen.step</c>, <c>convgen.steps_taken</c>), the epoch's running sums, Adam's step
/// count, the schedule's position, the history, the best epoch, the settings a resumed run must keep (<c>convgen.run.*</c>),
/// and the random state: the data order of an epoch and the dropout masks of a step are drawn from counter-based streams
/// (<c>convgen.rng.data_order</c> is this epoch's permutation seed, <c>convgen.rng.dropout</c> the next step's mask seed),
/// derived from the seed and the position, and checked against them on loading.
/// </summary>
public static class TrainingCheckpoint
{
    private const string Kind = "convgen.checkpoint";
    private const string KindValue = "training-state-1";
    private const string FirstMoment = "optimizer.first_moment";
    private const string SecondMoment = "optimizer.second_moment";
    private const string BestPrefix = "best.";

    /// <summary>Writes <paramref name="checkpoint"/> to <paramref name="path"/> atomically: a crash or kill while saving leaves the previous file intact.</summary>
    public static Either<ConvGenError, Unit> Save<TNet>(TrainingCheckpoint<TNet> checkpoint, string path)
        where TNet : class
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (FileErrors.CheckPath(path) is { } badPath)
        {
            return badPath;
        }

        NetworkDefinition<TNet> definition = checkpoint.Definition;
        OptimizerState state = checkpoint.OptimizerState;
        TNet? best = checkpoint.Best?.Model;
        ImmutableArray<ParameterInfo> layout = LayoutOf(definition.Layout, MomentsOf(state), best is not null);
        float[] values = new float[layout.Sum(parameter => parameter.Length)];
        definition.ParametersOf(checkpoint.Model).Values.CopyTo(values);
        int offset = definition.Layout.Parameters.Sum(parameter => parameter.Length);
        state.First.CopyTo(values, offset);
        state.Second.CopyTo(values, offset + state.First.Length);
        if (best is not null)
        {
            definition.ParametersOf(best).Values.CopyTo(values.AsSpan(offset + state.First.Length + state.Second.Length));
        }

        var parameters = ParameterSet.Own(layout, values);
        KeyValuePair<string, string>[] metadata = Metadata(checkpoint);
        return AtomicFile.Write(path, stream => SafeTensors.Write(stream, parameters, metadata));
    }

    /// <summary>
    /// The resumable state stored in <paramref name="path"/> for a <typeparamref name="TNet"/>: an error names the file and
    /// what is wrong (not a resumable checkpoint, another network's tensors, a truncated file, a missing or malformed entry).
    /// </summary>
    public static Either<ConvGenError, TrainingCheckpoint<TNet>> Load<TNet>(string path)
        where TNet : class, INetwork<TNet> =>
        Load(NetworkDefinition.Of<TNet>(), path);

    /// <summary>As the generic overload, for a network composed at run time with <paramref name="architecture"/>.</summary>
    public static Either<ConvGenError, TrainingCheckpoint<SequentialNetwork>> Load(Sequential architecture, string path)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return Load(architecture.Definition, path);
    }

    /// <summary>As the public overloads, for any network <paramref name="definition"/> describes.</summary>
    internal static Either<ConvGenError, TrainingCheckpoint<TNet>> Load<TNet>(NetworkDefinition<TNet> definition, string path)
        where TNet : class =>
        Checkpoint.ReadFile(path, metadata => ExpectedLayout(definition.Layout, metadata))
            .Bind(file => FromFile(definition, file.Tensors, new MetadataReader(file.Metadata)).MapLeft(problem => new ConvGenError($"{path}: {problem}")));

    // The tensors a file of this metadata must hold; a model-only checkpoint is told apart from a damaged one.
    private static Either<string, ImmutableArray<ParameterInfo>> ExpectedLayout(NetworkLayout network, IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(Kind, out string? kind))
        {
            return $"not a resumable training checkpoint: its metadata has no {Kind}. A model-only checkpoint (Checkpoint.Save) holds no optimizer state " +
                "or position to resume from; load it with Checkpoint.Load.";
        }

        var reader = new MetadataReader(metadata);
        int moments = reader.Whole("convgen.optimizer_moments", maximum: 2);
        bool best = reader.Flag("convgen.best_model");
        return kind != KindValue ? $"{Kind} is '{kind}', but this version of ConvGen reads '{KindValue}'."
            : reader.Problem is { } problem ? problem
            : LayoutOf(network, moments, best);
    }

    private static ImmutableArray<ParameterInfo> LayoutOf(NetworkLayout network, int moments, bool best)
    {
        var layout = ImmutableArray.CreateBuilder<ParameterInfo>();
        layout.AddRange(network.Parameters);
        int offset = network.Parameters.Sum(parameter => parameter.Length);
        foreach (string name in new[] { FirstMoment, SecondMoment }.Take(moments))
        {
            layout.Add(new ParameterInfo(name, offset, [network.TrainableCount]));
            offset += network.TrainableCount;
        }

        if (best)
        {
            layout.AddRange(network.Parameters.Select(parameter => parameter with { Name = BestPrefix + parameter.Name, Offset = offset + parameter.Offset }));
        }

        return layout.ToImmutable();
    }

    private static int MomentsOf(OptimizerState state) => (state.First.Length > 0 ? 1 : 0) + (state.Second.Length > 0 ? 1 : 0);

    private static KeyValuePair<string, string>[] Metadata<TNet>(TrainingCheckpoint<TNet> checkpoint)
        where TNet : class
    {
        RunPosition position = checkpoint.Position;
        RunSettings settings = checkpoint.Settings;
        int runStep = position.RunStep(settings.StepsPerEpoch);
        var metadata = new List<KeyValuePair<string, string>>
        {
            new("format", "pt"),
            new("convgen.network", checkpoint.Definition.Layout.NetworkName),
            new(Kind, KindValue),
            new("convgen.epoch", Text(position.Epoch)),
            new("convgen.step", Text(position.Step)),
            new("convgen.steps_taken", Text(position.StepsTaken)),
            new("convgen.epoch_loss_sum", Text(position.LossSum)),
            new("convgen.epoch_right", Text(position.Predictions.Right)),
            new("convgen.epoch_judged", Text(position.Predictions.Judged)),
            new("convgen.epoch_absolute_error", Text(position.Predictions.AbsoluteError)),
            new("convgen.epoch_values", Text(position.Predictions.Values)),
            new("convgen.epoch_seconds", Text(position.Seconds)),
            new("convgen.optimizer_moments", Text(MomentsOf(checkpoint.OptimizerState))),
            new("convgen.optimizer_step", Text(checkpoint.OptimizerState.Step)),
            new("convgen.schedule_position", settings.SchedulePosition(position) is { } index ? Text(index) : "none"),
            new("convgen.rng.data_order", Text(RunPosition.DataOrderSeed(settings.Seed, position.Epoch))),
            new("convgen.rng.dropout", Text(RunPosition.DropoutSeed(settings.Seed, runStep))),
            new("convgen.best_model", RunSettings.Describe(checkpoint.Best?.Model is not null)),
            new("convgen.best_epoch", checkpoint.Best is { } best ? Text(best.Epoch) : "none"),
            new("convgen.best_loss", checkpoint.Best is { } lowest ? Text(lowest.Loss) : "none"),
            new("convgen.history", HistoryJson(checkpoint.History)),
        };
        metadata.AddRange(settings.Entries().Select(entry => new KeyValuePair<string, string>("convgen.run." + entry.Key, entry.Value)));
        return [.. metadata];
    }

    private static Either<string, TrainingCheckpoint<TNet>> FromFile<TNet>(NetworkDefinition<TNet> definition, ParameterSet tensors, MetadataReader read)
        where TNet : class
    {
        var settings = new RunSettings(
            read.Whole("convgen.run.seed", minimum: int.MinValue), read.Whole("convgen.run.batch_size", minimum: 1), read.Flag("convgen.run.drop_last"),
            read.Text("convgen.run.loss"), read.Text("convgen.run.l2_penalty"), read.Text("convgen.run.optimizer"), read.Text("convgen.run.schedule"),
            read.Text("convgen.run.schedule_interval"),
            read.Whole("convgen.run.training_samples", minimum: 1));
        var position = new RunPosition(
            read.Whole("convgen.epoch", minimum: 1), read.Whole("convgen.step"), read.Whole("convgen.steps_taken"),
            read.Number("convgen.epoch_loss_sum"),
            new PredictionSums(
                read.Count("convgen.epoch_right"), read.Count("convgen.epoch_judged"), read.Number("convgen.epoch_absolute_error"), read.Count("convgen.epoch_values")),
            read.Number("convgen.epoch_seconds"));
        int optimizerStep = read.Whole("convgen.optimizer_step");
        string bestEpoch = read.Text("convgen.best_epoch"), bestLoss = read.Text("convgen.best_loss");
        ImmutableArray<EpochMetrics> history = read.Problem is null ? read.History("convgen.history") : [];
        string? dataOrder = read.Text("convgen.rng.data_order"), dropout = read.Text("convgen.rng.dropout");
        if (read.Problem is { } problem)
        {
            return problem;
        }

        int stepsPerEpoch = settings.StepsPerEpoch;
        int runStep = position.RunStep(stepsPerEpoch);
        if (position.Step >= stepsPerEpoch)
        {
            return $"convgen.step is {position.Step}, but an epoch of the run has only {stepsPerEpoch} steps.";
        }

        if (dataOrder != Text(RunPosition.DataOrderSeed(settings.Seed, position.Epoch)) || dropout != Text(RunPosition.DropoutSeed(settings.Seed, runStep)))
        {
            return $"the random state (convgen.rng.data_order {dataOrder}, convgen.rng.dropout {dropout}) is not the one seed {settings.Seed} gives at epoch " +
                $"{position.Epoch}, step {position.Step}: the file was edited or damaged.";
        }

        if (history.Length != position.Epoch - 1)
        {
            return $"convgen.history holds {history.Length} epochs, but the run is in epoch {position.Epoch}.";
        }

        NetworkLayout network = definition.Layout;
        int modelLength = network.Parameters.Sum(parameter => parameter.Length);
        float[] Moment(string name) => tensors.Layout.Any(parameter => parameter.Name == name) ? tensors[name].ToArray() : [];
        var state = new OptimizerState(optimizerStep, Moment(FirstMoment), Moment(SecondMoment));
        TNet Model(int offset) => definition.FromParameters(ParameterSet.Create(network.Parameters, tensors.Values.Slice(offset, modelLength)));
        bool hasBest = tensors.Layout.Any(parameter => parameter.Name.StartsWith(BestPrefix, StringComparison.Ordinal));
        BestEpoch<TNet>? best = bestEpoch == "none" ? null : new BestEpoch<TNet>(
            int.Parse(bestEpoch, CultureInfo.InvariantCulture),
            float.Parse(bestLoss, CultureInfo.InvariantCulture),
            hasBest ? Model(tensors.Count - modelLength) : null);
        return new TrainingCheckpoint<TNet>(definition, Model(0), state, position, history, best, settings);
    }

    private static string HistoryJson(ImmutableArray<EpochMetrics> history)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (EpochMetrics epoch in history)
            {
                // Round-trip text: a resumed run reports every figure of the earlier epochs exactly.
                json.WriteStartObject();
                json.WriteNumber("epoch", epoch.Epoch);
                json.WriteString("train_loss", Text(epoch.TrainLoss));
                json.WriteString("train_accuracy", Text(epoch.TrainAccuracy));
                json.WriteString("validation_loss", epoch.ValidationLoss is { } loss ? Text(loss) : "none");
                json.WriteString("validation_accuracy", epoch.ValidationAccuracy is { } accuracy ? Text(accuracy) : "none");
                json.WriteString("seconds", Text(epoch.Seconds));
                json.WriteString("images_per_second", Text(epoch.ImagesPerSecond));
                json.WriteString("learning_rate", Text(epoch.LearningRate));
                json.WriteString("train_mean_absolute_error", epoch.TrainMeanAbsoluteError is { } trainError ? Text(trainError) : "none");
                json.WriteString("validation_mean_absolute_error", epoch.ValidationMeanAbsoluteError is { } validationError ? Text(validationError) : "none");
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Text(object value) => RunSettings.Describe(value);

    /// <summary>Reads metadata values, remembering the first that is missing or malformed (<see cref="Problem"/>).</summary>
    private sealed class MetadataReader(IReadOnlyDictionary<string, string> metadata)
    {
        public string? Problem { get; private set; }

        public string Text(string key)
        {
            if (metadata.TryGetValue(key, out string? value))
            {
                return value;
            }

            Problem ??= $"the metadata has no {key}; the file is not a complete resumable checkpoint.";
            return string.Empty;
        }

        public int Whole(string key, int minimum = 0, int maximum = int.MaxValue) =>
            Parse(key, text => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value >= minimum && value <= maximum
                ? value : null as int?, $"a whole number from {minimum} to {maximum}") ?? 0;

        public long Count(string key) =>
            Parse(key, text => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : null as long?, "a count") ?? 0;

        public double Number(string key) =>
            Parse(key, text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : null as double?, "a number") ?? 0;

        public bool Flag(string key) => Parse(key, text => text switch { "true" => true, "false" => false, _ => null as bool? }, "true or false") ?? false;

        public ImmutableArray<EpochMetrics> History(string key) =>
            Parse(key, ParseHistory, "a JSON array of epoch metrics") ?? [];

        private T? Parse<T>(string key, Func<string, T?> parse, string expected)
            where T : struct
        {
            string text = Text(key);
            if (Problem is not null)
            {
                return null;
            }

            T? value = parse(text);
            if (value is null)
            {
                Problem = $"{key} is '{text}', not {expected}.";
            }

            return value;
        }

        private static ImmutableArray<EpochMetrics>? ParseHistory(string text)
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(text);
                return [.. document.RootElement.EnumerateArray().Select(epoch => new EpochMetrics(
                    epoch.GetProperty("epoch").GetInt32(),
                    Single(epoch, "train_loss")!.Value,
                    Single(epoch, "train_accuracy")!.Value,
                    Single(epoch, "validation_loss"),
                    Single(epoch, "validation_accuracy"),
                    double.Parse(epoch.GetProperty("seconds").GetString()!, CultureInfo.InvariantCulture),
                    double.Parse(epoch.GetProperty("images_per_second").GetString()!, CultureInfo.InvariantCulture))
                {
                    LearningRate = Single(epoch, "learning_rate")!.Value,
                    TrainMeanAbsoluteError = Optional(epoch, "train_mean_absolute_error"),
                    ValidationMeanAbsoluteError = Optional(epoch, "validation_mean_absolute_error"),
                })];
            }
            catch (Exception exception) when (exception is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or ArgumentNullException)
            {
                return null;
            }
        }

        // Figures only some runs have (the mean absolute error of a regression) may be left out.
        private static float? Optional(JsonElement epoch, string name) => epoch.TryGetProperty(name, out _) ? Single(epoch, name) : null;

        private static float? Single(JsonElement epoch, string name) =>
            epoch.GetProperty(name).GetString() is "none" ? null : float.Parse(epoch.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
    }
}
