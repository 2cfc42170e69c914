"""Shared fixtures: locations of the real corpora and datasets used by integration tests."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
DATASETS = REPO_ROOT.parent / "shared" / "datasets"
ZOOKEEPER_SRC = REPO_ROOT / ".cache" / "corpus" / "zookeeper-3.8.0"
TOMCAT_SRC = REPO_ROOT / ".cache" / "corpus" / "tomcat10"
SPRING_SRC = REPO_ROOT / ".cache" / "corpus" / "spring-4.3.30"
HDFS_SRC = REPO_ROOT / ".cache" / "corpus" / "hadoop-0.18.2" / "src" / "hdfs"
EXAMPLES = REPO_ROOT / "examples"


@pytest.fixture(scope="session")
def datasets_dir() -> Path:
    if not DATASETS.is_dir():
        pytest.skip(f"datasets not found at {DATASETS}")
    return DATASETS


def _corpus(root: Path, marker: str, name: str) -> Path:
    """A source tree fetched by scripts/fetch-corpus.sh, or a skip that says how to fetch it."""
    if not (root / marker).is_dir():
        pytest.skip(f"{name} source missing: run scripts/fetch-corpus.sh (make corpus)")
    return root


@pytest.fixture(scope="session")
def zookeeper_src() -> Path:
    return _corpus(ZOOKEEPER_SRC, "zookeeper-server/src/main", "ZooKeeper")


@pytest.fixture(scope="session")
def tomcat_src() -> Path:
    return _corpus(TOMCAT_SRC, "java/org/apache/catalina", "Tomcat")


@pytest.fixture(scope="session")
def spring_src() -> Path:
    return _corpus(SPRING_SRC, "spring-core/src/main", "Spring")


@pytest.fixture(scope="session")
def hdfs_src() -> Path:
    """Hadoop 0.18.2's HDFS source (unpacked from ../shared/corpora by scripts/fetch-corpus.sh)."""
    return _corpus(HDFS_SRC, "org/apache/hadoop/dfs", "Hadoop 0.18.2 HDFS")
