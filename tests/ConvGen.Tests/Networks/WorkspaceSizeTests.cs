using System.Reflection;
using ConvGen.Samples.Mnist;

namespace ConvGen.Tests.Networks;

/// <summary>
/// What a generated workspace allocates, counted from its arrays and checked against sizes worked out by hand from the
/// network's shapes: a convolution that applies the following ReLU writes straight into that ReLU's buffer and gets
/// none of its own.
/// </summary>
public sealed class WorkspaceSizeTests
{
    [Fact]
    public void MnistNetsFusedConvolutionsHaveNoOutputBuffers()
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

        long bytes = AllocatedBytes(MnistNet.CreateWorkspace(batch));

        // conv1 and conv2 each write through their ReLU: 6,422,528 and 3,211,264 bytes fewer at batch 64.
        Assert.Equal(batch * 4 * (plain - conv1 - conv2), bytes);
    }

    // Every array the workspace holds, in bytes: its own fields and those of NetworkWorkspace.
    private static long AllocatedBytes(NetworkWorkspace workspace)
    {
        long bytes = 0;
        for (Type? type = workspace.GetType(); type is not null; type = type.BaseType)
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.GetValue(workspace) is Array array)
                {
                    bytes += Buffer.ByteLength(array);
                }
            }
        }

        return bytes;
    }
}
