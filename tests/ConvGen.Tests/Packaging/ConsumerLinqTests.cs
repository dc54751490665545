namespace ConvGen.Tests.Packaging;

/// <summary>
/// A project that only references the ConvGen package writes ordinary LINQ — over arrays, lists, ConvGen's datasets
/// and training history — and it binds to <c>System.Linq</c> (or to ConvGen's own <c>Dataset.Take</c>/<c>Skip</c>),
/// with or without <c>using LanguageExt;</c>. LanguageExt (3.x and still 4.4.9) declares extension methods such as
/// <c>ArrExtensions.Take</c> in the global namespace, so a <c>Take</c> on a type with none fails with CS0411 naming
/// them rather than CS1061: <c>dataset.Take(2000)</c> did so until <c>DatasetSlicing</c> gave datasets their own.
/// </summary>
[Collection(ChildProcess.BuildCollection)]
public sealed class ConsumerLinqTests
{
    private const string Network = """
        using ConvGen;

        [Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
        [Conv2d(4, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2), Flatten, Linear(64, 10)]
        public sealed partial record TinyNet;
        """;

    // No LanguageExt import: what a user who only wants a network writes. Each line's expected value is in the test.
    private const string PlainLinq = """
        using ConvGen.Data;
        using ConvGen.Training;

        public static class PlainLinq
        {
            public static void Run()
            {
                int[] numbers = [5, 3, 8, 1];
                List<string> words = ["conv", "relu", "pool"];
                IEnumerable<int> firstTwo = numbers.Take(2);
                Console.WriteLine("take: " + string.Join(",", firstTwo) + " from " + firstTwo.GetType().Namespace);
                Console.WriteLine("where: " + string.Join(",", numbers.Where(n => n % 2 == 1).Select(n => n * 10)));
                Console.WriteLine("sum max average: " + numbers.Sum() + " " + numbers.Max() + " " + numbers.Average());
                Console.WriteLine("list: " + string.Join(",", words.OrderBy(w => w).Skip(1)) + " " + words.Select(w => w.Length).Sum());
                Console.WriteLine("query: " + string.Join(",", from n in numbers where n > 2 orderby n select n + 1));
                Console.WriteLine("zip: " + string.Join(",", numbers.Zip(words, (n, w) => w + n)));

                Dataset digits = DigitsData.LoadEmbedded();
                Dataset first = digits.Take(2000);
                Dataset some = digits.Skip(100).Take(200);
                Console.WriteLine($"dataset: {first.Count} of {digits.Count}, {some.Count}, labels {string.Join(",", some.Labels.ToArray().Take(3))} = {string.Join(",", digits.Labels.ToArray().Skip(100).Take(3))}");

                var options = new TrainingOptions(Epochs: 2, BatchSize: 32, Optimizer: new Adam(1e-3f), Seed: 1);
                Trainer.Fit(TinyNet.Initialize(seed: 1), some, options).Match(
                    Right: result => Console.WriteLine("history: " + result.History.Select(epoch => epoch.Epoch).Count() + " epochs, finite " + result.History.All(epoch => float.IsFinite(epoch.TrainLoss))),
                    Left: error => Console.WriteLine("error: " + error.Message));
            }
        }
        """;

    // The same calls in a file that also imports LanguageExt, as a user matching on Either would.
    private const string WithLanguageExt = """
        using ConvGen.Data;
        using LanguageExt;

        public static class WithLanguageExt
        {
            public static void Run()
            {
                int[] numbers = [5, 3, 8, 1];
                List<string> words = ["conv", "relu", "pool"];
                IEnumerable<int> firstTwo = numbers.Take(2);
                Console.WriteLine("lx take: " + string.Join(",", firstTwo) + " from " + firstTwo.GetType().Namespace);
                Console.WriteLine("lx query: " + string.Join(",", from n in numbers where n > 2 orderby n select n + 1));
                Console.WriteLine("lx list: " + string.Join(",", words.Where(w => w.Contains('o')).Select(w => w.ToUpperInvariant())));
                Dataset first = DigitsData.LoadEmbedded().Take(2000);
                Either<string, int> count = first.Count;
                Console.WriteLine("lx dataset: " + count.Match(Right: n => n.ToString(), Left: text => text));
            }
        }
        """;

    private const string Program = """
        PlainLinq.Run();
        WithLanguageExt.Run();
        """;

    [Fact]
    public void OrdinaryLinqBindsToSystemLinqAndDatasetTakeInAProjectThatOnlyReferencesConvGen()
    {
        using var work = new TemporaryFolder();
        string version = PackageConsumer.Pack(work);
        string consumer = PackageConsumer.Write(work, version, new Dictionary<string, string>
        {
            ["TinyNet.cs"] = Network,
            ["PlainLinq.cs"] = PlainLinq,
            ["WithLanguageExt.cs"] = WithLanguageExt,
            ["Program.cs"] = Program,
        });

        (int exit, string output, string error) = ChildProcess.Dotnet(consumer, "run", "-c", "Release");

        Assert.True(exit == 0, output + error);
        string[] lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // The embedded digits are 1,797 images, so Take(2000) keeps them all; the labels of samples 100..102 are
        // compared with the same slice of the labels array.
        string dataset = Assert.Single(lines, line => line.StartsWith("dataset: ", StringComparison.Ordinal));
        Assert.StartsWith("dataset: 1797 of 1797, 200, labels ", dataset, StringComparison.Ordinal);
        string[] labelSlices = dataset["dataset: 1797 of 1797, 200, labels ".Length..].Split(" = ");
        Assert.Equal(labelSlices[0], labelSlices[1]);
        Assert.Equal(
            [
                "take: 5,3 from System.Linq",
                "where: 50,30,10",
                "sum max average: 17 8 4.25",
                "list: pool,relu 12",
                "query: 4,6,9",
                "zip: conv5,relu3,pool8",
                "history: 2 epochs, finite True",
                "lx take: 5,3 from System.Linq",
                "lx query: 4,6,9",
                "lx list: CONV,POOL",
                "lx dataset: 1797",
            ],
            lines.Where(line => !line.StartsWith("dataset: ", StringComparison.Ordinal)));
    }
}
