"""Hand-built records shaped like the blockstore demo: a client write, datanode receives (one of them
failing in a catch block), the namenode's bookkeeping, and an unrelated monitor thread."""

from __future__ import annotations

from anomalygen.records import Feasibility, Level, LogStatement, Path, Slot, Verdict, VerdictKind
from anomalygen.tools.java.model import Program

STATEMENTS = (
    LogStatement("Client.java:10", "src/Client.java", 10, Level.INFO, "Allocating block {} for {}",
                 (Slot(0, "blockId", "long"), Slot(1, "path", "String")), "org.example.Client"),
    LogStatement("DataNode.java:20", "src/DataNode.java", 20, Level.INFO,
                 "Receiving block {} src: {} dest: {}",
                 (Slot(0, "b", "Block"), Slot(1, "src", "String"), Slot(2, "dest", "String")),
                 "org.example.DataNode"),
    LogStatement("DataNode.java:30", "src/DataNode.java", 30, Level.INFO,
                 "Received block {} of size {} from {}",
                 (Slot(0, "b.getBlockId()", "long"), Slot(1, "size", "long"), Slot(2, "src", "String")),
                 "org.example.DataNode"),
    LogStatement("DataNode.java:40", "src/DataNode.java", 40, Level.WARN,
                 "Exception writing block {} to mirror {}",
                 (Slot(0, "b", "Block"), Slot(1, "mirror", "String")), "org.example.DataNode"),
    LogStatement("NameSystem.java:50", "src/NameSystem.java", 50, Level.INFO,
                 "addStoredBlock: {} is added to {} size {}",
                 (Slot(0, "dest", "String"), Slot(1, "blockId", "long"), Slot(2, "len", "long")),
                 "org.example.NameSystem"),
    LogStatement("Monitor.java:60", "src/Monitor.java", 60, Level.INFO,
                 "Monitor started, checking every {} ms",
                 (Slot(0, "intervalMs", "long"),), "org.example.Monitor"),
    LogStatement("Monitor.java:70", "src/Monitor.java", 70, Level.ERROR, "Monitor died: {}",
                 (Slot(0, "reason", "String"),), "org.example.Monitor"),
)
BY_ID = {s.id: s for s in STATEMENTS}

PATHS = (
    Path("p-client", "org.example.Client.write()", ("Client.java:10",), feasibility=Feasibility.SAT),
    Path("p-dn-ok", "org.example.DataNode.run()", ("DataNode.java:20", "DataNode.java:30"),
         feasibility=Feasibility.SAT),
    Path("p-dn-fail", "org.example.DataNode.run()", ("DataNode.java:20", "DataNode.java:40"),
         feasibility=Feasibility.UNKNOWN, through_catch=True),
    Path("p-nn", "org.example.NameSystem.add()", ("NameSystem.java:50",), feasibility=Feasibility.SAT),
    Path("p-mon", "org.example.Monitor.run()", ("Monitor.java:60",), feasibility=Feasibility.SAT),
    Path("p-mon-dead", "org.example.Monitor.run()", ("Monitor.java:60", "Monitor.java:70"),
         feasibility=Feasibility.UNKNOWN),
)
INFEASIBLE = "p-mon-dead"


def program(root: str = "/nonexistent") -> Program:
    return Program(root=root, files=sorted({s.file for s in STATEMENTS}),
                   log_statements={s.id: s for s in STATEMENTS})


def verdicts(paths: list[Path] | tuple[Path, ...]) -> list[Verdict]:
    """Symbolic verdicts, with one path judged infeasible so dropping is exercised."""
    return [Verdict(p.id, VerdictKind.INFEASIBLE if p.id == INFEASIBLE else VerdictKind.FEASIBLE, "symbolic",
                    "hand-built") for p in paths]
