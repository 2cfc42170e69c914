"""Shared PyTorch plumbing of the deep detectors: vocabulary, seeding, devices, training, save/load.

Index layout of every :class:`Vocabulary`: 0 is padding, 1 stands for any event id not seen in
training (never a crash, always the same index), 2 marks the end of a session (next-key models
learn to predict it so that truncated sessions are caught), and real event ids start at 3.

Saved models are a folder with ``config.json`` (parameters, vocabulary, fitted scalars) and
``state_dict.pt`` (``torch.save`` of tensors only, read back with ``weights_only=True``): no pickle
of arbitrary objects is ever written or read.
"""

from __future__ import annotations

import json
import logging
import random
from abc import abstractmethod
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

import numpy as np
import torch
from torch import nn

from anomalygen.detectors.base import BaseDetector, Sequences, event_keys

log = logging.getLogger(__name__)

PAD, UNKNOWN, END = 0, 1, 2
FIRST_KEY = 3
CONFIG_FILE = "config.json"
STATE_FILE = "state_dict.pt"
FORMAT_VERSION = 1


class VocabularyMismatchError(ValueError):
    """The data or the saved weights do not belong to the model's event vocabulary."""


class Vocabulary:
    """Event id <-> index mapping; ids are JSON scalars (int or str) so the mapping can be saved."""

    __slots__ = ("index", "keys")

    def __init__(self, keys: Sequence[Hashable]) -> None:
        self.keys: list[Hashable] = list(keys)
        self.index: dict[Hashable, int] = {k: i + FIRST_KEY for i, k in enumerate(self.keys)}
        if len(self.index) != len(self.keys):
            raise ValueError("vocabulary keys must be unique")

    @classmethod
    def from_sequences(cls, sequences: Sequences) -> Vocabulary:
        """Keys in order of first appearance, so the same data always gives the same indices."""
        seen: dict[Hashable, None] = {}
        for seq in sequences:
            for key in event_keys(seq):
                seen.setdefault(key, None)
        return cls(list(seen))

    def __len__(self) -> int:
        """Number of indices, special ones included (the size of embedding and output layers)."""
        return len(self.keys) + FIRST_KEY

    def encode(self, sequence: Sequence[Any]) -> list[int]:
        return [self.index.get(k, UNKNOWN) for k in event_keys(sequence)]

    def encode_all(self, sequences: Sequences) -> list[list[int]]:
        """Indices of every sequence; raises when *no* event of the data is known to the model.

        A few unseen ids are normal (they map to ``UNKNOWN`` and count as anomalous); none at all
        means the data comes from another system or key numbering, and scoring it would silently
        flag everything.
        """
        encoded = [self.encode(s) for s in sequences]
        total = sum(len(s) for s in encoded)
        known = sum(1 for s in encoded for i in s if i != UNKNOWN)
        if total > 0 and known == 0:
            sample = next(k for s in sequences for k in event_keys(s))
            raise VocabularyMismatchError(
                f"none of the {total} events is in the model's vocabulary of {len(self.keys)} ids "
                f"(data has e.g. {sample!r}, model has e.g. {self.keys[:3]!r}): mismatched vocabulary"
            )
        return encoded

    def to_json(self) -> list[Any]:
        for k in self.keys:
            if not isinstance(k, int | str) or isinstance(k, bool):
                raise TypeError(f"cannot save vocabulary: event id {k!r} is not an int or str")
        return list(self.keys)


def seed_everything(seed: int) -> torch.Generator:
    """Seed python, numpy and torch; returns a generator for shuffling batches."""
    random.seed(seed)
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)


def resolve_device(device: str | None) -> torch.device:
    """``None``/``"cpu"`` is the CPU; ``"cuda"`` needs a GPU and says so clearly when there is none."""
    if device is None or device == "cpu":
        return torch.device("cpu")
    dev = torch.device(device)
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device {device!r} requested but CUDA is not available on this machine")
    return dev


@contextmanager
def torch_threads(n_threads: int | None) -> Iterator[None]:
    """Use ``n_threads`` intra-op threads inside the block (``None`` keeps the caller's setting)."""
    if n_threads is None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(max(1, int(n_threads)))
    try:
        yield
    finally:
        torch.set_num_threads(before)


def train_classifier(
    model: nn.Module,
    inputs: Sequence[torch.Tensor],
    targets: torch.Tensor,
    *,
    epochs: int,
    batch_size: int,
    lr: float,
    generator: torch.Generator,
    device: torch.device,
    class_weight: torch.Tensor | None = None,
) -> list[float]:
    """Minibatch Adam on cross-entropy; ``model(*batch_inputs)`` returns logits. Mean loss per epoch.

    Raises when the loss turns NaN/inf: a diverged model would score everything as normal.
    """
    model.to(device).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss(weight=None if class_weight is None else class_weight.to(device))
    n = targets.shape[0]
    losses: list[float] = []
    for epoch in range(epochs):
        order = torch.randperm(n, generator=generator)
        total = 0.0
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            batch = [x[idx].to(device) for x in inputs]
            optimizer.zero_grad()
            loss = loss_fn(model(*batch), targets[idx].to(device))
            if not torch.isfinite(loss):
                raise FloatingPointError(
                    f"training diverged at epoch {epoch + 1} (loss {loss.item()}): lower lr"
                )
            loss.backward()
            optimizer.step()
            total += float(loss.item()) * idx.shape[0]
        losses.append(total / max(n, 1))
    model.eval()
    return losses


@torch.no_grad()
def batched_forward(
    model: nn.Module,
    inputs: Sequence[torch.Tensor],
    *,
    batch_size: int,
    device: torch.device,
    reduce: Callable[[torch.Tensor, int], torch.Tensor],
) -> torch.Tensor:
    """Run ``model`` over large slices of ``inputs``; ``reduce(logits, start)`` turns each slice's
    logits into per-row results (so huge logit matrices never sit in memory at once)."""
    model.to(device).eval()
    n = inputs[0].shape[0]
    parts = [
        reduce(model(*[x[s : s + batch_size].to(device) for x in inputs]), s).cpu()
        for s in range(0, n, batch_size)
    ]
    return torch.cat(parts) if parts else torch.empty(0)


def save_folder(path: Path, config: dict[str, Any], state: dict[str, torch.Tensor]) -> None:
    path.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.detach().cpu() for k, v in state.items()}
    torch.save(tensors, path / STATE_FILE)
    (path / CONFIG_FILE).write_text(json.dumps({"format": FORMAT_VERSION, **config}, indent=2))


def load_folder(path: Path, detector: str) -> tuple[dict[str, Any], dict[str, torch.Tensor]]:
    """Config and tensors of a saved model folder, checked to be a ``detector`` model."""
    config_file, state_file = path / CONFIG_FILE, path / STATE_FILE
    if not config_file.is_file() or not state_file.is_file():
        raise FileNotFoundError(f"{path} is not a saved detector folder ({CONFIG_FILE} + {STATE_FILE})")
    config: dict[str, Any] = json.loads(config_file.read_text())
    if config.get("detector") != detector:
        raise ValueError(f"{path} holds a {config.get('detector')!r} model, not {detector!r}")
    state: dict[str, torch.Tensor] = torch.load(state_file, map_location="cpu", weights_only=True)
    return config, state


def load_weights(model: nn.Module, state: dict[str, torch.Tensor], vocabulary: Vocabulary) -> None:
    """``load_state_dict`` with a clear error when tensor shapes disagree with the vocabulary."""
    try:
        model.load_state_dict(state)
    except RuntimeError as exc:
        raise VocabularyMismatchError(
            f"saved weights do not fit the saved vocabulary of {len(vocabulary.keys)} event ids: {exc}"
        ) from exc


def _jsonable(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    return value


class TorchDetector(BaseDetector):
    """Fitted state shared by the PyTorch detectors: ``vocabulary_``, ``model_``, ``threshold_``.

    Subclasses build their network in ``_build_model`` from their parameters, ``vocabulary_`` and
    whatever ``_extras`` returns (shapes the weights need, such as the semantic vector width), so
    ``load`` can rebuild the same network before reading the weights back.
    """

    _unsaved_params: tuple[str, ...] = ("templates",)
    """Parameters not written to ``config.json`` (their effect lives in the saved tensors)."""

    vocabulary_: Vocabulary
    model_: nn.Module
    train_seconds_: float
    losses_: list[float]

    @abstractmethod
    def _build_model(self) -> nn.Module:
        """The (untrained) network for ``vocabulary_`` and the detector's parameters."""

    def _extras(self) -> dict[str, Any]:
        """Fitted values besides the weights that ``load`` needs (JSON scalars only)."""
        return {}

    def _restore_extras(self, extras: dict[str, Any]) -> None:
        """Inverse of ``_extras``."""

    def save(self, path: str | Path) -> Path:
        """Write ``config.json`` + ``state_dict.pt`` into the folder ``path``; returns it."""
        self._check_fitted()
        folder = Path(path)
        params = {k: _jsonable(v) for k, v in self.get_params().items() if k not in self._unsaved_params}
        config = {
            "detector": self.name,
            "params": params,
            "vocabulary": self.vocabulary_.to_json(),
            "threshold": self.threshold_,
            "extras": self._extras(),
        }
        save_folder(folder, config, self.model_.state_dict())
        return folder

    @classmethod
    def load(cls, path: str | Path, device: str | None = None) -> Self:
        """Rebuild a detector saved by ``save``; ``device`` overrides the saved one."""
        config, state = load_folder(Path(path), cls.name)
        params = dict(config["params"])
        params["device"] = device
        detector = cls(**params)
        detector.vocabulary_ = Vocabulary(config["vocabulary"])
        detector._restore_extras(config.get("extras", {}))
        detector.model_ = detector._build_model()
        load_weights(detector.model_, state, detector.vocabulary_)
        detector.model_.eval()
        detector.threshold_ = float(config["threshold"])
        return detector
