"""What every deep detector shares: run settings, parameter checks, the training run and batched scoring.

The two families built on :class:`DeepDetector` (next-key models in
:mod:`anomalygen.detectors.deep.next_key`, session classifiers in
:mod:`anomalygen.detectors.deep.session_classifier`) only say how sessions become training tensors and
how a batch of logits becomes per-row results; each concrete detector then only adds its network.

Constructor parameters travel down the hierarchy as typed ``**kwargs`` (:class:`RunOptions` and
the family option dicts), so each class lists only the parameters it owns while ``get_params``
(which walks every ``__init__`` of the MRO) and saved ``config.json`` files still see them all.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Sequence
from typing import TypedDict

import torch

from anomalygen.detectors.base import Sequences
from anomalygen.detectors.support.torch_support import (
    TorchDetector,
    Vocabulary,
    batched_forward,
    resolve_device,
    seed_everything,
    torch_threads,
    train_classifier,
)


class RunOptions(TypedDict, total=False):
    """Settings with the same meaning and default in every deep detector."""

    epochs: int
    seed: int
    device: str | None
    n_threads: int | None
    contamination: float


TrainingData = tuple[Sequence[torch.Tensor], torch.Tensor, torch.Tensor | None]
"""Network inputs, one target per row, and optional class weights for the loss."""


class DeepDetector(TorchDetector):
    """A PyTorch detector trained by minibatch Adam on cross-entropy and scored in large batches.

    Parameters
    ----------
    batch_size, lr : training minibatch size and Adam learning rate (defaults differ per family).
    inference_batch_size : int
        Rows per forward pass when scoring.
    epochs : int
        Passes over the training data.
    seed : int
        Seeds python, numpy and torch; the CPU results are deterministic for a given seed.
    device : str or None
        ``None``/``"cpu"`` or a CUDA device such as ``"cuda"``.
    n_threads : int or None
        Torch intra-op threads while fitting and scoring; ``None`` keeps the process setting.
    """

    def __init__(
        self,
        batch_size: int,
        lr: float,
        inference_batch_size: int,
        epochs: int = 10,
        seed: int = 0,
        device: str | None = None,
        n_threads: int | None = None,
        contamination: float = 0.0,
        **unknown: object,
    ) -> None:
        # Parameters pass down as **kwargs, so Python would blame this class for a misspelt one
        # ("DeepDetector.__init__() got an unexpected keyword..."); name the detector instead.
        if unknown:
            raise TypeError(
                f"{self.name}: unknown parameter(s) {', '.join(sorted(unknown))}; "
                f"it takes {', '.join(self.parameter_names())}"
            )
        super().__init__(contamination=contamination)
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.seed = seed
        self.device = device
        self.n_threads = n_threads
        self.inference_batch_size = inference_batch_size

    @classmethod
    def parameter_names(cls) -> list[str]:
        """Every constructor parameter of the detector, over all its classes (sorted)."""
        kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
        names = {
            name
            for klass in cls.__mro__ if "__init__" in klass.__dict__ and klass is not object
            for name, param in inspect.signature(klass.__dict__["__init__"]).parameters.items()
            if param.kind in kinds and name != "self"
        }
        return sorted(names)

    def _validate_params(self) -> None:
        """Raise ``ValueError`` for settings no run can use; families extend it."""
        if self.epochs < 1 or self.batch_size < 1 or self.inference_batch_size < 1:
            raise ValueError(f"{self.name}: epochs and batch sizes must be >= 1")

    def _prepare(self, sequences: Sequences) -> None:
        """Hook for models that need more than the vocabulary before building (semantics)."""

    def _train_network(
        self, sequences: Sequences, training_data: Callable[[list[list[int]]], TrainingData]
    ) -> None:
        """Seed, learn the vocabulary, build ``model_`` and train it on ``training_data(encoded)``.

        The order (seed, vocabulary, ``_prepare``, ``_build_model``, data) is part of the result:
        building the network draws from the seeded generator, so it must not move.
        """
        device = resolve_device(self.device)
        began = time.perf_counter()
        with torch_threads(self.n_threads):
            generator = seed_everything(self.seed)
            self.vocabulary_ = Vocabulary.from_sequences(sequences)
            self._prepare(sequences)
            self.model_ = self._build_model()
            inputs, targets, class_weight = training_data(self.vocabulary_.encode_all(sequences))
            self.losses_ = train_classifier(
                self.model_, inputs, targets, epochs=self.epochs, batch_size=self.batch_size,
                lr=self.lr, generator=generator, device=device, class_weight=class_weight,
            )
            self.model_.to(torch.device("cpu"))
        self.train_seconds_ = time.perf_counter() - began

    def _forward(
        self, inputs: Sequence[torch.Tensor], reduce: Callable[[torch.Tensor, int], torch.Tensor]
    ) -> torch.Tensor:
        """``model_`` over ``inputs`` in batches of ``inference_batch_size``; see ``batched_forward``."""
        with torch_threads(self.n_threads):
            return batched_forward(
                self.model_, inputs, batch_size=self.inference_batch_size,
                device=resolve_device(self.device), reduce=reduce,
            )
