"""Wall-clock timing as ConvGen's Measurement does it: untimed warm-up runs, then timed runs, min / median / max."""
import time


def measure(action, warmups: int, runs: int) -> list:
    """Seconds of each of `runs` timed calls of `action`, after `warmups` untimed ones."""
    for _ in range(warmups):
        action()
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - start)
    return seconds

