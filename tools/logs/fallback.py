"""Drain3 clusters for lines no source statement matches, so that no line is dropped."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any


def new_drain() -> Any:
    """A Drain3 ``TemplateMiner`` with its default parameters, no persistence and no config file lookup."""
    from drain3 import TemplateMiner  # imported on first use: the CLI modules stay light to import
    from drain3.template_miner_config import TemplateMinerConfig

    logging.getLogger("drain3").setLevel(logging.WARNING)
    config = TemplateMinerConfig()
    config.profiling_enabled = False
    return TemplateMiner(config=config)


class FallbackClusters:
    """Clusters of unmatched messages: id ``drain:N`` and the cluster's current template."""

    __slots__ = ("_miner", "counts", "samples", "templates")

    def __init__(self) -> None:
        self._miner = new_drain()
        self.counts: Counter[str] = Counter()
        self.samples: dict[str, str] = {}
        self.templates: dict[str, str] = {}

    def assign(self, message: str) -> tuple[str, str]:
        result = self._miner.add_log_message(message)
        cluster = f"drain:{result['cluster_id']}"
        template = str(result["template_mined"])
        self.counts[cluster] += 1
        self.samples.setdefault(cluster, message)
        self.templates[cluster] = template
        return cluster, template

    def top(self, limit: int = 20) -> list[dict[str, object]]:
        return [{"cluster": c, "count": n, "template": self.templates[c], "sample": self.samples[c]}
                for c, n in self.counts.most_common(limit)]
