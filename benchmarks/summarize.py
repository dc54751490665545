"""Summarises benchmarks/run.sh's paired figures over its runs: for each case, ConvGen's and PyTorch's median figure
and the min / median / max of the ratio. The ratio is always ConvGen's speed over PyTorch's, so above 1 means
ConvGen is faster: images/s divided for rates, PyTorch's time over ConvGen's for times (ms, s).

When a case also has a figure from ConvGen's TorchSharp backend (the e2e cases), two more columns give its median
figure and the managed backend's speed over it (above 1, the managed backend is faster).

Usage: summarize.py PAIRS.tsv [PEER]  (lines: case, unit, ConvGen figure, the peer's figure, TorchSharp figure or
empty; one line per case and run). PEER names the other side, PyTorch unless given (run.sh also gives "ONNX Runtime").
"""
import statistics
import sys

RATES = {"images/s"}
DIGITS = {"images/s": 1, "ms": 3, "s": 2}


def main() -> None:
    peer = sys.argv[2] if len(sys.argv) > 2 else "PyTorch"
    cases = {}
    torchsharp = {}
    with open(sys.argv[1]) as file:
        for line in file:
            name, unit, ours, theirs, *rest = line.rstrip("\n").split("\t")
            cases.setdefault((name, unit), []).append((float(ours), float(theirs)))
            if rest and rest[0]:
                torchsharp.setdefault((name, unit), []).append((float(ours), float(rest[0])))
    if not cases:
        sys.exit(f"summarize.py: no case appeared in both ConvGen's and {peer}'s output")
    runs = max(len(pairs) for pairs in cases.values())
    print(f"\nConvGen vs {peer} over {runs} run(s): median figures; ratio = ConvGen's speed / {peer}'s, min / median / max")
    width = max(len(name) for name, _ in cases)
    peer_width = max(10, len(peer))
    print(f"{'case':<{width}}  {'ConvGen':>10}  {peer:>{peer_width}}  {'unit':<8}  ratio min / median / max"
          + ("     TorchSharp  ConvGen / TorchSharp (median)" if torchsharp else ""))
    for (name, unit), pairs in cases.items():
        ratios = sorted(ours / theirs if unit in RATES else theirs / ours for ours, theirs in pairs)
        ours = statistics.median(p[0] for p in pairs)
        theirs = statistics.median(p[1] for p in pairs)
        digits = DIGITS.get(unit, 3)
        line = (f"{name:<{width}}  {ours:10.{digits}f}  {theirs:{peer_width}.{digits}f}  {unit:<8}  "
                f"{ratios[0]:.2f}x / {statistics.median(ratios):.2f}x / {ratios[-1]:.2f}x")
        if (name, unit) in torchsharp:
            backend = torchsharp[(name, unit)]
            speedups = [o / t if unit in RATES else t / o for o, t in backend]
            line += f"  {statistics.median(t for _, t in backend):13.{digits}f}  {statistics.median(speedups):.2f}x"
        print(line)


if __name__ == "__main__":
    main()
