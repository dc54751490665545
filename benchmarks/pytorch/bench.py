"""Notebook 002's network in PyTorch, timed like ConvGen's `e2e` runner: full training steps (forward,
cross-entropy, backward, Adam) at batch 64 and inference at batch 256, printed as images per second.

Usage: bench.py [--threads N] [--runs R] [--steps S]
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn


def network() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3136, 1024), nn.ReLU(), nn.Dropout(0.5), nn.Linear(1024, 10))


def measure(action, warmups: int, runs: int) -> list:
    for _ in range(warmups):
        action()
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - start)
    return seconds


def report(name: str, images: int, seconds: list) -> None:
    rates = sorted(images / s for s in seconds)
    print(f"{name}: {statistics.median(rates):10.1f} images/s (min {rates[0]:.1f}, max {rates[-1]:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    print(f"PyTorch {torch.__version__} e2e: {torch.get_num_threads()} threads, {args.steps} steps per run, {args.runs} runs")

    model = network()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_function = nn.CrossEntropyLoss()
    images = torch.rand(64, 1, 28, 28)
    labels = torch.randint(0, 10, (64,))

    def train_steps() -> None:
        model.train()
        for _ in range(args.steps):
            optimizer.zero_grad(set_to_none=True)
            loss = loss_function(model(images), labels)
            loss.backward()
            optimizer.step()

    report("train  batch 64", 64 * args.steps, measure(train_steps, 2, args.runs))

    batch = torch.rand(256, 1, 28, 28)

    def infer() -> None:
        model.eval()
        with torch.no_grad():
            for _ in range(args.steps):
                model(batch)

    report("infer  batch 256", 256 * args.steps, measure(infer, 2, args.runs))


if __name__ == "__main__":
    main()
