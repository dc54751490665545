// Shared with the source generator (linked source): plain C# that netstandard2.0 and net10.0 both accept.
using System;
using System.Collections.Generic;
using ConvGen.Networks;
using ConvGen.Shapes;

namespace ConvGen.Planning
{
    /// <summary>Where a layer's backward pass leaves the gradient of its input: over its output's (in place), or in another buffer.</summary>
    internal enum BackwardTarget
    {
        InPlace,
        ApartWhenNeeded,
        Apart,
    }

    /// <summary>What a layer takes in: any activation, <c>C x H x W</c> planes, a <c>C x L</c> sequence, or flat features.</summary>
    internal enum InputKind
    {
        Any,
        Planes,
        Sequence,
        Flat,
    }

    /// <summary>
    /// One learned tensor or buffer of a layer before offsets are assigned: key suffix, shape, and how it starts — drawn
    /// from its fan-in (a weight, or a bias when <see cref="IsBias"/>), or at <see cref="Constant"/>. One that is not
    /// <see cref="Trainable"/> is a buffer (BatchNorm's running statistics), placed after every learned value.
    /// </summary>
    internal sealed record TensorSpec(string Suffix, long[] Shape, long FanIn, bool IsBias, float? Constant = null, bool Trainable = true, bool IsCount = false)
    {
        public long Length
        {
            get
            {
                long length = 1;
                foreach (long size in Shape)
                {
                    length *= size;
                }

                return length;
            }
        }
    }

    /// <summary>
    /// Everything ConvGen knows about one layer kind, written once: its PyTorch name and default name stem, the input it
    /// takes, its shape rule (reporting diagnostic IDs with arguments, never text), its tensors in <c>state_dict()</c>
    /// order, its multiply-adds and receptive field, which attribute arguments decide the size and channels after it (the
    /// secondary locations of a mismatch further on), and which neighbouring passes it does itself. The generator's planner
    /// and the run-time <c>Sequential</c> read the same entries through <see cref="NetworkPlanner"/>.
    /// </summary>
    internal sealed class LayerEntry
    {
        private static readonly IReadOnlyList<TensorSpec> NoTensors = new TensorSpec[0];

        public LayerEntry(LayerKind kind, string pyTorchName, string namePrefix, InputKind input)
        {
            Kind = kind;
            PyTorchName = pyTorchName;
            NamePrefix = namePrefix;
            Input = input;
            Attributes = new[] { pyTorchName + "Attribute" };
        }

        public LayerKind Kind { get; }

        /// <summary>The <c>torch.nn</c> class it mirrors, which names it in messages and summaries.</summary>
        public string PyTorchName { get; }

        /// <summary>The attribute classes (in namespace <c>ConvGen</c>) that declare it: by default the PyTorch name's, e.g. <c>Conv2dAttribute</c>.</summary>
        public string[] Attributes { get; set; }

        /// <summary>The stem of default names: <c>conv</c> gives <c>conv1</c>, <c>conv2</c>...</summary>
        public string NamePrefix { get; }

        /// <summary>The activations it takes; anything else is refused before <see cref="Shape"/> runs.</summary>
        public InputKind Input { get; }

        /// <summary>The output shape, or null after reporting why there is none; by default the input's.</summary>
        public Func<ShapeStep, LayerSpec, ActivationShape?> Shape { get; set; } = (step, _) => step.Shape;

        /// <summary>The tensors for an input of the given shape, weight first.</summary>
        public Func<LayerSpec, ActivationShape, IReadOnlyList<TensorSpec>> Tensors { get; set; } = (_, _) => NoTensors;

        /// <summary>Multiply-adds for one sample, as torchinfo counts them (input, output).</summary>
        public Func<LayerSpec, ActivationShape, ActivationShape, long> MultiplyAdds { get; set; } = (_, _, _) => 0;

        /// <summary>The receptive field after it, given the one before (input, output); by default unchanged.</summary>
        public Func<FieldAndJump, LayerSpec, ActivationShape, ActivationShape, FieldAndJump> Widen { get; set; } = (field, _, _, _) => field;

        /// <summary>Whether its output is a view of its input (Flatten): no buffer, nothing to compute.</summary>
        public bool IsView { get; set; }

        /// <summary>Whether it decides the spatial size after it; <see cref="SizeArgument"/> then names the argument that does (null: the whole attribute).</summary>
        public bool DecidesSize { get; set; }

        /// <summary>The argument that decides the size after it, when <see cref="DecidesSize"/>.</summary>
        public string? SizeArgument { get; set; }

        /// <summary>Whether the size after it depends on what came before it too (Flatten: the size sources stay and it joins them).</summary>
        public bool JoinsSize { get; set; }

        /// <summary>The argument that decides the channels after it, or null when it keeps them.</summary>
        public string? ChannelArgument { get; set; }

        /// <summary>The activations whose forward pass it can do as it writes (a convolution on the fast kernel: ReLU, sigmoid).</summary>
        public LayerKind[] AppliesFollowing { get; set; } = new LayerKind[0];

        /// <summary>
        /// Where its backward pass writes its input's gradient: in place (activations, dropout, a view), in another buffer
        /// when that gradient is wanted (convolution, linear), or always in another buffer (pooling, batch norm).
        /// </summary>
        public BackwardTarget Backward { get; set; }

        /// <summary>The activation before it whose backward pass it can do as it passes gradients back (a max pool: ReLU).</summary>
        public LayerKind? AppliesPreviousBackward { get; set; }
    }
}
