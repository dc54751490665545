"""The cases of ConvGen's `e2e` runner in PyTorch, under the same names: full training steps (forward, cross-entropy,
backward, Adam) of notebook 002's network at batch 64 and 256, of LeNet-5 at batch 256 and of samples/ResNet's
network at batch 64, and inference of all three at batch 256, printed as images per second.

Usage: bench.py [--threads N] [--runs R] [--network mnist|lenet|resnet]
"""
import argparse
import statistics

import torch
import torch.nn as nn

from networks import NETWORKS
from timing import measure

# As EndToEndRunner.cs: each timed run covers a fixed number of images, so a larger batch takes fewer steps.
TRAINING_IMAGES_PER_RUN = 1280
INFERENCE_IMAGES_PER_RUN = 5120
# Warm-up lasts at least this long, as in EndToEndRunner.cs (where the JIT needs it).
WARMUP_SECONDS = 1.0


def report(label: str, images: int, seconds: list, extra: str = "") -> None:
    rates = sorted(images / s for s in seconds)
    print(f"{label + ':':<24} {statistics.median(rates):10.1f} images/s (min {rates[0]:.1f}, max {rates[-1]:.1f}){extra}", flush=True)


def train(name: str, batch: int, runs: int) -> None:
    torch.manual_seed(0)
    model = NETWORKS[name]()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_function = nn.CrossEntropyLoss()
    images = torch.rand(batch, 1, 28, 28)
    labels = torch.randint(0, 10, (batch,))
    last_loss = [0.0]

    def steps() -> None:
        model.train()
        for _ in range(TRAINING_IMAGES_PER_RUN // batch):
            optimizer.zero_grad(set_to_none=True)
            loss = loss_function(model(images), labels)
            loss.backward()
            optimizer.step()
        last_loss[0] = loss.item()

    seconds = measure(steps, 2, runs, WARMUP_SECONDS)
    report(f"train {name} batch {batch}", TRAINING_IMAGES_PER_RUN, seconds, f"  loss {last_loss[0]:.4f}")


def infer(name: str, batch: int, runs: int) -> None:
    torch.manual_seed(0)
    model = NETWORKS[name]().eval()
    images = torch.rand(batch, 1, 28, 28)

    def passes() -> None:
        with torch.no_grad():
            for _ in range(INFERENCE_IMAGES_PER_RUN // batch):
                model(images)

    report(f"infer {name} batch {batch}", INFERENCE_IMAGES_PER_RUN, measure(passes, 2, runs, WARMUP_SECONDS))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--network", choices=sorted(NETWORKS), help="only this network's cases (default: all)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"PyTorch {torch.__version__} e2e: {torch.get_num_threads()} threads, {args.runs} runs per case")
    wanted = lambda name: args.network in (None, name)
    if wanted("mnist"):
        train("mnist", 64, args.runs)
        train("mnist", 256, args.runs)
    if wanted("lenet"):
        train("lenet", 256, args.runs)
    if wanted("mnist"):
        infer("mnist", 256, args.runs)
    if wanted("lenet"):
        infer("lenet", 256, args.runs)
    if wanted("resnet"):
        train("resnet", 64, args.runs)
        infer("resnet", 256, args.runs)


if __name__ == "__main__":
    main()
