namespace ConvGen.Tests.Packaging;

/// <summary>
/// What a NuGet user gets: <c>dotnet pack</c> makes one ConvGen package carrying the runtime and the generator; a fresh
/// project that references it from a local folder declares a network, builds it and runs it — and a wrong Linear
/// in-features fails its build with CG0001.
/// </summary>
[Collection(ChildProcess.BuildCollection)]
public sealed class PackageTests
{
    private const string Declaration = """
        using ConvGen;

        [Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
        [Conv2d(4, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2), Flatten, Linear(IN_FEATURES, 10)]
        public sealed partial record PackagedNet;
        """;

    private const string Program = """
        using ConvGen.Training;

        var model = PackagedNet.Initialize(seed: 1);
        float[] logits = model.Predict(new float[PackagedNet.InputSize], count: 1);
        System.Console.WriteLine($"{PackagedNet.ParameterCount} parameters, {logits.Length} outputs");
        """;

    [Fact]
    public void AFreshProjectBuildsAndRunsANetworkFromThePackage()
    {
        using var work = new TemporaryFolder();
        string version = Pack(work);

        string consumer = WriteConsumer(work, version, inFeatures: 64);
        (int exit, string output, string error) = ChildProcess.Dotnet(consumer, "run", "-c", "Release");

        Assert.True(exit == 0, output + error);
        Assert.Contains("690 parameters, 10 outputs", output);
    }

    [Fact]
    public void AWrongLinearFailsTheConsumersBuildWithCG0001()
    {
        using var work = new TemporaryFolder();
        string version = Pack(work);

        string consumer = WriteConsumer(work, version, inFeatures: 100);
        (int exit, string output, string error) = ChildProcess.Dotnet(consumer, "build", "-c", "Release");

        Assert.NotEqual(0, exit);
        Assert.Contains("error CG0001: Linear 'fc1' declares 100 in-features but receives 64", output);
    }

    private static string Pack(TemporaryFolder work) => PackageConsumer.Pack(work);

    private static string WriteConsumer(TemporaryFolder work, string version, int inFeatures) =>
        PackageConsumer.Write(work, version, new Dictionary<string, string>
        {
            ["PackagedNet.cs"] = Declaration.Replace("IN_FEATURES", inFeatures.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ["Program.cs"] = Program,
        });
}
