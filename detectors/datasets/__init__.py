"""Datasets for the evaluation harness, by name. Each module exposes
``load(data_dir: pathlib.Path, seed: int) -> DatasetSplit`` (see ``base.py``)."""

from anomalygen.detectors.datasets.base import DatasetSplit, available_datasets, load_dataset

__all__ = ["DatasetSplit", "available_datasets", "load_dataset"]
