using ConvGen.Layers;
using ConvGen.Training;
using static TorchSharp.torch;

namespace ConvGen.TorchSharp.Tests;

/// <summary>
/// Dropout on libtorch draws from torch's generator, not ConvGen's hash, so masks cannot match the managed ones; checked
/// by statistics instead: the share dropped, the scale of what is kept, the gradient through the mask, and runs that
/// the seed makes repeatable.
/// </summary>
public sealed class DropoutTests
{
    private const double Probability = 0.3;

    [Fact]
    public void Training_drops_p_of_the_values_and_scales_the_rest()
    {
        Sequential network = Sequential.Create((1, 100, 100), [new Flatten(), new Dropout(Probability)], "DropoutOnly")
            .Match(Succ: n => n, Fail: errors => throw new InvalidOperationException(string.Join("\n", errors)));
        using ArchitectureModule module = ArchitectureModule.Create(network.Architecture).Match(Right: m => m, Left: e => throw new InvalidOperationException(e.Message));
        using var scope = NewDisposeScope();
        manual_seed(1);
        const int batch = 8, values = batch * 10_000;
        Tensor input = ones(batch, 10_000).requires_grad_();
        module.train();
        Tensor output = module.call(input);
        output.sum().backward();
        float[] kept = output.detach().data<float>().ToArray();

        // Binomial(80,000, 0.3): mean 24,000, standard deviation 130; five deviations off happens once in 3.5 million runs.
        int dropped = kept.Count(value => value == 0f);
        Assert.InRange(dropped, values * Probability - 5 * Math.Sqrt(values * Probability * (1 - Probability)), values * Probability + 5 * Math.Sqrt(values * Probability * (1 - Probability)));
        Assert.All(kept.Where(value => value != 0f), value => Assert.Equal(1 / (1 - Probability), value, 1e-6));
        // d(sum)/d(input) is the mask itself.
        Assert.Equal(kept, input.grad!.data<float>().ToArray());

        module.eval();
        Assert.All(module.call(input).detach().data<float>().ToArray(), value => Assert.Equal(1f, value));
    }

    [Fact]
    public void The_seed_makes_runs_with_dropout_repeatable_and_changes_them()
    {
        var digits = Data.DigitsData.LoadEmbedded().Split(0.5, seed: 3).First;
        DigitsDropoutNet model = DigitsDropoutNet.Initialize(seed: 2);
        float[] Run(int seed) => TorchBackend.Fit(model, digits, new TrainingOptions(Epochs: 1, BatchSize: 64, Optimizer: new Sgd(0.05f), Seed: seed))
            .Match(Right: result => result.Model.Parameters.Values.ToArray(), Left: error => throw new InvalidOperationException(error.Message));

        float[] first = Run(5);
        Assert.Equal(first, Run(5));
        Assert.NotEqual(first, Run(6));
    }
}
