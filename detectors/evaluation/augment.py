"""Synthetic sessions generated per arm from that arm's own real training slice (no leakage).

A real+synthetic arm may learn only from what its real-only twin trains on: the seeded real
slice of one fraction and seed (29 sessions of DeepLog's HDFS at 1%), plus the raw logs the user
names (HDFS_2k.log). Generating once from the whole training set would let the 1% arm see the
other 99%. So per (seed, fraction) the slice is written as a key-session file in the dataset's
vocabulary and ``anomalygen run REPO --structure SLICE --vocabulary V --logs L...`` runs on it.

``anomalygen run`` lives in graphs/, which detectors may not import, so it runs as a subprocess
of this interpreter (``sys.executable -m anomalygen.cli``), with a timeout. Its output lands in
``OUT/augment/<digest>/`` where the digest hashes the slice file and every setting that shapes the
run (repository path, log and vocabulary contents, seed, session count): a rerun with the same
inputs reuses the folder. ``generator.json`` is written last, so an interrupted run is redone.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from anomalygen.detectors.base import EventSequence, event_keys
from anomalygen.detectors.evaluation.rekey import EventVocabulary
from anomalygen.outdir import OutputDir

CACHE_FOLDER = "augment"
SLICE_FILE = "slice.keys"
RUN_FOLDER = "run"
RECORD_FILE = "generator.json"
ERROR_LINES = 3
"""Last stderr lines of a failed run quoted in its error."""


@dataclass(frozen=True, slots=True)
class AugmentPlan:
    """How to generate an arm's synthetic sessions from its real training slice."""

    repo: Path
    """Source repository of the system that printed the dataset."""
    logs: tuple[Path, ...]
    """Raw logs the generator may learn values and interleavings from (never the dataset's test part)."""
    vocabulary: Path
    """The dataset's event vocabulary: a loghub templates CSV or a ``vocabulary.json``."""
    sessions: int | None = None
    """Synthetic sessions per arm (``run --sessions``); None: the run's default."""
    timeout: float = 3600.0
    """Seconds one generation may take before it is stopped."""
    executable: str = field(default=sys.executable)


@dataclass(frozen=True, slots=True)
class GeneratorInput:
    """What one arm's generator saw, and what it produced (reported beside the figures)."""

    seed: int
    fraction: float
    sessions: int
    """Real training sessions in the slice (exactly those the real-only arm trains on)."""
    lines: int
    """Events (log lines) in those sessions."""
    keys: int
    """Distinct event keys in those sessions."""
    vocabulary: str
    """Vocabulary file name and its size in keys."""
    logs: str
    """Raw log file names."""
    digest: str
    folder: str
    """The cache folder, relative to the evaluation's --out."""
    synthetic_normal: int = 0
    synthetic_anomalous: int = 0
    reused: bool = False
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def slice_text(sequences: Sequence[EventSequence], vocabulary: EventVocabulary) -> str:
    """The slice as a key-session file: one session a line, in the vocabulary's keys (an event the
    vocabulary lacks is written as its id: the run skips and counts it)."""
    key_of = vocabulary.key_of_event()
    return "".join(" ".join(key_of.get(str(k), str(k)) for k in event_keys(seq)) + "\n" for seq in sequences)


GENERATOR_PACKAGES = ("anomalygen.tools", "anomalygen.graphs")
"""The code a synthetic run comes from: a cached run made by other code is not reused."""


@functools.cache
def generator_digest() -> str:
    """Digest of the generator's source files, found without importing it (detectors depend on
    the core only)."""
    digest = hashlib.sha256()
    for name in GENERATOR_PACKAGES:
        spec = importlib.util.find_spec(name)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            for source in sorted(Path(folder).rglob("*.py")):
                digest.update(str(source.relative_to(folder)).encode("utf-8") + b"\0")
                digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def run_digest(plan: AugmentPlan, text: str, seed: int) -> str:
    settings = {"repo": str(plan.repo.resolve()), "logs": [_file_digest(p) for p in plan.logs],
                "vocabulary": _file_digest(plan.vocabulary), "seed": seed, "sessions": plan.sessions,
                "generator": generator_digest()}
    payload = json.dumps(settings, sort_keys=True) + "\n" + text
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def run_command(plan: AugmentPlan, slice_file: Path, run_dir: Path, seed: int) -> list[str]:
    command = [plan.executable, "-m", "anomalygen.cli", "run", str(plan.repo), "--out", str(run_dir),
               "--structure", str(slice_file), "--vocabulary", str(plan.vocabulary),
               "--llm", "none", "--seed", str(seed), "--json"]
    if plan.logs:
        command += ["--logs", *map(str, plan.logs)]
    if plan.sessions is not None:
        command += ["--sessions", str(plan.sessions)]
    return command


def _run(plan: AugmentPlan, slice_file: Path, run_dir: Path, seed: int) -> None:
    if run_dir.exists() and not run_dir.is_symlink():  # an interrupted earlier run: start clean
        shutil.rmtree(run_dir)
    try:
        done = subprocess.run(run_command(plan, slice_file, run_dir, seed), capture_output=True, text=True,
                              timeout=plan.timeout, check=False, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"synthetic generation from {slice_file} took over {plan.timeout:g} s") from None
    if done.returncode != 0:
        tail = " | ".join(line.strip() for line in done.stderr.strip().splitlines()[-ERROR_LINES:])
        raise RuntimeError(f"anomalygen run on {slice_file} exited {done.returncode}: {tail}")


def generate(plan: AugmentPlan, vocabulary: EventVocabulary, sequences: Sequence[EventSequence],
             seed: int, fraction: float, out: Path) -> tuple[Path, GeneratorInput]:
    """Generate (or reuse) the synthetic sessions of one slice; their run folder and the record
    of what the generator saw."""
    text = slice_text(sequences, vocabulary)
    digest = run_digest(plan, text, seed)
    folder = out / CACHE_FOLDER / digest
    record_file = folder / RECORD_FILE
    run_dir = folder / RUN_FOLDER
    if record_file.is_file() and not record_file.is_symlink():
        record = GeneratorInput(**json.loads(record_file.read_text(encoding="utf-8")))
        return run_dir, _reused(record, seed, fraction)
    folder.mkdir(parents=True, exist_ok=True)
    with OutputDir(folder).claim() as owned:
        slice_file = owned.write_atomic(SLICE_FILE, text.encode("utf-8"))
        started = time.perf_counter()
        _run(plan, slice_file, run_dir, seed)
        keys = [k for seq in sequences for k in event_keys(seq)]
        record = GeneratorInput(
            seed=seed, fraction=fraction, sessions=len(sequences), lines=len(keys), keys=len(set(keys)),
            vocabulary=f"{plan.vocabulary.name} ({len(vocabulary.templates)} keys)",
            logs=", ".join(p.name for p in plan.logs), digest=digest,
            folder=str(folder.relative_to(out)), seconds=round(time.perf_counter() - started, 1))
        owned.write_atomic(RECORD_FILE, json.dumps(record.to_dict(), indent=1).encode("utf-8"))
    return run_dir, record


def _reused(record: GeneratorInput, seed: int, fraction: float) -> GeneratorInput:
    """A cached record, as this arm's (the same slice may serve two fractions of a tiny dataset)."""
    values = {**record.to_dict(), "seed": seed, "fraction": fraction, "reused": True}
    return GeneratorInput(**values)
