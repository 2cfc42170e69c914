"""Inference latency of the language-model detectors: one batch of 64 sequences of 2,048 events.

Per model and device (CPU always, CUDA when available) the script fits the model for one epoch on
a small random corpus (latency does not depend on what the weights learned; the vocabulary has
the size of ADFA-LD's, 175 system calls), warms up, then times ``surprisals`` on the batch, the
full scoring path: encoding, windows/chunks, forward passes, log-softmax. The paper
(arXiv 2309.02206) reports under 100 ms on a V100 for this batch.

    python bench/bench_lm_latency.py                 # all three models, 2 CPU threads
    python bench/bench_lm_latency.py --models lm-lstm --repeats 3 --threads 1
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import torch

from anomalygen.detectors.lm.lm_detector import LMDetector, LongSequenceWarning
from anomalygen.detectors.registry import get_detector

MODELS = ("lm-lstm", "lm-transformer", "lm-longformer")


def corpus(rng: np.random.Generator, count: int, length: int, vocabulary: int) -> list[list[str]]:
    return [[f"sys_{int(k)}" for k in rng.integers(0, vocabulary, size=length)] for _ in range(count)]


def time_model(name: str, device: str, batch: list[list[str]], repeats: int, threads: int) -> float:
    rng = np.random.default_rng(0)
    model = get_detector(name, epochs=1, device=device, threads=threads, score_batch_size=len(batch))
    assert isinstance(model, LMDetector)
    model.fit(corpus(rng, 8, 300, 175))
    timings = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LongSequenceWarning)  # windowing is the point here
        model.surprisals(batch[:4])  # warm-up: allocator, kernels
        for _ in range(repeats):
            if device.startswith("cuda"):
                torch.cuda.synchronize()
            start = time.perf_counter()
            model.surprisals(batch)
            if device.startswith("cuda"):
                torch.cuda.synchronize()
            timings.append(time.perf_counter() - start)
    return float(np.median(timings))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--length", type=int, default=2048)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2, help="CPU threads (the machine is shared)")
    args = parser.parse_args()
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    batch = corpus(np.random.default_rng(1), args.batch, args.length, 175)
    print(f"latency of one batch of {args.batch} sequences x {args.length} events "
          f"(median of {args.repeats}; CPU threads {args.threads})")
    print(f"{'model':<16}" + "".join(f"{d + ' ms':>14}" for d in devices) + f"{'events/s (cpu)':>18}")
    for name in args.models.split(","):
        row = [time_model(name, d, batch, args.repeats, args.threads) for d in devices]
        events = args.batch * args.length
        print(f"{name:<16}" + "".join(f"{t * 1000:>14,.0f}" for t in row) + f"{events / row[0]:>18,.0f}")
    if len(devices) == 1:
        print("no CUDA device here: GPU column omitted")


if __name__ == "__main__":
    main()
