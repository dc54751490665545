namespace ConvGen.Kernels;

/// <summary>
/// 2-D cross-correlation with everything <c>torch.nn.Conv2d</c> allows: dilation, groups, and padding that differs
/// before and after (the <see cref="Conv2dGeometry"/> padding goes before; the output size decides what goes after).
/// Direct loops, plainly written: the reference for these options, and the kernel the generator calls only when
/// <see cref="Convolution"/> does not apply. NCHW float32, weights <c>(C_out, C_in/groups, kH, kW)</c>; no allocation.
/// </summary>
public static class Conv2dGeneral
{
    /// <summary>
    /// <c>(N, C_in, H, W) -> (N, C_out, H', W')</c>: output channel <c>o</c> of group <c>g = o / (C_out/groups)</c> sums
    /// input channels <c>g*(C_in/groups) ...</c> at rows <c>oy*s - p + ky*d</c>. <paramref name="bias"/> may be empty.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output, int batch, in Conv2dGeometry g)
    {
        Check(input.Length, output.Length, weight.Length, batch, g);
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < g.OutChannels; o++)
            {
                output.Slice(n * g.OutputSize + o * g.OutputPlane, g.OutputPlane).Fill(bias.IsEmpty ? 0f : bias[o]);
            }
        }

        var visitor = new ForwardTaps(input, weight, output);
        WalkTaps(ref visitor, batch, g);
    }

    /// <summary>
    /// Gradients of the parameters, summed over the batch in sample order: <c>dW</c> (OIHW) and <c>db</c>.
    /// Overwrites <paramref name="weightGradient"/> and <paramref name="biasGradient"/> (which may be empty).
    /// </summary>
    public static void BackwardWeight(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient, int batch, in Conv2dGeometry g)
    {
        Check(input.Length, outputGradient.Length, weightGradient.Length, batch, g);
        weightGradient[..g.WeightSize].Clear();
        if (!biasGradient.IsEmpty)
        {
            biasGradient[..g.OutChannels].Clear();
            for (int n = 0; n < batch; n++)
            {
                for (int o = 0; o < g.OutChannels; o++)
                {
                    float sum = 0f;
                    foreach (float value in outputGradient.Slice(n * g.OutputSize + o * g.OutputPlane, g.OutputPlane))
                    {
                        sum += value;
                    }

                    biasGradient[o] += sum;
                }
            }
        }

        var visitor = new WeightGradientTaps(input, outputGradient, weightGradient);
        WalkTaps(ref visitor, batch, g);
    }

    /// <summary>
    /// Gradient of the input, <c>(N, C_out, H', W') -> (N, C_in, H, W)</c>: each output gradient scattered back through
    /// the taps that produced it. Overwrites <paramref name="inputGradient"/>.
    /// </summary>
    public static void BackwardInput(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight, Span<float> inputGradient, int batch, in Conv2dGeometry g)
    {
        Check(inputGradient.Length, outputGradient.Length, weight.Length, batch, g);
        inputGradient[..(batch * g.InputSize)].Clear();
        var visitor = new InputGradientTaps(outputGradient, weight, inputGradient);
        WalkTaps(ref visitor, batch, g);
    }

    /// <summary>What the three passes do at each kernel tap and at each (output, input) pair the tap connects.</summary>
    private interface ITapVisitor
    {
        void BeginTap(int weightIndex);

        void Visit(int outputIndex, int inputIndex);

        void EndTap(int weightIndex);
    }

    // The one walk over every connection of the convolution, in a fixed order: sample, output channel, the group's
    // input channels, kernel row and column, then every output position the tap reaches inside the input.
    private static void WalkTaps<TVisitor>(ref TVisitor visitor, int batch, in Conv2dGeometry g)
        where TVisitor : ITapVisitor, allows ref struct
    {
        int kernelArea = g.KernelHeight * g.KernelWidth, channelArea = g.InputHeight * g.InputWidth;
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < g.OutChannels; o++)
            {
                int plane = n * g.OutputSize + o * g.OutputPlane;
                int firstInput = o / g.GroupOutChannels * g.GroupInChannels;
                for (int i = 0; i < g.GroupInChannels; i++)
                {
                    int channel = n * g.InputSize + (firstInput + i) * channelArea;
                    int filter = (o * g.GroupInChannels + i) * kernelArea;
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int tap = filter + ky * g.KernelWidth + kx;
                            visitor.BeginTap(tap);
                            for (int oy = 0; oy < g.OutputHeight; oy++)
                            {
                                int y = oy * g.StrideHeight - g.PaddingHeight + ky * g.DilationHeight;
                                if ((uint)y >= (uint)g.InputHeight)
                                {
                                    continue;
                                }

                                for (int ox = 0; ox < g.OutputWidth; ox++)
                                {
                                    int x = ox * g.StrideWidth - g.PaddingWidth + kx * g.DilationWidth;
                                    if ((uint)x < (uint)g.InputWidth)
                                    {
                                        visitor.Visit(plane + oy * g.OutputWidth + ox, channel + y * g.InputWidth + x);
                                    }
                                }
                            }

                            visitor.EndTap(tap);
                        }
                    }
                }
            }
        }
    }

    private ref struct ForwardTaps(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, Span<float> output) : ITapVisitor
    {
        private readonly ReadOnlySpan<float> input = input;
        private readonly ReadOnlySpan<float> weight = weight;
        private readonly Span<float> output = output;
        private float tap;

        public void BeginTap(int weightIndex) => tap = weight[weightIndex];

        public readonly void Visit(int outputIndex, int inputIndex) => output[outputIndex] += tap * input[inputIndex];

        public readonly void EndTap(int weightIndex)
        {
        }
    }

    // Sums one tap's contributions before adding them to its gradient, so each tap gets one addition per sample.
    private ref struct WeightGradientTaps(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient) : ITapVisitor
    {
        private readonly ReadOnlySpan<float> input = input;
        private readonly ReadOnlySpan<float> outputGradient = outputGradient;
        private readonly Span<float> weightGradient = weightGradient;
        private float sum;

        public void BeginTap(int weightIndex) => sum = 0f;

        public void Visit(int outputIndex, int inputIndex) => sum += outputGradient[outputIndex] * input[inputIndex];

        public readonly void EndTap(int weightIndex) => weightGradient[weightIndex] += sum;
    }

    private ref struct InputGradientTaps(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight, Span<float> inputGradient) : ITapVisitor
    {
        private readonly ReadOnlySpan<float> outputGradient = outputGradient;
        private readonly ReadOnlySpan<float> weight = weight;
        private readonly Span<float> inputGradient = inputGradient;
        private float tap;

        public void BeginTap(int weightIndex) => tap = weight[weightIndex];

        public readonly void Visit(int outputIndex, int inputIndex) => inputGradient[inputIndex] += tap * outputGradient[outputIndex];

        public readonly void EndTap(int weightIndex)
        {
        }
    }

    private static void Check(int inputLength, int outputLength, int weightLength, int batch, in Conv2dGeometry g)
    {
        if (g.Groups < 1 || g.InChannels % g.Groups != 0 || g.OutChannels % g.Groups != 0)
        {
            throw new ArgumentException($"{g.Groups} groups do not divide {g.InChannels} input and {g.OutChannels} output channels.");
        }

        if (batch < 0 || inputLength < (long)batch * g.InputSize || outputLength < (long)batch * g.OutputSize || weightLength < g.WeightSize)
        {
            throw new ArgumentException(
                $"A batch of {batch} needs {(long)batch * g.InputSize} input, {(long)batch * g.OutputSize} output and {g.WeightSize} weight values; got {inputLength}, {outputLength} and {weightLength}.");
        }
    }
}
