using System.Reflection;
using ConvGen.Layers;
using ConvGen.Samples.Mnist;
using ConvGen.Tests.Composition;

namespace ConvGen.Tests.Networks;

/// <summary>
/// What a generated workspace allocates, counted from its arrays and checked against sizes worked out by hand from the
/// network's shapes: a convolution that applies the following ReLU writes straight into that ReLU's buffer and gets
/// none of its own. A <see cref="Sequential"/> of the same layers merges the same passes and allocates the same.
/// </summary>
public sealed class WorkspaceSizeTests
{
    [Theory]
    [InlineData("generated")]
    [InlineData("sequential")]
    public void MnistNetsFusedConvolutionsHaveNoOutputBuffers(string kind)
    {
        const int batch = 64;
        // Per-sample values of every buffer a plain plan would allocate, all 4 bytes each (float, or int for the argmax):
        // 1x28x28 -> conv1 32x28x28 -> relu1 -> pool1 32x14x14 (+ indices) -> conv2 64x14x14 -> relu2 -> pool2 64x7x7
        // (+ indices) -> flatten (a view) -> fc1 1024 -> relu3 -> dropout1 (+ mask) -> fc2 10.
        const long input = 784, output = 10, outputGradient = 10;
        const long conv1 = 32 * 28 * 28, relu1 = conv1, pool1 = 2 * 32 * 14 * 14;
        const long conv2 = 64 * 14 * 14, relu2 = conv2, pool2 = 2 * 64 * 7 * 7;
        const long fc1 = 1024, relu3 = 1024, dropout1 = 2 * 1024, fc2 = 10;
        const long gradients = 2 * conv1; // two ping-pong buffers of the largest activation
        const long plain = input + output + outputGradient + conv1 + relu1 + pool1 + conv2 + relu2 + pool2 + fc1 + relu3 + dropout1 + fc2 + gradients;

        NetworkWorkspace workspace = kind == "generated" ? MnistNet.CreateWorkspace(batch) : MnistTwin.CreateWorkspace(batch);
        long bytes = AllocatedBytes(workspace, new HashSet<object>(ReferenceEqualityComparer.Instance));

        // conv1 and conv2 each write through their ReLU: 6,422,528 and 3,211,264 bytes fewer at batch 64. A Sequential's
        // workspace also reaches the plan's nodes, each naming the node it reads (11 ints).
        long bookkeeping = kind == "sequential" ? 11 * sizeof(int) : 0;
        Assert.Equal(batch * 4 * (plain - conv1 - conv2) + bookkeeping, bytes);
    }

    // What inference leaves out, worked out by hand: the two ping-pong gradient buffers of the largest activation
    // (conv1's 32x28x28) and the output gradient; every forward buffer stays (pool indices, dropout masks included).
    [Theory]
    [InlineData("generated")]
    [InlineData("sequential")]
    public void AnInferenceWorkspaceHoldsNoGradientsAndRefusesBackward(string kind)
    {
        const int batch = 64;
        const long gradients = 2 * 32 * 28 * 28, outputGradient = 10;
        NetworkWorkspace training = kind == "generated" ? MnistNet.CreateWorkspace(batch) : MnistTwin.CreateWorkspace(batch);
        NetworkWorkspace inference = kind == "generated" ? MnistNet.CreateInferenceWorkspace(batch) : MnistTwin.CreateInferenceWorkspace(batch);

        long saved = AllocatedBytes(training, new HashSet<object>(ReferenceEqualityComparer.Instance)) - AllocatedBytes(inference, new HashSet<object>(ReferenceEqualityComparer.Instance));

        Assert.Equal(batch * 4 * (gradients + outputGradient), saved);
        Assert.True(training.ForTraining);
        Assert.False(inference.ForTraining);
        // The same forward pass, bit for bit.
        float[] parameters = MnistNet.Initialize(3).Parameters.Values.ToArray();
        var random = new Random(5);
        for (int i = 0; i < 2 * MnistNet.InputSize; i++)
        {
            training.Input[i] = inference.Input[i] = (float)random.NextDouble();
        }

        training.Forward(parameters, 2, training: false, seed: 1);
        inference.Forward(parameters, 2, training: false, seed: 1);
        BitAssert.Identical(training.Output[..20].ToArray(), inference.Output[..20].ToArray(), "inference output");
        var refused = Assert.Throws<InvalidOperationException>(() => inference.Backward(parameters, 1, new float[inference.ParameterCount]));
        Assert.Contains("made for inference", refused.Message, StringComparison.Ordinal);
    }

    private static Sequential MnistTwin => EquivalentNetworks.Build((1, 28, 28), nameof(MnistNet),
    [
        new Layers.Conv2d(32) { Kernel = 5, Padding = 2 }, new ReLU(), new MaxPool2d(2),
        new Layers.Conv2d(64) { Kernel = 5, Padding = 2 }, new ReLU(), new MaxPool2d(2),
        new Flatten(), new Linear(3136, 1024), new ReLU(), new Dropout(0.5), new Linear(1024, 10),
    ]);

    // Every array of numbers the workspace holds, in bytes, through the objects of this library it holds (a Sequential's
    // layer runners), each counted once.
    private static long AllocatedBytes(object holder, HashSet<object> seen)
    {
        long bytes = 0;
        for (Type? type = holder.GetType(); type is not null; type = type.BaseType)
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                object? value = field.GetValue(holder);
                if (value is null || !seen.Add(value))
                {
                    continue;
                }

                bytes += value switch
                {
                    Array array when array.GetType().GetElementType()!.IsPrimitive => Buffer.ByteLength(array),
                    // A Sequential's gradient buffers are an array of arrays.
                    object[] items => items.Where(item => item is not null && seen.Add(item))
                        .Sum(item => item is Array inner && inner.GetType().GetElementType()!.IsPrimitive ? Buffer.ByteLength(inner) : AllocatedBytes(item, seen)),
                    _ when value.GetType().Assembly == typeof(NetworkWorkspace).Assembly && !value.GetType().IsValueType => AllocatedBytes(value, seen),
                    _ => 0,
                };
            }
        }

        return bytes;
    }
}
