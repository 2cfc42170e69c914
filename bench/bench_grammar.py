"""Grammar training throughput: ours (greedy transform with read-ahead) vs scikit-sequitur.

Both build a grammar from the same entries in the same run. The input is real: ADFA-LD system-call
traces read from ``../shared/datasets/adfa-ld/ADFA-LD.zip`` (training then validation traces, in
archive order, cut at ``--entries``), and DeepLog HDFS block sessions (log keys). scikit-sequitur
parses one stream, so the traces are joined with its ``Mark`` separators, which, like our
one-rule-per-sequence wrapping, stop digrams from spanning two traces.

Times are process CPU seconds (``time.process_time``): both implementations are single-threaded
pure Python, and on a shared machine CPU time is what stays comparable between runs.

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

from anomalygen.detectors.grammar_transform import GrammarCore, intern_codes

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


def time_ours(sequences: list[list[str]]) -> tuple[float, int]:
    gc.collect()
    start = time.process_time()
    terminals: dict[Hashable, int] = {}
    core = GrammarCore()
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


def compare(source: str, data_dir: Path, entries: int, sequitur_entries: int) -> None:
    load = adfa_traces if source == "adfa" else hdfs_sessions
    sequences = load(data_dir, max(entries, sequitur_entries))
    ours_input = take(sequences, entries)
    both_input = take(sequences, sequitur_entries)
    n_ours = sum(map(len, ours_input))
    n_both = sum(map(len, both_input))

    rows: list[tuple[str, int, float, int]] = []
    t, size = time_ours(both_input)
    rows.append(("anomalygen grammar", n_both, t, size))
    t_seq, size_seq = time_sequitur(both_input)
    rows.append(("scikit-sequitur", n_both, t_seq, size_seq))
    if n_ours != n_both:
        t_big, size_big = time_ours(ours_input)
        rows.append(("anomalygen grammar", n_ours, t_big, size_big))

    print(f"\ngrammar training throughput on {source} ({len(both_input)} sequences compared)")
    print(f"{'implementation':<22}{'entries':>11}{'CPU s':>10}{'entries/s':>12}{'grammar size':>14}")
    for name, n, secs, size in rows:
        print(f"{name:<22}{n:>11,}{secs:>10.2f}{n / secs:>12,.0f}{size:>14,}")
    ratio = (rows[0][1] / rows[0][2]) / (rows[1][1] / rows[1][2])
    print(f"speed ratio anomalygen / scikit-sequitur on the same {n_both:,} entries: {ratio:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000,
                        help="entries for our transform alone (ADFA-LD has 2.4M; HDFS keys 0.38M)")
    parser.add_argument("--sequitur-entries", type=int, default=100_000,
                        help="entries both implementations build a grammar from (scikit-sequitur is slow)")
    parser.add_argument("--source", choices=("adfa", "hdfs", "both"), default="both")
    parser.add_argument("--data-dir", type=Path, default=DATASETS)
    args = parser.parse_args()
    for source in ("adfa", "hdfs") if args.source == "both" else (args.source,):
        compare(source, args.data_dir, args.entries, args.sequitur_entries)


if __name__ == "__main__":
    main()
