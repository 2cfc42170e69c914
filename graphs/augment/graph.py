"""The augment StateGraph: scan -> [logs] -> paths -> verify -> parameters -> sessions -> labels
-> [review] -> export, checkpointed in SQLite so a run resumes where it stopped.

A node's update is checkpointed before the next node starts (``durability="sync"``), so a crash
or Ctrl-C loses at most the stage that was running; ``resume`` continues the same thread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path as FilePath
from typing import Any, Literal

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from anomalygen.graphs.augment.nodes import make_nodes
from anomalygen.graphs.augment.state import AugmentState
from anomalygen.graphs.augment.toolkit import Toolkit

CHECKPOINT_DB = ".checkpoints.sqlite"
STAGES = ("scan", "logs", "paths", "verify", "parameters", "sessions", "labels", "review", "export")


def after_scan(state: AugmentState) -> Literal["logs", "paths"]:
    """Real data (logs, a vocabulary and its key sessions) is read only when some was given."""
    settings = state["settings"]
    return "logs" if settings["logs"] or settings.get("vocabulary") else "paths"


def after_labels(state: AugmentState) -> Literal["review", "export"]:
    return "review" if state["settings"]["review"] else "export"


def after_review(state: AugmentState) -> Literal["export", "__end__"]:
    """A rejected review ends the run without writing the dataset."""
    return "export" if state.get("review", {}).get("approved", True) else "__end__"


def build_graph(toolkit: Toolkit, checkpointer: Any = None) -> CompiledStateGraph[Any, Any, Any, Any]:
    nodes = make_nodes(toolkit)
    graph = StateGraph(AugmentState)
    for name in STAGES:
        graph.add_node(name, nodes[name])
    graph.add_edge(START, "scan")
    graph.add_conditional_edges("scan", after_scan, ["logs", "paths"])
    graph.add_edge("logs", "paths")
    graph.add_edge("paths", "verify")
    graph.add_edge("verify", "parameters")
    graph.add_edge("parameters", "sessions")
    graph.add_edge("sessions", "labels")
    graph.add_conditional_edges("labels", after_labels, ["review", "export"])
    graph.add_conditional_edges("review", after_review, ["export", END])
    graph.add_edge("export", END)
    return graph.compile(checkpointer=checkpointer)


@contextmanager
def sqlite_checkpointer(out_dir: FilePath) -> Iterator[SqliteSaver]:
    """The run's checkpoint database, ``OUT/.checkpoints.sqlite``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(str(out_dir / CHECKPOINT_DB), check_same_thread=False)
    try:
        yield SqliteSaver(connection)
    finally:
        connection.close()


def thread(run_id: str) -> RunnableConfig:
    """The LangGraph config that addresses one run's checkpoints."""
    return {"configurable": {"thread_id": run_id}}
