"""Export keyed in a given vocabulary: loghub's Ek is key k, statements outside it keyed apart."""

import json
from pathlib import Path

import pytest

from anomalygen.detectors.base import event_keys
from anomalygen.detectors.datasets.session_file import read_folder
from anomalygen.tools.synth.export.dataset import export
from anomalygen.tools.synth.export.keyed import GivenVocabulary, keying
from anomalygen.tools.synth.export.trace import check_export
from anomalygen.tools.synth.structure import read_structure
from tests.tools.synth.handbuilt import BY_ID
from tests.tools.synth.test_export import _sessions

TEMPLATES = ("EventId,EventTemplate\n"
             "E5,<*>Receiving block<*>src:<*>dest:<*>\n"
             "E9,<*>Received block<*>of size<*>from<*>\n"
             "E22,<*>Allocating block<*>\n"
             "X,<*>never printed here<*>\n")


def _given(tmp_path: Path) -> GivenVocabulary:
    csv = tmp_path / "templates.csv"
    csv.write_text(TEMPLATES)
    given = GivenVocabulary.from_structure(read_structure(BY_ID, str(csv), []))
    assert given is not None
    return given


def test_keys_follow_the_vocabulary_and_outside_statements_come_after(tmp_path):
    given = _given(tmp_path)
    keys = keying(given, BY_ID, BY_ID)
    assert keys.event("DataNode.java:20") == "5" and keys.event("Client.java:10") == "22"
    numbers = {entry.statement: number for number, entry in keys.vocabulary.items()}
    assert numbers["5"] == 5 and numbers["9"] == 9 and numbers["22"] == 22
    assert numbers["X"] == 23  # a non-numeric key is numbered after the largest
    assert keys.vocabulary[5].sources == ("DataNode.java:20",)
    assert set(keys.outside) == set(BY_ID) - {"DataNode.java:20", "DataNode.java:30", "Client.java:10"}
    assert min(numbers[sid] for sid in keys.outside) == 24


def test_export_in_vocabulary_is_readable_and_traced(tmp_path):
    given = _given(tmp_path)
    sessions = _sessions()
    out = tmp_path / "out"
    result = export(out, sessions, BY_ID, {}, given)
    printed = [e.statement for s in sessions for e in s.events]
    assert result.in_vocabulary == sum(1 for sid in printed if sid in given.key_of) > 0
    folder = read_folder(out, with_params=True)
    read = [str(k) for part in ("normal", "abnormal") for seq in folder.sessions[part]
            for k in event_keys(seq)]
    expected = [given.event_ids[given.key_of[s]] if s in given.key_of else s for s in printed]
    assert sorted(read) == sorted(expected)
    table = json.loads((out / "sequences/vocabulary.json").read_text())["keys"]
    assert table["22"]["statement"] == "22" and table["22"]["sources"] == ["Client.java:10"]
    assert check_export(out, BY_ID).ok


def test_trace_catches_keys_that_disagree_with_the_lines(tmp_path):
    given = _given(tmp_path)
    out = tmp_path / "out"
    export(out, _sessions(), BY_ID, {}, given)
    normal = out / "sequences/normal.keys"
    lines = normal.read_text().splitlines()
    lines[0] = " ".join(reversed(lines[0].split())) + " 22"
    normal.write_text("\n".join(lines) + "\n")
    trace = check_export(out, BY_ID)
    assert not trace.ok and "differ from the statements" in trace.problems[0]


def test_no_vocabulary_no_keying():
    assert GivenVocabulary.from_structure(None) is None
    assert GivenVocabulary.from_structure(read_structure(BY_ID, None, [])) is None


@pytest.mark.parametrize("key", ["0", "007", "1234567890", "²"])
def test_keys_that_are_not_plain_positive_integers_are_renumbered(tmp_path, key):
    given = GivenVocabulary("v", {"3": "a {}", key: "b {}"}, {"3": "3", key: key}, {})
    numbers = {entry.statement: n for n, entry in keying(given, BY_ID, []).vocabulary.items()}
    assert numbers == {"3": 3, key: 4}


def test_a_vocabulary_json_keeps_its_keys_and_statement_ids(tmp_path: Path) -> None:
    """A real key-sequence folder's vocabulary.json: synthetic sessions keyed as the real ones."""
    table = {"keys": {
        "7": {"statement": "DataNode.java:20", "template": "Receiving block {} src: {} dest: {}"},
        "8": {"statement": "Gone.java:1", "template": "a statement of another version {}"}}}
    (tmp_path / "vocabulary.json").write_text(json.dumps(table))
    given = GivenVocabulary.from_structure(read_structure(BY_ID, str(tmp_path / "vocabulary.json"), []))
    assert given is not None
    keys = keying(given, BY_ID, ["DataNode.java:20", "Client.java:10"])
    assert keys.vocabulary[7].statement == "DataNode.java:20"
    assert keys.vocabulary[7].sources == ("DataNode.java:20",)
    assert keys.vocabulary[8].sources == ()  # no statement of this source prints it
    assert keys.outside == ("Client.java:10",) and keys.vocabulary[9].statement == "Client.java:10"
