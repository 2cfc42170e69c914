"""LogClustering (Lin et al., ICSE 2016; loglizer's ``LogClustering``), trained on normal sessions.

Offline phase: agglomerative clustering (average linkage, cosine distance) of a bootstrap sample
of normal sessions, cut at ``max_dist``; each cluster is represented by its centroid. Online
phase: every further normal session joins its nearest centroid if it is within ``max_dist``
(the centroid is updated as a running mean), or founds a new cluster. A session's score is its
cosine distance to the nearest centroid.

Identical count vectors are clustered once, with their multiplicity as weight in the centroids:
HDFS sessions repeat a lot. Online, this is exact (a copy always joins the cluster of the first);
offline, average linkage then runs over distinct vectors, a deliberate deviation from loglizer that
keeps a popular session from dominating the bootstrap sample.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.cluster import AgglomerativeClustering

from anomalygen.detectors.base import FloatArray, Sequences
from anomalygen.detectors.support.count_features import CountVectorDetector, Normalization, TermWeighting


def _unit_rows(features: FloatArray) -> FloatArray:
    norms = np.linalg.norm(features, axis=1, keepdims=True)
    unit: FloatArray = features / np.where(norms > 0.0, norms, 1.0)
    return unit


def cosine_distances(rows: FloatArray, centroids: FloatArray) -> FloatArray:
    """1 - cosine similarity; an empty (all-zero) row is at distance 1 from everything non-empty
    and 0 from an empty centroid, so empty sessions cluster together instead of producing NaN."""
    similarity = _unit_rows(rows) @ _unit_rows(centroids).T
    row_empty = ~np.any(rows != 0.0, axis=1)
    centroid_empty = ~np.any(centroids != 0.0, axis=1)
    similarity[np.ix_(row_empty, centroid_empty)] = 1.0
    distances: FloatArray = np.clip(1.0 - similarity, 0.0, 2.0)
    return distances


class LogClusteringDetector(CountVectorDetector):
    """Cosine distance to the nearest cluster of normal sessions.

    Parameters
    ----------
    max_dist : float
        Cosine distance at which the dendrogram is cut and beyond which the online phase
        starts a new cluster (loglizer: 0.3).
    bootstrap_size : int
        Number of distinct sessions clustered offline; the rest go through the online phase.
    seed : int
        Seed of the bootstrap sample.
    term_weighting, normalization, contamination
        See ``CountVectorDetector``; loglizer's demo uses TF-IDF.
    """

    def __init__(
        self,
        max_dist: float = 0.3,
        bootstrap_size: int = 1000,
        seed: int = 0,
        term_weighting: TermWeighting = "tf-idf-smooth",
        normalization: Normalization = "none",
        contamination: float = 0.0,
    ) -> None:
        super().__init__(term_weighting, normalization, contamination)
        self.max_dist = max_dist
        self.bootstrap_size = bootstrap_size
        self.seed = seed

    _saved_arrays = ("centroids_", "cluster_sizes_")

    centroids_: FloatArray
    cluster_sizes_: FloatArray

    def fit(self, sequences: Sequences, y: Sequence[int] | None = None) -> LogClusteringDetector:
        if not 0.0 < self.max_dist <= 2.0:
            raise ValueError(f"max_dist must be in (0, 2], got {self.max_dist}")
        if self.bootstrap_size < 1:
            raise ValueError(f"bootstrap_size must be >= 1, got {self.bootstrap_size}")
        features = self._fit_features(sequences)
        unique, weights = np.unique(features, axis=0, return_counts=True)
        order = np.random.default_rng(self.seed).permutation(unique.shape[0])
        offline, online = order[: self.bootstrap_size], order[self.bootstrap_size :]
        self._cluster_offline(unique[offline], weights[offline].astype(np.float64))
        for i in online:
            self._join_online(unique[i], float(weights[i]))
        self._provisional_threshold(features)
        return self

    def _cluster_offline(self, rows: FloatArray, weights: FloatArray) -> None:
        if rows.shape[0] == 1:
            labels = np.zeros(1, dtype=np.int64)
        else:
            # Empty rows have no cosine direction: nudge them so sklearn's cosine metric is defined;
            # they still end up together (identical rows) and apart from non-empty ones.
            safe = np.where(np.any(rows != 0.0, axis=1, keepdims=True), rows, 1e-12)
            model = AgglomerativeClustering(
                n_clusters=None, metric="cosine", linkage="average", distance_threshold=self.max_dist
            )
            labels = model.fit_predict(safe)
        n_clusters = int(labels.max()) + 1
        sizes = np.bincount(labels, weights=weights, minlength=n_clusters)
        sums = np.zeros((n_clusters, rows.shape[1]))
        np.add.at(sums, labels, rows * weights[:, None])
        self.centroids_ = sums / sizes[:, None]
        self.cluster_sizes_ = sizes.astype(np.float64)

    def _join_online(self, row: FloatArray, weight: float) -> None:
        distances = cosine_distances(row[None, :], self.centroids_)[0]
        nearest = int(np.argmin(distances))
        if distances[nearest] <= self.max_dist:
            size = self.cluster_sizes_[nearest]
            self.centroids_[nearest] = (self.centroids_[nearest] * size + row * weight) / (size + weight)
            self.cluster_sizes_[nearest] = size + weight
        else:
            self.centroids_ = np.vstack([self.centroids_, row])
            self.cluster_sizes_ = np.append(self.cluster_sizes_, weight)

    def _score(self, features: FloatArray) -> FloatArray:
        nearest: FloatArray = cosine_distances(features, self.centroids_).min(axis=1)
        return nearest
