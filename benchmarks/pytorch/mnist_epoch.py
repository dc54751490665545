"""What `samples/Mnist --epochs 1` does, in PyTorch, for a wall-clock comparison with data loading included: read the
four IDX files (gzip + numpy, no torchvision), scale pixels to [0, 1] by dividing by 255 (as ConvGen's IdxDataset, no
mean/std), train notebook 002's network for one epoch (shuffled, batch 64, last batch partial, Adam at 1e-3, seed 1,
running loss and accuracy), save a checkpoint, then evaluate on the test set at batch 256 (as MnistRun does).
Batches come from indexing the tensors directly, PyTorch's fastest path (a DataLoader adds per-sample overhead).

Usage: mnist_epoch.py --data FOLDER --checkpoints FOLDER [--epochs E] [--batch-size B] [--learning-rate L] [--seed S] [--threads N]
run.sh times the whole process from outside; the phases printed here start after the interpreter is up.
"""
import time

STARTED = time.perf_counter()

import argparse  # noqa: E402 (imported after the clock starts, so the phases include them)
import gzip  # noqa: E402
import os  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

from networks import notebook_002  # noqa: E402


def read_idx(folder: str, name: str) -> np.ndarray:
    """An IDX file's array, from `name.gz` or `name` in `folder`."""
    gzipped, raw = os.path.join(folder, name + ".gz"), os.path.join(folder, name)
    path = gzipped if os.path.exists(gzipped) else raw
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as file:
        data = file.read()
    dimensions = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dimensions))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dimensions).reshape(shape)


def load(folder: str, split: str):
    images = read_idx(folder, f"{split}-images-idx3-ubyte")
    labels = read_idx(folder, f"{split}-labels-idx1-ubyte")
    tensor = torch.from_numpy(images.astype(np.float32) / np.float32(255)).unsqueeze(1)
    return tensor, torch.from_numpy(labels.astype(np.int64))


def train_epoch(model, optimizer, images, labels, batch_size: int):
    model.train()
    loss_function = nn.CrossEntropyLoss()
    order = torch.randperm(len(labels))
    loss_sum, correct = 0.0, 0
    for start in range(0, len(labels), batch_size):
        batch = order[start:start + batch_size]
        x, y = images[batch], labels[batch]
        optimizer.zero_grad(set_to_none=True)
        logits = model(x)
        loss = loss_function(logits, y)
        loss.backward()
        optimizer.step()
        loss_sum += loss.item() * len(batch)
        correct += (logits.argmax(1) == y).sum().item()
    return loss_sum / len(labels), correct / len(labels)


def evaluate(model, images, labels, batch_size: int = 256):
    model.eval()
    loss_sum, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(labels), batch_size):
            x, y = images[start:start + batch_size], labels[start:start + batch_size]
            logits = model(x)
            loss_sum += nn.functional.cross_entropy(logits, y, reduction="sum").item()
            correct += (logits.argmax(1) == y).sum().item()
    return loss_sum / len(labels), correct / len(labels)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--checkpoints", required=True)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    imported = time.perf_counter()

    train_images, train_labels = load(args.data, "train")
    test_images, test_labels = load(args.data, "t10k")
    loaded = time.perf_counter()

    model = notebook_002()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.learning_rate)
    for epoch in range(1, args.epochs + 1):
        clock = time.perf_counter()
        loss, accuracy = train_epoch(model, optimizer, train_images, train_labels, args.batch_size)
        seconds = time.perf_counter() - clock
        print(f"epoch {epoch}/{args.epochs}: loss {loss:.4f}, train accuracy {accuracy:.2%}, {len(train_labels) / seconds:,.0f} images/s, {seconds:.1f} s")
    trained = time.perf_counter()

    os.makedirs(args.checkpoints, exist_ok=True)
    path = os.path.join(args.checkpoints, f"mnist-seed{args.seed}-epochs{args.epochs}.pt")
    torch.save(model.state_dict(), path)
    _, test_accuracy = evaluate(model, test_images, test_labels)
    finished = time.perf_counter()
    print(f"checkpoint: {path}")
    print(f"test accuracy: {test_accuracy * 100:.2f}%")
    print(f"phases: imports {imported - STARTED:.1f} s, loading {loaded - imported:.1f} s, training {trained - loaded:.1f} s, "
          f"checkpoint and test {finished - trained:.1f} s")


if __name__ == "__main__":
    main()
