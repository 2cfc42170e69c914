"""Shared fixtures: locations of the real corpora and datasets used by integration tests."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
DATASETS = REPO_ROOT.parent / "shared" / "datasets"
ZOOKEEPER_SRC = REPO_ROOT / ".cache" / "corpus" / "zookeeper-3.8.0"
TOMCAT_SRC = REPO_ROOT / ".cache" / "corpus" / "tomcat10"
SPRING_SRC = REPO_ROOT / ".cache" / "corpus" / "spring-4.3.30"
EXAMPLES = REPO_ROOT / "examples"


@pytest.fixture(scope="session")
def datasets_dir() -> Path:
    if not DATASETS.is_dir():
        pytest.skip(f"datasets not found at {DATASETS}")
    return DATASETS


@pytest.fixture(scope="session")
def zookeeper_src() -> Path:
    if not (ZOOKEEPER_SRC / "zookeeper-server" / "src" / "main").is_dir():
        pytest.skip("ZooKeeper source missing: run scripts/fetch-corpus.sh (make corpus)")
    return ZOOKEEPER_SRC


@pytest.fixture(scope="session")
def tomcat_src() -> Path:
    if not (TOMCAT_SRC / "java" / "org" / "apache" / "catalina").is_dir():
        pytest.skip("Tomcat source missing: run scripts/fetch-corpus.sh (make corpus)")
    return TOMCAT_SRC


@pytest.fixture(scope="session")
def spring_src() -> Path:
    if not (SPRING_SRC / "spring-core" / "src" / "main").is_dir():
        pytest.skip("Spring source missing: run scripts/fetch-corpus.sh (make corpus)")
    return SPRING_SRC
