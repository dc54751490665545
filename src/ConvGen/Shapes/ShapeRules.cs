// The one shape calculus of ConvGen. This file is compiled into the runtime and, as a linked
// source, into the source generator: what the compiler checks is what the kernels compute.
// Keep it to plain C# that netstandard2.0 and net10.0 both accept.
namespace ConvGen.Shapes
{
    /// <summary>Output-size rules, exactly as PyTorch computes them.</summary>
    internal static class ShapeRules
    {
        /// <summary>
        /// Output length of a convolution along one axis:
        /// <c>floor((n + 2p - d*(k-1) - 1) / s) + 1</c>. Below one means the kernel does not fit.
        /// Computed in 64 bits so absurd declarations give a diagnostic, not an overflow.
        /// </summary>
        public static long ConvolutionOutputSize(long input, long kernel, long stride, long padding, long dilation = 1)
        {
            return FloorDivide(input + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1;
        }

        /// <summary>
        /// Output length of max or average pooling along one axis. Floor mode is the convolution rule;
        /// ceil mode rounds up but, as PyTorch does, drops a last window that would start in the right padding.
        /// </summary>
        public static long PoolingOutputSize(long input, long kernel, long stride, long padding, long dilation = 1, bool ceilMode = false)
        {
            long span = input + 2 * padding - dilation * (kernel - 1) - 1;
            if (!ceilMode)
            {
                return FloorDivide(span, stride) + 1;
            }

            long output = FloorDivide(span + stride - 1, stride) + 1;
            if ((output - 1) * stride >= input + padding)
            {
                output--;
            }

            return output;
        }

        /// <summary>
        /// Rows (or columns) of real input that no window reaches because the stride steps past them. The rows left
        /// over after the last window, <c>(n + 2p - d*(k-1) - 1) mod s</c>, count only beyond the trailing padding.
        /// </summary>
        public static long UnusedInputSize(long input, long kernel, long stride, long padding, long dilation = 1)
        {
            long span = input + 2 * padding - dilation * (kernel - 1) - 1;
            long leftOver = span < 0 ? 0 : span % stride;
            return leftOver > padding ? leftOver - padding : 0;
        }

        /// <summary>
        /// The padding <c>padding="same"</c> needs along one axis with stride 1: <c>d*(k-1)</c> in all, as PyTorch
        /// splits it: <c>total/2</c> before and the rest (one more when the total is odd) after.
        /// </summary>
        public static void SamePadding(long kernel, long dilation, out long before, out long after)
        {
            long total = dilation * (kernel - 1);
            before = total / 2;
            after = total - before;
        }

        /// <summary>
        /// Adaptive pooling's window <c>i</c> of <c>output</c> over <c>input</c>, as PyTorch:
        /// <c>[floor(i*in/out), ceil((i+1)*in/out))</c>.
        /// </summary>
        public static void AdaptiveWindow(long index, long input, long output, out long start, out long end)
        {
            start = index * input / output;
            end = ((index + 1) * input + output - 1) / output;
        }

        /// <summary>The widest of adaptive pooling's windows: what it adds to a receptive field.</summary>
        public static long AdaptiveWidestWindow(long input, long output)
        {
            long widest = 0;
            for (long i = 0; i < output; i++)
            {
                AdaptiveWindow(i, input, output, out long start, out long end);
                widest = System.Math.Max(widest, end - start);
            }

            return widest;
        }

        /// <summary>PyTorch refuses pooling whose padding exceeds half the kernel.</summary>
        public static bool IsPoolingPaddingValid(long kernel, long padding)
        {
            return padding >= 0 && 2 * padding <= kernel;
        }

        /// <summary>The number of values one sample carries through a <c>C x H x W</c> activation.</summary>
        public static long Volume(long channels, long height, long width)
        {
            return channels * height * width;
        }

        private static long FloorDivide(long numerator, long denominator)
        {
            long quotient = numerator / denominator;
            return (numerator % denominator != 0 && (numerator < 0) != (denominator < 0)) ? quotient - 1 : quotient;
        }
    }
}
