"""The networks the benchmarks time, as ConvGen declares them (benchmarks/ConvGen.Benchmarks/MnistNet.cs, LeNet.cs)."""
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


NETWORKS = {"mnist": notebook_002, "lenet": lenet}
