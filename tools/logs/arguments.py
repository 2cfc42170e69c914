"""What a line's printed values say about which statement printed it.

One template written in several methods (``"Operation Context: {}"`` with a
``SearchOperationContext`` in ``search`` and a ``BindOperationContext`` in ``bind``) is told apart
by the argument's own text: the front end records, per slot, the texts its repository class's
``toString()`` starts with (``Slot.prints``). A printed value that starts with one of them agrees;
one that starts with none contradicts (the object printed was of another class). Without such
texts, the declared type's simple name appearing as a whole word in the value agrees
(``Worker[id=3]`` for a ``Worker``) and nothing contradicts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from anomalygen.records import Slot

_VALUE_TYPES = frozenset({
    "String", "CharSequence", "Object", "Integer", "Long", "Short", "Byte", "Double", "Float", "Boolean",
    "Character", "Number", "BigInteger", "BigDecimal", "AtomicInteger", "AtomicLong", "AtomicBoolean",
})
"""Types whose printed text is the value itself: their name in a value is a coincidence."""
_NULL = "null"


@lru_cache(maxsize=4096)
def _name_pattern(simple: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w$]){re.escape(simple)}(?![\w$])")


def slot_verdict(slot: Slot, value: str) -> int:
    """1: the value agrees with the slot's declared class, -1: it cannot be that class's text, 0: no say."""
    if value == _NULL:  # any reference may be null
        return 0
    if slot.prints:
        return 1 if value.startswith(slot.prints) else -1
    simple = (slot.type_name or "").split("<", 1)[0].rstrip("[]. ")
    if simple[:1].isupper() and simple not in _VALUE_TYPES and _name_pattern(simple).search(value):
        return 1
    return 0


def argument_score(slots: Sequence[Slot], params: Sequence[str]) -> int:
    """-1 when a value contradicts its slot, else how many values agree with theirs (0: no say).

    Values are compared only when there is one per slot (a template with a literal ``{}`` that no
    argument fills has more groups than slots, and then positions say nothing).
    """
    if not slots or len(slots) != len(params):
        return 0
    agreeing = 0
    for slot in slots:
        if not 0 <= slot.index < len(params):
            return 0
        verdict = slot_verdict(slot, params[slot.index])
        if verdict < 0:
            return -1
        agreeing += verdict
    return agreeing
