"""Grammar training throughput: ours (greedy transform with read-ahead) vs scikit-sequitur.

Ours is timed in both builds of the same source: the pure-Python transform and, when setup.py
could compile it (Cython), the compiled one the detector uses by default (``grammar_engine``).

Both build a grammar from the same entries in the same run. The input is real: ADFA-LD system-call
traces read from ``../shared/datasets/adfa-ld/ADFA-LD.zip`` (training then validation traces, in
archive order, cut at ``--entries``), and DeepLog HDFS block sessions (log keys). scikit-sequitur
parses one stream, so the traces are joined with its ``Mark`` separators, which, like our
one-rule-per-sequence wrapping, stop digrams from spanning two traces.

Times are process CPU seconds (``time.process_time``): both implementations are single-threaded
pure Python, and on a shared machine CPU time is what stays comparable between runs. The two
implementations alternate ``--repeat`` times on the same entries; the table shows each one's
best run, and the ratio line also lists the ratio of every pair of consecutive runs.

    python bench/bench_grammar.py                # both inputs; ours alone on up to 1,000,000 entries
    python bench/bench_grammar.py --source adfa --entries 200000 --sequitur-entries 200000
"""

from __future__ import annotations

import argparse
import gc
import time
import zipfile
from collections.abc import Hashable
from pathlib import Path
from types import ModuleType

from anomalygen.detectors.grammar import transform as grammar_transform
from anomalygen.detectors.grammar.engine import compiled_module
from anomalygen.detectors.grammar.transform import intern_codes

DATASETS = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"


def adfa_traces(data_dir: Path, entries: int) -> list[list[str]]:
    traces: list[list[str]] = []
    total = 0
    with zipfile.ZipFile(data_dir / "adfa-ld" / "ADFA-LD.zip") as archive:
        names = sorted(n for n in archive.namelist()
                       if n.endswith(".txt") and ("Training_Data" in n or "Validation_Data" in n))
        names.sort(key=lambda n: "Validation" in n)  # training traces first
        for name in names:
            trace = archive.read(name).decode("ascii").split()
            traces.append(trace[: entries - total])
            total += len(traces[-1])
            if total >= entries:
                break
    return traces


def hdfs_sessions(data_dir: Path, entries: int) -> list[list[str]]:
    sessions: list[list[str]] = []
    total = 0
    for file in ("hdfs_train", "hdfs_test_abnormal"):
        for line in (data_dir / "deeplog-hdfs" / file).read_text().splitlines():
            keys = line.split()[: entries - total]
            sessions.append(keys)
            total += len(keys)
            if total >= entries:
                return sessions
    return sessions


def take(sequences: list[list[str]], entries: int) -> list[list[str]]:
    out: list[list[str]] = []
    total = 0
    for seq in sequences:
        if total >= entries:
            break
        out.append(seq[: entries - total])
        total += len(out[-1])
    return out


def time_ours(sequences: list[list[str]], build: ModuleType) -> tuple[float, int]:
    gc.collect()
    start = time.process_time()
    terminals: dict[Hashable, int] = {}
    core: grammar_transform.GrammarCore = build.GrammarCore()
    for seq in sequences:  # what GrammarCompressionDetector.fit does: intern, then transform
        core.add_sequence(intern_codes(seq, terminals))
    return time.process_time() - start, core.size + len(core.root)


def time_sequitur(sequences: list[list[str]]) -> tuple[float, int]:
    from sksequitur import Mark, parse

    stream: list[object] = []
    for seq in sequences:
        stream.extend(seq)
        stream.append(Mark())
    gc.collect()
    start = time.process_time()
    grammar = parse(stream)
    elapsed = time.process_time() - start
    return elapsed, sum(len(body) for body in grammar.values())


def builds() -> list[tuple[str, ModuleType]]:
    """Our transform's builds to time: compiled (when installed and current), then pure Python."""
    compiled, why_not = compiled_module()
    if compiled is None:
        print(f"(compiled grammar transform {why_not}: timing the pure-Python build only)")
        return [("python", grammar_transform)]
    return [("compiled", compiled), ("python", grammar_transform)]


def compare(source: str, data_dir: Path, entries: int, sequitur_entries: int, repeat: int) -> None:
    load = adfa_traces if source == "adfa" else hdfs_sessions
    sequences = load(data_dir, max(entries, sequitur_entries))
    ours_input = take(sequences, entries)
    both_input = take(sequences, sequitur_entries)
    n_ours = sum(map(len, ours_input))
    n_both = sum(map(len, both_input))

    # Alternate all implementations `repeat` times on the same input, so a burst of load on the
    # shared machine hits each of them, and compare the best (least disturbed) runs.
    ours = builds()
    times: dict[str, list[float]] = {name: [] for name, _ in ours}
    sizes: dict[str, int] = {}
    sequitur_times: list[float] = []
    for _ in range(repeat):
        for name, build in ours:
            t, sizes[name] = time_ours(both_input, build)
            times[name].append(t)
        t_seq, size_seq = time_sequitur(both_input)
        sequitur_times.append(t_seq)
    rows: list[tuple[str, int, float, int]] = [
        (f"anomalygen ({name})", n_both, min(times[name]), sizes[name]) for name, _ in ours]
    rows.append(("scikit-sequitur", n_both, min(sequitur_times), size_seq))
    if n_ours != n_both:
        for name, build in ours:
            t_big, size_big = time_ours(ours_input, build)
            rows.append((f"anomalygen ({name})", n_ours, t_big, size_big))

    print(f"\ngrammar training throughput on {source} ({len(both_input)} sequences compared, "
          f"best of {repeat} alternating runs)")
    print(f"{'implementation':<24}{'entries':>11}{'CPU s':>10}{'entries/s':>12}{'grammar size':>14}")
    for name, n, secs, size in rows:
        print(f"{name:<24}{n:>11,}{secs:>10.3f}{n / secs:>12,.0f}{size:>14,}")
    for name, _ in ours:
        ratio = min(sequitur_times) / min(times[name])
        per_run = sorted(s / o for s, o in zip(sequitur_times, times[name], strict=True))
        print(f"speed ratio anomalygen ({name}) / scikit-sequitur on the same {n_both:,} entries: "
              f"{ratio:.1f}x (best vs best; run by run: {', '.join(f'{r:.1f}x' for r in per_run)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000,
                        help="entries for our transform alone (ADFA-LD has 2.4M; HDFS keys 0.38M)")
    parser.add_argument("--sequitur-entries", type=int, default=100_000,
                        help="entries both implementations build a grammar from (scikit-sequitur is slow)")
    parser.add_argument("--source", choices=("adfa", "hdfs", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=3,
                        help="alternating runs of every implementation on the compared entries")
    parser.add_argument("--data-dir", type=Path, default=DATASETS)
    args = parser.parse_args()
    for source in ("adfa", "hdfs") if args.source == "both" else (args.source,):
        compare(source, args.data_dir, args.entries, args.sequitur_entries, max(1, args.repeat))


if __name__ == "__main__":
    main()
