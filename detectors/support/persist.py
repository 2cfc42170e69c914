"""Saved classical models: a folder with ``config.json`` and ``arrays.npz`` — never pickle.

``config.json`` holds the detector name, its constructor parameters, the event vocabulary (ids in
column order), the threshold and fitted scalars; ``arrays.npz`` the fitted numpy arrays, read back
with ``allow_pickle=False`` so a saved model can never execute code when loaded.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from anomalygen.detectors.base import FloatArray

CONFIG_FILE = "config.json"
ARRAYS_FILE = "arrays.npz"
FORMAT_VERSION = 1


class VocabularyMismatchError(ValueError):
    """The data shares no event id with the model's vocabulary (another system or numbering)."""


def check_vocabulary(keys: Sequence[Hashable], known: int, vocabulary: Sequence[Hashable]) -> None:
    """Raise when events were given and *none* of them is in the model's vocabulary.

    A few unseen ids are normal (they count as anomalous); none at all means the data comes from
    another system or key numbering, and scoring it would silently flag everything.
    """
    if keys and known == 0:
        raise VocabularyMismatchError(
            f"none of the {len(keys)} events is in the model's vocabulary of {len(vocabulary)} ids "
            f"(data has e.g. {keys[0]!r}, model has e.g. {list(vocabulary)[:3]!r}): mismatched vocabulary"
        )


def vocabulary_to_json(vocabulary: Sequence[Hashable]) -> list[int | str]:
    out: list[int | str] = []
    for key in vocabulary:
        if isinstance(key, bool) or not isinstance(key, int | str):
            raise TypeError(f"cannot save vocabulary: event id {key!r} is not an int or str")
        out.append(key)
    return out


def write_model(path: Path, config: dict[str, Any], arrays: Mapping[str, npt.NDArray[Any]]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"format": FORMAT_VERSION, **config}, indent=2)
    (path / CONFIG_FILE).write_text(text, encoding="utf-8")
    # typed as Any: numpy's stub lets a **kwargs key collide with savez's own allow_pickle flag
    plain: dict[str, Any] = {name: np.asarray(value) for name, value in arrays.items()}
    np.savez(path / ARRAYS_FILE, **plain)
    return path


def read_model(path: Path, detector: str) -> tuple[dict[str, Any], dict[str, FloatArray]]:
    """Config and arrays of a saved folder, checked to hold a ``detector`` model."""
    config_file, arrays_file = path / CONFIG_FILE, path / ARRAYS_FILE
    if not config_file.is_file() or not arrays_file.is_file():
        raise FileNotFoundError(f"{path} is not a saved detector folder ({CONFIG_FILE} + {ARRAYS_FILE})")
    try:
        config: dict[str, Any] = json.loads(config_file.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"{config_file}: not valid JSON ({exc})") from exc
    if config.get("detector") != detector:
        raise ValueError(f"{path} holds a {config.get('detector')!r} model, not {detector!r}")
    if config.get("format") != FORMAT_VERSION:
        raise ValueError(f"{path}: unsupported format {config.get('format')!r} (expected {FORMAT_VERSION})")
    with np.load(arrays_file, allow_pickle=False) as data:
        arrays = {name: np.asarray(data[name]) for name in data.files}
    return config, arrays
