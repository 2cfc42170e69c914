"""Property: any message a statement can print is matched back to that statement."""

from __future__ import annotations

from anomalygen.tools.logs import build_matcher
from hypothesis import given, settings
from hypothesis import strategies as st

from anomalygen.records import Level, LogStatement, Slot

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
