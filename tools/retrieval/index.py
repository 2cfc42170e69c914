"""``CodeIndex``: chromadb vectors + BM25 words over a repository's methods, classes and log statements.

Lives under a cache folder (the agent's output folder): a chromadb PersistentClient and a JSON
manifest of file hashes. ``refresh`` re-parses and re-embeds only the files whose hash changed.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from anomalygen.tools.java.files import discover_java_files
from anomalygen.tools.java.scope import SourceScope
from anomalygen.tools.retrieval.documents import Document, documents_of
from anomalygen.tools.retrieval.fusion import fuse
from anomalygen.tools.retrieval.lexical import LexicalRanking
from anomalygen.tools.retrieval.manifest import Manifest, file_hash

if TYPE_CHECKING:
    from anomalygen.tools.java.model import Program

MAX_FILE_BYTES = 2_000_000
SUBSET_LIMIT = 40
"""Up to this many changed files are parsed on their own; more, and the whole repository is parsed."""
CANDIDATES = 50
BATCH = 1000
"""Documents embedded per chromadb call: one progress line per batch during a long index."""
TEST_WEIGHT = 0.8
"""Code under test folders ranks below the system's own (a running system does not execute it)."""
_SYMBOL = re.compile(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*(\(\))?$")


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str
    id: str
    name: str
    file: str
    line: int
    score: float
    snippet: str
    statement_id: str | None = None
    method_id: str | None = None
    how: str = "fused"


def _is_test(file: str) -> bool:
    return "/test/" in f"/{file}" or file.rsplit("/", 1)[-1].startswith("Test")


@dataclass
class RefreshStats:
    files_changed: int
    documents: int
    seconds: float


class CodeIndex:
    def __init__(self, repo: Path, cache_dir: Path, program: Callable[[], Program] | None = None,
                 notify: Callable[[str], None] | None = None) -> None:
        self.repo = repo.resolve()
        self.cache_dir = cache_dir.resolve()
        self._program = program
        self._notify = notify
        """Told, in one line, what a long refresh is doing (the first index of a big repository)."""
        self._manifest_path = self.cache_dir / "manifest.json"
        self.manifest = Manifest.load(self._manifest_path)
        self._collection: Any = None
        self._lexical: LexicalRanking | None = None
        self._docs: dict[str, Document] = {}
        self._fresh = False

    @classmethod
    def open(cls, repo: Path, cache_dir: Path, program: Callable[[], Program] | None = None,
             notify: Callable[[str], None] | None = None) -> CodeIndex:
        """The index of ``repo`` kept in ``cache_dir``; ``program`` gives an already parsed repository;
        ``notify`` hears progress lines while many files are (re-)indexed."""
        return cls(repo, cache_dir, program, notify)

    def _tell(self, message: str) -> None:
        if self._notify is not None:
            self._notify(message)

    # -- storage -----------------------------------------------------------------------------
    def collection(self) -> Any:
        if self._collection is None:
            import chromadb
            from chromadb.config import Settings

            from anomalygen.tools.retrieval.embedding import MiniLMEmbedding

            client = chromadb.PersistentClient(
                path=str(self.cache_dir / "chroma"), settings=Settings(anonymized_telemetry=False)
            )
            self._collection = client.get_or_create_collection(
                "code", embedding_function=MiniLMEmbedding(),  # type: ignore[arg-type]
                metadata={"hnsw:space": "cosine"},
            )
        return self._collection

    # -- keeping current ---------------------------------------------------------------------
    def _current_hashes(self) -> dict[str, str]:
        # the files a scan reads (no test trees, no build tooling), so documents match the program
        found = discover_java_files(self.repo, max_file_bytes=MAX_FILE_BYTES, scope=SourceScope())
        return {f.relative: file_hash(f.absolute) for f in found.files}

    def refresh(self) -> RefreshStats:
        """Re-index the files added, changed or removed since the last refresh."""
        started = time.perf_counter()
        hashes = self._current_hashes()
        old = self.manifest.hashes
        changed = {f for f, h in hashes.items() if old.get(f) != h}
        removed = set(old) - set(hashes)
        if changed or removed:
            long = len(changed) > SUBSET_LIMIT
            if long:
                self._tell(
                    f"indexing {len(changed)} Java files of {self.repo.name} once for search (a minute or"
                    " more on a big repository; later searches re-index only changed files) ..."
                    if not old else f"re-indexing {len(changed)} changed Java files of {self.repo.name} ..."
                )
            new_docs = self._parse(changed, whole=long or not old)
            stale = [d.id for f in changed | removed for d in self.manifest.docs.get(f, []) if d.embed]
            collection = self.collection()
            for start in range(0, len(stale), 5000):
                collection.delete(ids=stale[start : start + 5000])
            for f in changed | removed:
                self.manifest.docs.pop(f, None)
            by_id = {d.id: d for d in new_docs}  # ids are unique per repository; keep one of a clash
            for doc in by_id.values():
                self.manifest.docs.setdefault(doc.file, []).append(doc)
            fresh = [d for d in by_id.values() if d.embed]
            for start in range(0, len(fresh), BATCH):
                batch = fresh[start : start + BATCH]
                collection.add(
                    ids=[d.id for d in batch], documents=[d.text for d in batch],
                    metadatas=[{"kind": d.kind, "file": d.file} for d in batch],
                )
                if long:
                    done = min(start + BATCH, len(fresh))
                    self._tell(f"indexing: {done} of {len(fresh)} documents embedded")
            self.manifest.hashes = hashes
            self.manifest.save(self._manifest_path)
            self._lexical = None
        stats = RefreshStats(
            len(changed | removed), len(self.manifest.all_docs()), time.perf_counter() - started
        )
        if len(changed) > SUBSET_LIMIT:
            self._tell(f"indexed {stats.documents} methods, classes and statements in {stats.seconds:.0f} s")
        self._fresh = True
        return stats

    def _parse(self, files: set[str], whole: bool) -> list[Document]:
        if not files:
            return []
        if whole or self._program is not None:
            program = self._program() if self._program is not None else _load(self.repo)
            return documents_of(program, files)
        # a few files: parse them alone (a copy under the cache), not the whole repository
        scratch = Path(tempfile.mkdtemp(prefix="parse-", dir=self.cache_dir))
        try:
            for relative in files:
                target = scratch / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(self.repo / relative, target)
            docs = documents_of(_load(scratch), files)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return docs

    def _ready(self) -> None:
        if not self._fresh:
            self.refresh()
        if self._lexical is None:
            docs = self.manifest.all_docs()
            self._docs = {d.id: d for d in docs}
            self._lexical = LexicalRanking([d.id for d in docs], [f"{d.text} {d.words}" for d in docs])

    # -- search ------------------------------------------------------------------------------
    def search(self, query: str, k: int = 10, kind: str | None = None) -> list[Hit]:
        """Methods, classes and statements for ``query``: by symbol when it is one, by meaning and words."""
        self._ready()
        assert self._lexical is not None
        query = query.strip()[:500]
        if not query or not self._docs:
            return []
        symbol = self.search_symbol(query, k, kind) if _SYMBOL.match(query) else []
        n = min(CANDIDATES, len(self._docs))
        ranked = self._lexical.rank(query, n * 2)
        words = [i for i in ranked if kind is None or self._docs[i].kind == kind][:n]
        where = {"kind": kind} if kind else None
        found = self.collection().query(query_texts=[query], n_results=n, where=where, include=[])
        vectors = [i for i in found["ids"][0] if i in self._docs]
        fused = fuse([vectors, words])
        hits = [_hit(self._docs[i], score * _weight(self._docs[i])) for i, score in fused]
        hits.sort(key=lambda h: -h.score)
        seen = {h.id for h in symbol}
        return (symbol + [h for h in hits if h.id not in seen])[:k]

    def search_symbol(self, name: str, k: int = 10, kind: str | None = None) -> list[Hit]:
        """Methods and classes named ``name`` (``Class.method``, ``method``, ``Class``), exact first."""
        self._ready()
        wanted = name.strip().removesuffix("()")
        last = wanted.rsplit(".", 1)[-1]
        hits: list[Hit] = []
        for doc in self._docs.values():
            if doc.kind == "statement" or (kind is not None and doc.kind != kind):
                continue
            if doc.name == wanted or doc.id == wanted or doc.id.endswith("." + wanted):
                hits.append(replace(_hit(doc, 1.0), how="symbol"))
            elif doc.name.rsplit(".", 1)[-1] == last:
                hits.append(replace(_hit(doc, 0.5), how="symbol"))
        hits.sort(key=lambda h: (-h.score * (TEST_WEIGHT if _is_test(h.file) else 1.0), h.file, h.line))
        return hits[:k]


def _weight(doc: Document) -> float:
    return doc.weight * (TEST_WEIGHT if _is_test(doc.file) else 1.0)


def _hit(doc: Document, score: float) -> Hit:
    return Hit(doc.kind, doc.id, doc.name, doc.file, doc.line, round(score, 5), doc.snippet,
               doc.statement_id, doc.method_id)


def _load(root: Path) -> Program:
    from anomalygen.tools.java import load_program

    return load_program(root)
