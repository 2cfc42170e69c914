"""Shared machinery of the language-model novelty detectors (arXiv 2309.02206).

A detector here is a left-to-right model of the next event name given the events before it,
with their arguments (``lm_features``, ``lm_embedding``). The anomaly score of a sequence is its
mean per-position surprisal in nats, i.e. the log of its perplexity (``perplexity`` gives exp);
``surprisal`` shows where a sequence became unlikely. Thresholds come from normal data only
(``BaseDetector.calibrate``).

Long sequences are never cut silently. Training always uses windows of ``window`` positions.
Scoring depends on the architecture and emits ``LongSequenceWarning`` when it applies:

* recurrent (``context = None``): chunks of ``window`` positions with the hidden state carried
  from chunk to chunk, so every event is scored with its full history;
* attention (``context = N``): sliding windows of N positions with stride N/2; every event is
  scored exactly once, with at least N/2 events of context (all of them when the sequence fits).

Saved models are a folder with ``config.json`` (detector name, parameters, vocabularies,
threshold) and ``state_dict.pt`` (tensors only, loaded with ``weights_only=True``); nothing is
pickled.
"""

from __future__ import annotations

import json
import warnings
from abc import abstractmethod
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any, Self

import numpy as np
import torch
from torch import nn

from anomalygen.detectors.base import BaseDetector, EventSequence, FloatArray, Sequences
from anomalygen.detectors.lm.embedding import EventEmbedding
from anomalygen.detectors.support.event_encoding import PAD, Encoded, FeatureVocabulary, collate, encode
from anomalygen.detectors.support.event_features import to_features

CONFIG_FILE, STATE_FILE, FORMAT = "config.json", "state_dict.pt", 1
_SCALARS = (str, int, float, bool)


class LongSequenceWarning(UserWarning):
    """Some sequences were longer than one model pass and were chunked or windowed."""


class LMDetector(BaseDetector):
    """Base of ``lm-lstm``, ``lm-transformer`` and ``lm-longformer``.

    Parameters
    ----------
    epochs, batch_size, learning_rate : training schedule (Adam, gradient norm clipped at 1).
    window : int
        Positions per training window, and per scoring chunk of the recurrent model.
    name_dim, process_dim, flag_dim, numeric_dim : sizes of the concatenated event features.
    device : str
        ``cpu`` (default), ``cuda``, ``cuda:1``...
    seed : int
        Seeds weight initialisation and window shuffling.
    threads : int or None
        ``torch.set_num_threads`` while fitting and scoring (None: leave torch's setting).
    score_batch_size : int
        Sequences (or windows) per scoring pass.
    holdout : float
        Share of the training sequences (drawn by ``seed``) kept out of training to watch the
        held-out loss each epoch: the best epoch's weights are kept, the learning rate is halved
        after an epoch that did not improve, and training stops after ``patience`` such epochs.
        0 (default) trains every epoch on everything. Never pass test data here: it is carved
        from the (normal) training sequences themselves.
    patience : int
        Epochs without held-out improvement before stopping (with ``holdout > 0``).
    carry_state : bool
        Recurrent models only: train by truncated back-propagation through whole sequences
        (batches of sequences cut into ``window``-position chunks, the hidden state carried and
        detached between chunks), which matches how they are scored; False trains on
        independent windows, each from a zero state.
    aggregate : "mean" or "max"
        Sequence score from per-position surprisal: ``mean`` (the log-perplexity, the paper's
        score) or ``max`` (the most surprising event; better when one odd event is the anomaly,
        as in HDFS block sessions).
    """

    context: int | None = None
    """Positions one attention pass can see; None for recurrent models (state is carried)."""

    def __init__(self, epochs: int = 3, batch_size: int = 16, learning_rate: float = 3e-3,
                 window: int = 128, name_dim: int = 32, process_dim: int = 8, flag_dim: int = 4,
                 numeric_dim: int = 8, device: str = "cpu", seed: int = 0, threads: int | None = None,
                 score_batch_size: int = 64, aggregate: str = "mean", holdout: float = 0.0,
                 patience: int = 2, carry_state: bool = False, contamination: float = 0.0) -> None:
        super().__init__(contamination=contamination)
        if not 0.0 <= holdout < 1.0 or patience < 1:
            raise ValueError(f"holdout must be in [0, 1) and patience >= 1, got {holdout}, {patience}")
        self.holdout, self.patience, self.carry_state = holdout, patience, carry_state
        if aggregate not in ("mean", "max"):
            raise ValueError(f"aggregate must be 'mean' or 'max', got {aggregate!r}")
        self.aggregate = aggregate
        if epochs < 1 or batch_size < 1 or window < 2 or score_batch_size < 1:
            raise ValueError("epochs, batch_size and score_batch_size must be >= 1, window >= 2")
        self.epochs, self.batch_size, self.learning_rate = epochs, batch_size, learning_rate
        self.window = window
        self.name_dim, self.process_dim, self.flag_dim, self.numeric_dim = (
            name_dim, process_dim, flag_dim, numeric_dim)
        self.device, self.seed, self.threads = device, seed, threads
        self.score_batch_size = score_batch_size

    @abstractmethod
    def build_network(self, embedding: EventEmbedding, n_names: int) -> nn.Module:
        """The model: ``forward(batch, state) -> (logits (B, T, n_names), state)``."""

    # -- fitting -----------------------------------------------------------------------
    def fit(self, sequences: Sequences, y: Sequence[int] | None = None) -> LMDetector:
        self.validate_sequences(sequences)
        if self.carry_state and self.context is not None:
            raise ValueError(f"{self.name}: carry_state needs a recurrent model")
        self._set_threads()
        torch.manual_seed(self.seed)
        events = [[to_features(e) for e in s] for s in sequences]
        self.vocabulary_ = FeatureVocabulary.from_events(events)
        self.network_ = self._new_network().to(self._device())
        encoded = [encode(s, self.vocabulary_) for s in events]
        rng = np.random.default_rng(self.seed)
        train, held = self._split_holdout(encoded, rng)
        optimizer = torch.optim.Adam(self.network_.parameters(), lr=self.learning_rate)
        self.losses_: list[float] = []
        self.holdout_losses_: list[float] = []
        best: tuple[float, dict[str, torch.Tensor]] | None = None
        stale = 0
        for _ in range(self.epochs):
            self.network_.train()
            epoch = self._epoch_stateful if self.carry_state else self._epoch_windows
            self.losses_.append(epoch(train, optimizer, rng))
            if not held:
                continue
            self.network_.eval()
            loss = self._mean_nll(held)
            self.holdout_losses_.append(loss)
            if best is None or loss < best[0]:
                best = (loss, {k: v.detach().clone() for k, v in self.network_.state_dict().items()})
                stale = 0
                continue
            stale += 1
            if stale >= self.patience:
                break
            for group in optimizer.param_groups:  # a plateau: smaller steps from here on
                group["lr"] = group["lr"] * 0.5
        if best is not None:
            self.network_.load_state_dict(best[1])
        self.network_.eval()
        self.threshold_ = np.inf
        self.set_threshold(self.decision_function(sequences))
        return self

    def _split_holdout(self, encoded: list[Encoded], rng: np.random.Generator
                       ) -> tuple[list[Encoded], list[Encoded]]:
        n_held = round(len(encoded) * self.holdout)
        if n_held == 0 or n_held >= len(encoded):
            return encoded, []
        order = rng.permutation(len(encoded))
        return [encoded[i] for i in order[n_held:]], [encoded[i] for i in order[:n_held]]

    def _step(self, batch_pieces: list[tuple[Encoded, int, int]], optimizer: torch.optim.Optimizer,
              state: Any) -> tuple[float, Any]:
        batch = collate(batch_pieces).to(self._device())
        logits, state = self.network_(batch, state)
        loss = nn.CrossEntropyLoss(ignore_index=PAD)(logits.reshape(-1, logits.shape[-1]),
                                                     batch.targets.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(self.network_.parameters(), 1.0)
        optimizer.step()
        return float(loss.item()), state

    def _epoch_windows(self, encoded: list[Encoded], optimizer: torch.optim.Optimizer,
                       rng: np.random.Generator) -> float:
        pieces = [(enc, start, min(start + self.window, len(enc)))
                  for enc in encoded for start in range(0, len(enc), self.window)]
        order = rng.permutation(len(pieces))
        losses = [self._step([pieces[j] for j in order[i:i + self.batch_size]], optimizer, None)[0]
                  for i in range(0, len(order), self.batch_size)]
        return float(np.mean(losses)) if losses else 0.0

    def _epoch_stateful(self, encoded: list[Encoded], optimizer: torch.optim.Optimizer,
                        rng: np.random.Generator) -> float:
        # Batches of similar length (sorted, then the batches shuffled) waste little padding.
        by_length = sorted(range(len(encoded)), key=lambda i: (len(encoded[i]), rng.random()))
        groups = [by_length[i:i + self.batch_size] for i in range(0, len(by_length), self.batch_size)]
        losses: list[float] = []
        for g in rng.permutation(len(groups)):
            group = [encoded[i] for i in groups[g]]
            state: Any = None
            for start in range(0, max(len(enc) for enc in group), self.window):
                pieces = [(enc, min(start, len(enc)), min(start + self.window, len(enc))) for enc in group]
                loss, state = self._step(pieces, optimizer, state)
                losses.append(loss)
                state = tuple(t.detach() for t in state)  # truncated BPTT: no gradient across chunks
        return float(np.mean(losses)) if losses else 0.0

    def _mean_nll(self, encoded: list[Encoded]) -> float:
        """Mean surprisal per position over held-out sequences (every position weighs the same)."""
        out = [np.zeros(len(enc), dtype=np.float64) for enc in encoded]
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore", LongSequenceWarning)  # said once, when scoring for real
            if self.context is None:
                self._score_recurrent(encoded, out)
            else:
                self._score_windowed(encoded, out, self.context)
        return float(np.concatenate(out).mean())

    # -- scoring -----------------------------------------------------------------------
    def decision_function(self, sequences: Sequences) -> FloatArray:
        """Mean surprisal per sequence (nats per position, the log of its perplexity), or the
        maximum with ``aggregate="max"``."""
        reduce = np.max if self.aggregate == "max" else np.mean
        return np.asarray([float(reduce(s)) for s in self.surprisals(sequences)], dtype=np.float64)

    def perplexity(self, sequences: Sequences) -> FloatArray:
        """exp of the mean surprisal of each sequence, whatever ``aggregate`` says."""
        return np.exp(np.asarray([float(s.mean()) for s in self.surprisals(sequences)], dtype=np.float64))

    def surprisal(self, sequence: EventSequence) -> list[float]:
        """-log P of each event given the ones before it, then of the end of the sequence."""
        return [float(v) for v in self.surprisals([sequence])[0]]

    def surprisals(self, sequences: Sequences) -> list[np.ndarray]:
        self._check_fitted()
        self._set_threads()
        encoded = [encode(s, self.vocabulary_) for s in sequences]
        out = [np.zeros(len(enc), dtype=np.float64) for enc in encoded]
        with torch.no_grad():
            if self.context is None:
                self._score_recurrent(encoded, out)
            else:
                self._score_windowed(encoded, out, self.context)
        return out

    def _score_recurrent(self, encoded: list[Encoded], out: list[np.ndarray]) -> None:
        long = sum(1 for enc in encoded if len(enc) > self.window)
        if long:
            warnings.warn(f"{self.name}: {long} sequences longer than {self.window} positions were "
                          f"scored in chunks of {self.window} with the hidden state carried (exact)",
                          LongSequenceWarning, stacklevel=3)
        order = sorted(range(len(encoded)), key=lambda i: -len(encoded[i]))
        for g in range(0, len(order), self.score_batch_size):
            group = order[g:g + self.score_batch_size]
            longest = len(encoded[group[0]])
            state: Any = None
            for start in range(0, longest, self.window):
                pieces = [(encoded[i], min(start, len(encoded[i])), min(start + self.window, len(encoded[i])))
                          for i in group]
                nll, state = self._nll(pieces, state)
                for row, (i, (_, a, b)) in enumerate(zip(group, pieces, strict=True)):
                    out[i][a:b] = nll[row, : b - a]

    def _score_windowed(self, encoded: list[Encoded], out: list[np.ndarray], context: int) -> None:
        stride = max(1, context // 2)
        windows: list[tuple[int, int, int, int]] = []  # (sequence, start, end, first scored position)
        long = 0
        for i, enc in enumerate(encoded):
            n = len(enc)
            windows.append((i, 0, min(context, n), 0))
            long += n > context
            start = stride
            while start + context - stride < n:
                windows.append((i, start, min(start + context, n), start + context - stride))
                start += stride
        if long:
            warnings.warn(f"{self.name}: {long} sequences longer than the context of {context} positions "
                          f"were scored in sliding windows (stride {stride}; every event sees at least "
                          f"{stride} earlier positions)", LongSequenceWarning, stacklevel=3)
        windows.sort(key=lambda w: w[1] - w[2])
        for g in range(0, len(windows), self.score_batch_size):
            group = windows[g:g + self.score_batch_size]
            nll, _ = self._nll([(encoded[i], a, b) for i, a, b, _ in group], None)
            for row, (i, a, b, first) in enumerate(group):
                out[i][first:b] = nll[row, first - a: b - a]

    def _nll(self, pieces: list[tuple[Encoded, int, int]], state: Any) -> tuple[np.ndarray, Any]:
        batch = collate(pieces).to(self._device())
        logits, state = self.network_(batch, state)
        log_probs = torch.log_softmax(logits.float(), dim=-1)
        nll = -log_probs.gather(-1, batch.targets.unsqueeze(-1)).squeeze(-1)
        return nll.cpu().numpy().astype(np.float64), state

    # -- persistence -------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write ``config.json`` + ``state_dict.pt`` into the folder ``path``; returns it."""
        self._check_fitted()
        folder = Path(path)
        names = self.vocabulary_.names
        if not all(isinstance(n, _SCALARS) for n in names):
            raise ValueError(f"{self.name}: only str/int/float/bool event ids can be saved to JSON")
        folder.mkdir(parents=True, exist_ok=True)
        config = {"format": FORMAT, "detector": self.name, "params": self.get_params(),
                  "names": names, "processes": self.vocabulary_.processes,
                  "threshold": self.threshold_, "losses": self.losses_}
        (folder / CONFIG_FILE).write_text(json.dumps(config, indent=1), encoding="utf-8")
        torch.save(self.network_.state_dict(), folder / STATE_FILE)
        return folder

    @classmethod
    def load(cls, path: str | Path, device: str | None = None) -> Self:
        """Rebuild a model written by ``save``; ``device`` overrides the saved one. Called on
        ``LMDetector`` itself it reads any language model, on a subclass only that one."""
        from anomalygen.detectors.registry import get_detector

        folder = Path(path)
        config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
        if config.get("format") != FORMAT:
            raise ValueError(f"{folder}: unsupported model format {config.get('format')!r}")
        params = dict(config["params"])
        if device is not None:
            params["device"] = device
        detector = get_detector(config["detector"], **params)
        if not isinstance(detector, cls):
            raise ValueError(f"{folder}: {config['detector']!r} is not a {cls.name} model")
        names: list[Hashable] = config["names"]
        detector.vocabulary_ = FeatureVocabulary(names, config["processes"])
        detector.network_ = detector._new_network().to(detector._device())
        state = torch.load(folder / STATE_FILE, map_location=detector._device(), weights_only=True)
        detector.network_.load_state_dict(state)
        detector.network_.eval()
        detector.threshold_ = float(config["threshold"])
        detector.losses_ = list(config.get("losses", []))
        return detector

    # -- helpers -----------------------------------------------------------------------
    def _new_network(self) -> nn.Module:
        vocab = self.vocabulary_
        embedding = EventEmbedding(vocab.n_names, vocab.n_processes, self.name_dim, self.process_dim,
                                   self.flag_dim, self.numeric_dim)
        return self.build_network(embedding, vocab.n_names)

    def _device(self) -> torch.device:
        return torch.device(self.device)

    def _set_threads(self) -> None:
        if self.threads is not None:
            torch.set_num_threads(self.threads)
