"""Property: any message a statement can print is matched back to that statement."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from anomalygen.records import Level, LogStatement, Slot
from anomalygen.tools.logs import build_matcher

_TEXT = st.text(alphabet=st.sampled_from(list("abcXYZ .:;=()[]*+?$^|\\-_/0x")), max_size=12)
_VALUE = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=10)


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(_TEXT, min_size=1, max_size=5), data=st.data())
def test_rendered_message_matches_its_statement(parts: list[str], data: st.DataObject) -> None:
    slots = len(parts) - 1
    types = data.draw(st.lists(st.sampled_from(["String", "int", None]), min_size=slots, max_size=slots))
    values = [data.draw(st.integers(-10**6, 10**6).map(str)) if t == "int" else data.draw(_VALUE)
              for t in types]
    template = "{}".join(parts)  # the alphabet has no braces: constant text never holds "{}"
    statement = LogStatement("s", "A.java", 3, Level.INFO, template,
                             tuple(Slot(i, f"v{i}", t) for i, t in enumerate(types)), "org.x.Alpha")
    message = parts[0] + "".join(v + p for v, p in zip(values, parts[1:], strict=True))
    found = build_matcher([statement]).match(message, "INFO", "Alpha", 3)
    assert found is not None and found.statement.id == "s"
    if slots and not found.approximate:
        assert len(found.params) == slots


def test_a_template_with_a_line_break_matches_its_one_line_printed_form() -> None:
    from anomalygen.tools.logs.template import compile_template

    statement = LogStatement("s1", "dfs/DataXceiver.java", 10, Level.WARN,
                             "Got exception while serving {} to {}:\n{}",
                             (Slot(0, "block", "Block"), Slot(1, "addr", "String"), Slot(2, "e", "String")))
    compiled = compile_template(statement)
    one_line = compiled.regex.fullmatch("Got exception while serving blk_-85 to /10.251.203.80:")
    assert one_line is not None and one_line.groups("") == ("blk_-85", "/10.251.203.80", "")
    whole = compiled.regex.fullmatch(
        "Got exception while serving blk_1 to /10.0.0.1:\njava.io.IOException: x")
    assert whole is not None and whole.group(3) == "java.io.IOException: x"
    assert compiled.regex.fullmatch("Got exception while serving blk_1 to /10.0.0.1") is None
