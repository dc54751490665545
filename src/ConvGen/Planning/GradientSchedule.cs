// Shared with the source generator (linked source): plain C# that netstandard2.0 and net10.0 both accept.
using System.Collections.Generic;

namespace ConvGen.Planning
{
    /// <summary>How gradient values move between buffers once a node's own backward pass is done.</summary>
    internal enum GradientMoveKind
    {
        /// <summary><c>To</c> = <c>From</c>: a private copy of a gradient that another reader still holds, before it is changed.</summary>
        Copy,

        /// <summary><c>To</c> += <c>From</c>: a value's second reader adds its share.</summary>
        Accumulate,

        /// <summary>One branch's slice of a concatenation's gradient, into <c>To</c> (added to it when <see cref="GradientMove.Accumulate"/>).</summary>
        Split,
    }

    /// <summary>One move between gradient buffers (by index), of <see cref="Volume"/> values per sample; a split also has its part's place.</summary>
    internal sealed record GradientMove(GradientMoveKind Kind, int From, int To, int Value, long Volume)
    {
        /// <summary>Whether a split adds to what <see cref="GradientMove.To"/> holds.</summary>
        public bool Accumulate { get; init; }

        /// <summary>A split's whole concatenation per sample; its part is <see cref="Volume"/>, at <see cref="Offset"/>.</summary>
        public long OutputSize { get; init; }

        public long Offset { get; init; }
    }

    /// <summary>
    /// One node's backward step: the moves before it (a private copy of a gradient it would change in place while another
    /// reader still holds it), the buffer holding its output's gradient, where it writes its input's, and the moves after.
    /// </summary>
    internal sealed class NodeGradient
    {
        public NodeGradient(int node, int buffer)
        {
            Node = node;
            Buffer = buffer;
        }

        public int Node { get; }

        /// <summary>The buffer holding the gradient of its output, complete.</summary>
        public int Buffer { get; internal set; }

        /// <summary>Moves to run before the node's backward pass.</summary>
        public List<GradientMove> Before { get; } = new List<GradientMove>();

        /// <summary>The buffer its backward pass writes its input's gradient to, when not in place.</summary>
        public int? Spare { get; internal set; }

        /// <summary>Whether its input's gradient is wanted: some layer at or before that input learns.</summary>
        public bool InputGradient { get; internal set; }

        public List<GradientMove> Moves { get; } = new List<GradientMove>();
    }

    /// <summary>
    /// The backward pass of a planned graph as buffer bookkeeping, which the generator prints and a <c>Sequential</c>
    /// runs: nodes in reverse order (those whose output's gradient is wanted), each reading the buffer that holds its
    /// output's gradient once every reader has passed its share. A gradient is handed to the node's input, or added to
    /// what the input already holds (a value read twice receives both gradients); a sum hands the same buffer to both
    /// its inputs, a concatenation splits it. A buffer several values hold is copied only when one of them is about to
    /// change it (an in-place backward pass, a sum added into it), so a residual unit whose branches only read the
    /// gradient (a convolution, a batch norm) copies nothing. Buffers are taken lowest first and freed when their last
    /// holder is done, so a chain alternates between two. A pure function of the plan.
    /// </summary>
    internal sealed class GradientSchedule
    {
        private readonly PlannedNetwork plan;
        // Per buffer, how many values (or the step running) hold it; 0 is free.
        private readonly List<int> holders = new List<int>();
        private readonly Dictionary<int, int> held = new Dictionary<int, int>();

        private GradientSchedule(PlannedNetwork plan)
        {
            this.plan = plan;
        }

        /// <summary>The buffers the pass uses; at least the two a chain's ping-pong needs.</summary>
        public int BufferCount => System.Math.Max(2, holders.Count);

        /// <summary>The steps, last node first; empty when nothing learns.</summary>
        public List<NodeGradient> Steps { get; } = new List<NodeGradient>();

        public static GradientSchedule For(PlannedNetwork plan)
        {
            var schedule = new GradientSchedule(plan);
            if (plan.FirstLearnedLayer >= 0)
            {
                schedule.Walk();
            }

            return schedule;
        }

        private void Walk()
        {
            int last = plan.Layers.Count - 1;
            held[last] = Take();
            for (int i = last; i >= 0; i--)
            {
                PlannedLayer layer = plan.Layers[i];
                if (!layer.NeedsGradient)
                {
                    continue;
                }

                var step = new NodeGradient(i, held[i]);
                Steps.Add(step);
                switch (layer.Kind)
                {
                    case LayerKind.Residual:
                        // The sum passes its gradient to both branches unchanged.
                        Share(step, layer.Inputs[1], layer.Output.Volume);
                        Pass(step, layer.Inputs[0], step.Buffer, layer.Output.Volume);
                        break;
                    case LayerKind.Concat:
                        long offset = 0;
                        foreach (int input in layer.Inputs)
                        {
                            long part = input == PlannedLayer.NetworkInput ? plan.Input.Volume : plan.Layers[input].Output.Volume;
                            Split(step, input, part, layer.Output.Volume, offset);
                            offset += part;
                        }

                        Release(step.Buffer);
                        break;
                    default:
                        step.InputGradient = Needed(layer.Inputs[0]);
                        int result = step.Buffer;
                        if (layer.Entry.Backward == BackwardTarget.Apart || (layer.Entry.Backward == BackwardTarget.ApartWhenNeeded && step.InputGradient))
                        {
                            result = Take();
                            step.Spare = result;
                            Release(step.Buffer);
                        }
                        else if (layer.Entry.Backward == BackwardTarget.InPlace && Shared(step.Buffer))
                        {
                            // Changed in place: a copy of its own, so that the other holders keep the gradient they were given.
                            result = PrivateCopy(step.Before, step.Buffer, i, layer.Output.Volume);
                            step.Buffer = result;
                        }

                        Pass(step, layer.Inputs[0], result, layer.Input.Volume);
                        break;
                }
            }
        }

        private bool Needed(int node) => node != PlannedLayer.NetworkInput && plan.Layers[node].NeedsGradient;

        // Hands a buffer to the input's gradient: kept, added to what it holds, or dropped.
        private void Pass(NodeGradient step, int input, int buffer, long volume)
        {
            if (!Needed(input))
            {
                Release(buffer);
            }
            else if (!held.TryGetValue(input, out int sum))
            {
                held[input] = buffer;
            }
            else if (!Shared(sum))
            {
                step.Moves.Add(new GradientMove(GradientMoveKind.Accumulate, buffer, sum, input, volume));
                Release(buffer);
            }
            else
            {
                held[input] = Added(step, sum, buffer, input, volume);
                Release(buffer);
            }
        }

        // Gives the input the step's gradient too, which the step keeps: the same buffer, or added to what the input holds.
        private void Share(NodeGradient step, int input, long volume)
        {
            if (!Needed(input))
            {
                return;
            }

            if (!held.TryGetValue(input, out int sum))
            {
                held[input] = step.Buffer;
                holders[step.Buffer]++;
            }
            else if (!Shared(sum))
            {
                step.Moves.Add(new GradientMove(GradientMoveKind.Accumulate, step.Buffer, sum, input, volume));
            }
            else
            {
                held[input] = Added(step, sum, step.Buffer, input, volume);
            }
        }

        // sum + addend in a buffer of the input's own, both left as they are; the input lets go of sum.
        private int Added(NodeGradient step, int sum, int addend, int input, long volume)
        {
            int own = PrivateCopy(step.Moves, sum, input, volume);
            step.Moves.Add(new GradientMove(GradientMoveKind.Accumulate, addend, own, input, volume));
            return own;
        }

        // A buffer of the value's own holding what the shared one holds (the copy added to moves); the value lets go of the shared one.
        private int PrivateCopy(List<GradientMove> moves, int shared, int value, long volume)
        {
            int own = Take();
            moves.Add(new GradientMove(GradientMoveKind.Copy, shared, own, value, volume));
            Release(shared);
            return own;
        }

        private void Split(NodeGradient step, int input, long part, long outputSize, long offset)
        {
            if (!Needed(input))
            {
                return;
            }

            bool accumulate = held.TryGetValue(input, out int target);
            if (!accumulate)
            {
                target = Take();
                held[input] = target;
            }
            else if (Shared(target))
            {
                target = PrivateCopy(step.Moves, target, input, part);
                held[input] = target;
            }

            step.Moves.Add(new GradientMove(GradientMoveKind.Split, step.Buffer, target, input, part) { Accumulate = accumulate, OutputSize = outputSize, Offset = offset });
        }

        private bool Shared(int buffer) => holders[buffer] > 1;

        private void Release(int buffer) => holders[buffer]--;

        private int Take()
        {
            int free = holders.IndexOf(0);
            if (free < 0)
            {
                holders.Add(1);
                return holders.Count - 1;
            }

            holders[free] = 1;
            return free;
        }
    }
}
