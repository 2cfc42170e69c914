"""Retrieval quality on ZooKeeper 3.8.0: 30 plain-word questions (zookeeper_questions.json), each
answered by one method or log statement. The issue's target: the right one in the top 5 for at
least 80%; it is not met (57%), so that test is a strict xfail beside a floor at today's level.

The index is built once per session in a temporary cache (about a minute on two cores).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from anomalygen.tools.retrieval import CodeIndex
from anomalygen.tools.retrieval.quality import Graded, Question, grade, load_questions, share_within

QUESTIONS = Path(__file__).with_name("zookeeper_questions.json")

pytestmark = [pytest.mark.corpus, pytest.mark.slow]


@pytest.fixture(scope="session")
def zookeeper_index(zookeeper_src: Path, tmp_path_factory: pytest.TempPathFactory) -> CodeIndex:
    index = CodeIndex.open(zookeeper_src, tmp_path_factory.mktemp("zookeeper-index"))
    stats = index.refresh()
    assert stats.documents > 1402  # the 1,402 log statements a scan reads, plus methods and classes
    return index


def test_the_question_file_holds_thirty_distinct_questions() -> None:
    questions = load_questions(QUESTIONS)
    assert len(questions) == 30
    assert len({q.text for q in questions}) == 30


TARGET_TOP5 = 0.8
FLOOR_TOP5 = 0.55
"""What the ranking reaches today (57% top-5, 33% top-1, measured 2026-12-05): a fall below it fails."""


@pytest.fixture(scope="session")
def graded(zookeeper_index: CodeIndex) -> list[Graded]:
    found = grade(lambda text, k: zookeeper_index.search(text, k), load_questions(QUESTIONS), k=5)
    top1, top5 = share_within(found, 1), share_within(found, 5)
    print(f"ZooKeeper retrieval: top-1 {top1:.0%}, top-5 {top5:.0%} of {len(found)} questions")
    return found


def _report(graded: list[Graded]) -> str:
    misses = "\n".join(f"  {g.question.text!r} -> {list(g.top)}" for g in graded if g.rank is None)
    return f"top-5 {share_within(graded, 5):.0%} (top-1 {share_within(graded, 1):.0%}); missed:\n{misses}"


def test_top5_does_not_fall_below_what_it_reaches(graded: list[Graded]) -> None:
    assert share_within(graded, 5) >= FLOOR_TOP5, _report(graded)


@pytest.mark.xfail(strict=True, reason="the issue's 80% top-5 target is not met yet (57% today)")
def test_top5_holds_the_answer_for_at_least_80_percent(graded: list[Graded]) -> None:
    assert share_within(graded, 5) >= TARGET_TOP5, _report(graded)


def test_an_answer_is_recognised_only_where_it_is() -> None:
    """The grader itself: a statement in the named method counts, one elsewhere does not."""

    class FakeHit:
        def __init__(self, kind: str, name: str, file: str, method_id: str | None) -> None:
            self.kind, self.name, self.file, self.method_id = kind, name, file, method_id
            self.statement_id = "s" if kind == "statement" else None

    by_method = Question("q", methods=("SendThread.sendPing",))
    assert by_method.answered_by(FakeHit("method", "sendPing", "a/ClientCnxn.java",
                                         "org.apache.zookeeper.ClientCnxn.SendThread.sendPing()"))
    assert not by_method.answered_by(FakeHit("method", "sendPing", "a/Other.java", "org.x.Other.sendPing()"))
    by_statement = Question("q", statement="Expiring session", file="ZooKeeperServer.java")
    expiring = "Expiring session 0x{}"
    assert by_statement.answered_by(FakeHit("statement", expiring, "x/ZooKeeperServer.java", "m"))
    assert not by_statement.answered_by(FakeHit("statement", "Expiring session 0x{}", "x/Other.java", "m"))
    assert not by_statement.answered_by(FakeHit("method", "Expiring session", "x/ZooKeeperServer.java", "m"))
