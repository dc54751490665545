"""Wall-clock timing as ConvGen's Measurement does it: untimed warm-up runs, then timed runs, min / median / max."""
import time


def measure(action, warmups: int, runs: int, warmup_seconds: float = 0.0) -> list:
    """Seconds of each of `runs` timed calls of `action`, after `warmups` untimed ones that last `warmup_seconds` at least."""
    warmup_start = time.perf_counter()
    done = 0
    while done < warmups or time.perf_counter() - warmup_start < warmup_seconds:
        action()
        done += 1
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - start)
    return seconds

