using System.CodeDom.Compiler;
using System.Collections.Generic;
using ConvGen.Generators.Model;
using ConvGen.Planning;

namespace ConvGen.Generators
{
    public sealed partial class ConvGenGenerator
    {
        internal static partial class Emitter
        {
            /// <summary>
            /// Which workspace buffer holds the gradient of which value as the backward pass walks the graph in reverse: a
            /// value's gradient is complete once every reader has passed its share, then it is handed on or summed into what
            /// its input already holds (a value read twice receives both gradients), and the buffer is free again. Buffers
            /// are taken lowest first, so a chain alternates between two, <c>gradientA</c> and <c>gradientB</c>.
            /// </summary>
            private sealed class GradientBuffers
            {
                private readonly IndentedTextWriter writer;
                private readonly NetworkPlan plan;
                private readonly List<bool> busy = new List<bool>();
                private readonly Dictionary<int, string> held = new Dictionary<int, string>();

                public GradientBuffers(IndentedTextWriter writer, NetworkPlan plan)
                {
                    this.writer = writer;
                    this.plan = plan;
                }

                /// <summary>How many buffers the pass used; at least the two a chain's ping-pong names.</summary>
                public int Count => System.Math.Max(2, busy.Count);

                public static string NameOf(int index) => "gradient" + (index < 26 ? ((char)('A' + index)).ToString() : Int(index));

                /// <summary>The buffer the network output's gradient is copied into.</summary>
                public string Start()
                {
                    string buffer = Take();
                    held[plan.Layers.Count - 1] = buffer;
                    return buffer;
                }

                /// <summary>Whether a value's gradient is wanted: not the network's input, and some layer at or before it learns.</summary>
                public bool Needed(int node) => node != PlannedLayer.NetworkInput && plan.Layers[node].Planned.NeedsGradient;

                /// <summary>The buffer holding the node's complete output gradient.</summary>
                public string Of(int node) => held[node];

                /// <summary>A value's name in comments.</summary>
                public string Name(int node) => node == PlannedLayer.NetworkInput ? "input" : Comment(plan.Layers[node].Name);

                /// <summary>The buffer the next layer may write its input gradient to (taken by <see cref="Done"/> if it does).</summary>
                public string Spare() => NameOf(FirstFree());

                /// <summary>
                /// After a layer's backward pass: its input's gradient is in <paramref name="result"/>, either the buffer it held
                /// (<paramref name="held"/>, done in place) or the spare one, which is then taken and the held one freed.
                /// </summary>
                public void Done(string held, string result, int input, long volume)
                {
                    if (result != held)
                    {
                        Take();
                        Release(held);
                    }

                    Pass(input, result, volume);
                }

                /// <summary>Hands <paramref name="buffer"/> to <paramref name="input"/>'s gradient: kept, summed into what it holds, or dropped.</summary>
                public void Pass(int input, string buffer, long volume)
                {
                    if (Needed(input) && held.TryGetValue(input, out string? sum))
                    {
                        writer.WriteLine(Runtime + ".Kernels.Merges.Accumulate(" + Prefix(sum, volume) + ", " + Prefix(buffer, volume) + "); // " + Name(input) + " is read twice");
                        Release(buffer);
                    }
                    else if (Needed(input))
                    {
                        held[input] = buffer;
                    }
                    else
                    {
                        Release(buffer);
                    }
                }

                /// <summary>Gives <paramref name="input"/> a copy of <paramref name="buffer"/>, which stays its holder's.</summary>
                public void Share(int input, string buffer, long volume)
                {
                    if (!Needed(input))
                    {
                        return;
                    }

                    if (held.TryGetValue(input, out string? sum))
                    {
                        writer.WriteLine(Runtime + ".Kernels.Merges.Accumulate(" + Prefix(sum, volume) + ", " + Prefix(buffer, volume) + "); // " + Name(input) + " is read twice");
                        return;
                    }

                    string copy = Take();
                    writer.WriteLine(Prefix(buffer, volume) + ".CopyTo(" + copy + ");");
                    held[input] = copy;
                }

                /// <summary>Gives <paramref name="input"/> its slice of a concatenation's gradient, summed into what it holds if anything.</summary>
                public void Split(int input, string gradient, long size, long outputSize, long offset)
                {
                    if (!Needed(input))
                    {
                        return;
                    }

                    bool accumulate = held.TryGetValue(input, out string? part);
                    if (!accumulate)
                    {
                        part = Take();
                        held[input] = part;
                    }

                    writer.WriteLine(Runtime + ".Kernels.Merges.ConcatBackward(" + gradient + ", " + part + ", batch, partSize: " + Int(size) + ", outputSize: " + Int(outputSize)
                        + ", offset: " + Int(offset) + ", accumulate: " + (accumulate ? "true" : "false") + ");");
                }

                public void Release(string buffer) => busy[Index(buffer)] = false;

                private int Index(string buffer)
                {
                    for (int i = 0; i < busy.Count; i++)
                    {
                        if (NameOf(i) == buffer)
                        {
                            return i;
                        }
                    }

                    return 0;
                }

                private int FirstFree()
                {
                    int free = busy.IndexOf(false);
                    return free < 0 ? busy.Count : free;
                }

                private string Take()
                {
                    int index = FirstFree();
                    if (index == busy.Count)
                    {
                        busy.Add(true);
                    }

                    busy[index] = true;
                    return NameOf(index);
                }
            }
        }
    }
}
