// Blocks and the merges that use them: reusable sub-graphs declared once, with the same layer attributes as a network,
// whose input shape comes from where they are used. Like the layer attributes, these only record what was written.
namespace ConvGen;

/// <summary>
/// Marks a <c>partial record</c> as a block: the layer attributes on it form a reusable sub-graph that a network (or
/// another block) uses through <see cref="ResidualAttribute{TBlock}"/>, <see cref="ResidualAttribute{TBlock, TShortcut}"/>
/// or <see cref="ConcatAttribute{TFirst, TSecond}"/>. A block has no input shape of its own: each use gives it one, and
/// the generator checks every layer of the block at every use.
/// </summary>
/// <example>
/// <code>
/// [Block]
/// [Conv2d(16, Kernel = 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(16, Kernel = 3, Padding = 1), BatchNorm2d]
/// public sealed partial record Basic16;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class BlockAttribute : Attribute;

/// <summary>
/// A residual unit with an identity shortcut, as in ResNet: <c>y = block(x) + x</c>. The block's output must have the
/// input's shape. Checkpoint keys nest under the unit's name (default <c>res1</c>, <c>res2</c>...): <c>res1.conv1.weight</c>.
/// </summary>
/// <typeparam name="TBlock">The main branch, a <see cref="BlockAttribute"/> record.</typeparam>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ResidualAttribute<TBlock> : LayerAttribute;

/// <summary>
/// A residual unit with a projection shortcut: <c>y = block(x) + shortcut(x)</c>, e.g. a 1x1 strided convolution and a
/// batch norm where the main branch halves the size and doubles the channels. Both branches must give one shape. The
/// shortcut's keys nest under <c>shortcut</c>: <c>res2.shortcut.conv1.weight</c>.
/// </summary>
/// <typeparam name="TBlock">The main branch, a <see cref="BlockAttribute"/> record.</typeparam>
/// <typeparam name="TShortcut">The shortcut branch, a <see cref="BlockAttribute"/> record.</typeparam>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ResidualAttribute<TBlock, TShortcut> : LayerAttribute;

/// <summary>
/// Parallel branches on one input, joined along the channels as <c>torch.cat(dim=1)</c> (Inception, DenseNet): both
/// must give the same height and width. Keys nest under the join's name (default <c>cat1</c>) and the branch's:
/// <c>cat1.branch1.conv1.weight</c>, <c>cat1.branch2.conv1.weight</c>.
/// </summary>
/// <typeparam name="TFirst">The first branch, a <see cref="BlockAttribute"/> record; its channels come first.</typeparam>
/// <typeparam name="TSecond">The second branch.</typeparam>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConcatAttribute<TFirst, TSecond> : LayerAttribute;

/// <summary>Three parallel branches joined along the channels, as <see cref="ConcatAttribute{TFirst, TSecond}"/>.</summary>
/// <typeparam name="TFirst">The first branch, a <see cref="BlockAttribute"/> record.</typeparam>
/// <typeparam name="TSecond">The second branch.</typeparam>
/// <typeparam name="TThird">The third branch.</typeparam>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConcatAttribute<TFirst, TSecond, TThird> : LayerAttribute;
