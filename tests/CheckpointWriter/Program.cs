using ConvGen;
using ConvGen.Checkpoints;
using ConvGen.Tests.CheckpointWriter;
using LanguageExt;

// Usage: CheckpointWriter <path>. Saves version 1, 2, 3, ... of LargeNet to <path>, every value of version k equal
// to k, announcing "writing k" before each save and "saved k" after it, until the parent test kills the process.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: CheckpointWriter <checkpoint path>");
    return 2;
}

float[] values = new float[LargeNet.Layout.ParameterCount];
for (int version = 1; ; version++)
{
    Array.Fill(values, version);
    LargeNet model = LargeNet.FromParameters(ParameterSet.Create(LargeNet.Layout.Parameters, values));
    Console.WriteLine($"writing {version}");
    Either<ConvGenError, Unit> saved = Checkpoint.Save(model, args[0]);
    if (saved.IsLeft)
    {
        saved.IfLeft(error => Console.Error.WriteLine(error.Message));
        return 1;
    }

    Console.WriteLine($"saved {version}");
}
