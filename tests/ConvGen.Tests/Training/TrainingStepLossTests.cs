using ConvGen.Data;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>
/// <see cref="TrainingStep.Apply{TNet}(TNet, OptimizerState, Optimizer, Dataset, ulong, TrainingLoss, float)"/> takes the
/// loss and the L2 penalty a <see cref="Trainer"/> run would, checked against what the definitions give by hand.
/// </summary>
public sealed class TrainingStepLossTests
{
    private const float LearningRate = 0.05f;
    private const float Lambda = 0.01f;

    private static readonly Dataset Batch = DigitsData.LoadEmbedded().Select(Enumerable.Range(0, 24).ToArray());

    [Fact]
    public void ThePenaltyAddsLambdaTimesTheSquaresToTheLossAndTwoLambdaPToTheGradient()
    {
        TinyDigitsNet model = TinyDigitsNet.Initialize(11);
        var sgd = new Sgd(LearningRate);
        OptimizerState state = sgd.CreateState(model.Parameters.Count);
        float[] before = model.Parameters.Values.ToArray();

        var plain = Right(TrainingStep.Apply(model, state, sgd, Batch));
        var penalised = Right(TrainingStep.Apply(model, state, sgd, Batch, l2Penalty: Lambda));

        // Plain SGD: p' = p - lr (g + 2 lambda p), so the two results differ by exactly 2 lr lambda p.
        float[] plainAfter = plain.Model.Parameters.Values.ToArray(), penalisedAfter = penalised.Model.Parameters.Values.ToArray();
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(plainAfter[i] - 2 * LearningRate * Lambda * before[i], penalisedAfter[i], 1e-6f);
        }

        double squares = before.Sum(p => (double)p * p);
        Assert.Equal(plain.Loss + Lambda * squares, penalised.Loss, 1e-5);
    }

    [Fact]
    public void TheChosenLossIsTheOneReported()
    {
        TinyDigitsNet model = TinyDigitsNet.Initialize(12);
        var sgd = new Sgd(LearningRate);

        var step = Right(TrainingStep.Apply(model, sgd.CreateState(model.Parameters.Count), sgd, Batch, loss: TrainingLoss.Mse));

        // MSE against the one-hot label, the mean over N x classes, from the untouched model's outputs.
        float[] outputs = model.Predict(Batch.Images, Batch.Count);
        int classes = TinyDigitsNet.Layout.OutputSize;
        double sum = 0;
        for (int n = 0; n < Batch.Count; n++)
        {
            for (int c = 0; c < classes; c++)
            {
                double difference = outputs[n * classes + c] - (Batch.Labels[n] == c ? 1.0 : 0.0);
                sum += difference * difference;
            }
        }

        Assert.Equal(sum / (Batch.Count * classes), step.Loss, 1e-5);
    }

    [Fact]
    public void ALossThatDoesNotFitTheLastLayerOrABadPenaltyIsRefused()
    {
        TinyDigitsNet model = TinyDigitsNet.Initialize(13);
        var sgd = new Sgd(LearningRate);
        OptimizerState state = sgd.CreateState(model.Parameters.Count);

        string nll = Left(TrainingStep.Apply(model, state, sgd, Batch, loss: TrainingLoss.Nll));
        string penalty = Left(TrainingStep.Apply(model, state, sgd, Batch, l2Penalty: -1f));

        Assert.Contains("TrainingLoss.Nll takes log-probabilities, but TinyDigitsNet ends in Linear", nll, StringComparison.Ordinal);
        Assert.Equal("The L2 penalty must be a finite number of at least 0, got -1.", penalty);
    }

    private static T Right<T>(LanguageExt.Either<ConvGenError, T> result) =>
        result.Match(Right: value => value, Left: error => throw new InvalidOperationException(error.Message));

    private static string Left<T>(LanguageExt.Either<ConvGenError, T> result) =>
        result.Match(Right: _ => "trained", Left: error => error.Message);
}
