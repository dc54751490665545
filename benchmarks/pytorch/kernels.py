"""The cases of ConvGen's `kernels` mode (benchmarks/ConvGen.Benchmarks/KernelCases.cs) in PyTorch, same shapes and
same names, printed as median milliseconds. Each case calls what PyTorch's autograd calls in a training step: the
convolution gradients come from aten.convolution_backward (as torch.nn.grad.conv2d_weight / conv2d_input do), the
linear gradients are the two matrix products and the bias sum of addmm's backward. Outputs go to preallocated
tensors where PyTorch has an out= form, as ConvGen's kernels write into given buffers.

Usage: kernels.py [--threads N]
"""
import argparse
import statistics

import torch
import torch.nn.functional as F

from networks import notebook_002
from timing import measure

BATCH = 64
GEMM_SIZE = 1024
# Each case warms up this long first, as ConvGen's QuickKernelRunner does (its JIT needs it; the same for both sides).
WARMUP_SECONDS = 0.5


def uniform(*shape: int) -> torch.Tensor:
    return torch.rand(*shape) * 2 - 1


def gemm_case():
    a, b, c = uniform(GEMM_SIZE, GEMM_SIZE), uniform(GEMM_SIZE, GEMM_SIZE), torch.empty(GEMM_SIZE, GEMM_SIZE)
    return lambda: torch.mm(a, b, out=c)


def convolution_cases(in_channels: int, size: int, out_channels: int):
    """Forward, weight-and-bias gradient, input gradient of a 5x5 convolution with padding 2, as KernelCases.Geometry."""
    x, w, b = uniform(BATCH, in_channels, size, size), uniform(out_channels, in_channels, 5, 5), uniform(out_channels)
    grad = uniform(BATCH, out_channels, size, size)

    def backward(mask):
        return lambda: torch.ops.aten.convolution_backward(grad, x, w, [out_channels], [1, 1], [2, 2], [1, 1], False, [0, 0], 1, mask)

    return lambda: F.conv2d(x, w, b, padding=2), backward([False, True, True]), backward([True, False, False])


def pool_case():
    x = uniform(BATCH, 32, 28, 28)
    out, indices = torch.empty(BATCH, 32, 14, 14), torch.empty(BATCH, 32, 14, 14, dtype=torch.long)
    return lambda: torch.ops.aten.max_pool2d_with_indices.out(x, [2, 2], [2, 2], [0, 0], [1, 1], False, out=out, indices=indices)


def batch_norm_cases(channels: int = 16, size: int = 28):
    """BatchNorm2d in training, forward and backward, as autograd calls them in the ResNet sample's training step."""
    x, grad = uniform(BATCH, channels, size, size), uniform(BATCH, channels, size, size)
    weight, bias = uniform(channels), uniform(channels)
    running_mean, running_var = torch.zeros(channels), torch.ones(channels)
    _, save_mean, save_invstd = torch.ops.aten.native_batch_norm(x, weight, bias, running_mean, running_var, True, 0.1, 1e-5)

    def backward() -> None:
        torch.ops.aten.native_batch_norm_backward(grad, x, weight, running_mean, running_var, save_mean, save_invstd, True, 1e-5, [True, True, True])

    return lambda: torch.ops.aten.native_batch_norm(x, weight, bias, running_mean, running_var, True, 0.1, 1e-5), backward


def linear_cases(in_features: int = 3136, out_features: int = 1024):
    x, w, b = uniform(BATCH, in_features), uniform(out_features, in_features), uniform(out_features)
    grad = uniform(BATCH, out_features)
    y, grad_w, grad_b, grad_x = torch.empty(BATCH, out_features), torch.empty_like(w), torch.empty_like(b), torch.empty_like(x)

    def backward_weight() -> None:
        torch.mm(grad.t(), x, out=grad_w)
        torch.sum(grad, 0, out=grad_b)

    return lambda: torch.addmm(b, x, w.t(), out=y), backward_weight, lambda: torch.mm(grad, w, out=grad_x)


def adam_case():
    """One Adam step over notebook 002's parameters (3.27 M), gradients given, as the training step's optimizer."""
    model = notebook_002()
    for parameter in model.parameters():
        parameter.grad = uniform(*parameter.shape)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    return optimizer.step


def report(name: str, action, runs: int) -> None:
    milliseconds = sorted(s * 1e3 for s in measure(action, 5, runs, WARMUP_SECONDS))
    print(f"{name + ':':<31} {statistics.median(milliseconds):8.3f} ms (min {milliseconds[0]:.3f}, max {milliseconds[-1]:.3f})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    print(f"PyTorch {torch.__version__} kernels: {torch.get_num_threads()} threads, batch {BATCH}")
    with torch.no_grad():
        report("GEMM 1024^3 NN", gemm_case(), 15)
        first_forward, first_weight, _ = convolution_cases(1, 28, 32)
        report("conv1 forward, N=64", first_forward, 25)
        report("conv1 backward weight, N=64", first_weight, 25)
        second_forward, second_weight, second_input = convolution_cases(32, 14, 64)
        report("conv2 forward, N=64", second_forward, 25)
        report("conv2 backward weight, N=64", second_weight, 25)
        report("conv2 backward input, N=64", second_input, 25)
        report("pool1 max forward, N=64", pool_case(), 25)
        batch_norm_forward, batch_norm_backward = batch_norm_cases()
        report("bn 16x28x28 train forward, N=64", batch_norm_forward, 25)
        report("bn 16x28x28 backward, N=64", batch_norm_backward, 25)
        linear_forward, linear_weight, linear_input = linear_cases()
        report("fc1 forward 3136->1024, N=64", linear_forward, 25)
        report("fc1 backward weight, N=64", linear_weight, 25)
        report("fc1 backward input, N=64", linear_input, 25)
        report("Adam, 3.27 M parameters", adam_case(), 25)


if __name__ == "__main__":
    main()
