"""The event representation of arXiv 2309.02206: a *concatenation* (not a sum) of

* a learned embedding of the event name (``name_dim``),
* a learned embedding of the process / thread name (``process_dim``),
* small learned embeddings of entry/exit and of return status (``flag_dim`` each),
* sinusoidal encodings of each numeric argument (``numeric_dim`` each, ``NUMERIC_CHANNELS``),
  multiplied by 0 where the argument is missing.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from anomalygen.detectors.support.event_encoding import Batch
from anomalygen.detectors.support.event_features import NUMERIC_CHANNELS


class EventEmbedding(nn.Module):
    frequencies: torch.Tensor

    def __init__(self, n_names: int, n_processes: int, name_dim: int = 32, process_dim: int = 8,
                 flag_dim: int = 4, numeric_dim: int = 8) -> None:
        super().__init__()
        if numeric_dim % 2:
            raise ValueError(f"numeric_dim must be even (sin and cos pairs), got {numeric_dim}")
        self.names = nn.Embedding(n_names, name_dim, padding_idx=0)
        self.processes = nn.Embedding(n_processes, process_dim)
        self.directions = nn.Embedding(3, flag_dim)
        self.statuses = nn.Embedding(3, flag_dim)
        half = numeric_dim // 2
        # wavelengths from 1 to 10,000 as in the Transformer's position encoding
        frequencies = torch.exp(-math.log(10_000.0) * torch.arange(half, dtype=torch.float32) / max(half, 1))
        self.register_buffer("frequencies", frequencies, persistent=False)
        self.numeric_dim = numeric_dim
        self.output_dim = name_dim + process_dim + 2 * flag_dim + numeric_dim * len(NUMERIC_CHANNELS)

    def forward(self, batch: Batch) -> torch.Tensor:
        """(B, T) batch -> (B, T, output_dim)."""
        angles = batch.numeric.unsqueeze(-1) * self.frequencies  # (B, T, C, half)
        waves = torch.cat([torch.sin(angles), torch.cos(angles)], dim=-1) * batch.present.unsqueeze(-1)
        parts = [
            self.names(batch.names),
            self.processes(batch.processes),
            self.directions(batch.directions),
            self.statuses(batch.statuses),
            waves.flatten(start_dim=2),
        ]
        return torch.cat(parts, dim=-1)
