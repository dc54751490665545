"""The networks the benchmarks time, as ConvGen declares them (benchmarks/ConvGen.Benchmarks/MnistNet.cs, LeNet.cs, samples/ResNet/FashionResNet.cs)."""
import torch.nn as nn


def notebook_002() -> nn.Module:
    """Notebook 002's MNIST CNN, 3.27 M parameters."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3136, 1024), nn.ReLU(), nn.Dropout(0.5), nn.Linear(1024, 10))


def lenet() -> nn.Module:
    """LeNet-5 as d2l.ai writes it: sigmoids and average pooling, 61.7 k parameters."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.Sigmoid(), nn.AvgPool2d(2, 2),
        nn.Conv2d(6, 16, 5), nn.Sigmoid(), nn.AvgPool2d(2, 2),
        nn.Flatten(), nn.Linear(400, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10))


class Residual(nn.Module):
    """y = main(x) + shortcut(x), the shortcut the identity when not given."""

    def __init__(self, main: nn.Module, shortcut: nn.Module = None):
        super().__init__()
        self.main = main
        self.shortcut = shortcut

    def forward(self, x):
        return self.main(x) + (x if self.shortcut is None else self.shortcut(x))


def _basic(c_in: int, c_out: int, stride: int) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(),
        nn.Conv2d(c_out, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out))


def _project(c_in: int, c_out: int) -> nn.Module:
    return nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride=2, bias=False), nn.BatchNorm2d(c_out))


def resnet() -> nn.Module:
    """samples/ResNet's FashionResNet: a stem and two residual units per stage (16, 32, 64 channels), 175.0 k parameters."""
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
        Residual(_basic(16, 16, 1)), nn.ReLU(),
        Residual(_basic(16, 16, 1)), nn.ReLU(),
        Residual(_basic(16, 32, 2), _project(16, 32)), nn.ReLU(),
        Residual(_basic(32, 32, 1)), nn.ReLU(),
        Residual(_basic(32, 64, 2), _project(32, 64)), nn.ReLU(),
        Residual(_basic(64, 64, 1)), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))


NETWORKS = {"mnist": notebook_002, "lenet": lenet, "resnet": resnet}
