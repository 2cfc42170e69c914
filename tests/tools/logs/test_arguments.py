"""Printed values against the slots' declared classes (``arguments.py``)."""

from __future__ import annotations

from anomalygen.records import Slot
from anomalygen.tools.logs.arguments import argument_score, slot_verdict


def test_a_known_start_agrees_or_contradicts() -> None:
    slot = Slot(0, "ctx", "SearchOperationContext", ("SearchContext for DN '",))
    assert slot_verdict(slot, "SearchContext for DN 'ou=system'") == 1
    assert slot_verdict(slot, "BindContext for DN 'ou=system'") == -1
    assert slot_verdict(slot, "null") == 0  # any reference may be null


def test_without_a_start_the_class_name_can_only_agree() -> None:
    slot = Slot(0, "w", "Worker")
    assert slot_verdict(slot, "Worker[id=3]") == 1
    assert slot_verdict(slot, "SubWorker[id=3]") == 0  # not the whole word
    assert slot_verdict(slot, "id=3") == 0
    assert slot_verdict(Slot(0, "s", "String"), "String") == 0  # a value type prints its value


def test_one_contradiction_outweighs_agreements_and_misaligned_slots_say_nothing() -> None:
    slots = (Slot(0, "a", "Worker"), Slot(1, "b", "Job", ("Job#",)))
    assert argument_score(slots, ("Worker[1]", "Job#7")) == 2
    assert argument_score(slots, ("Worker[1]", "Task#7")) == -1
    assert argument_score(slots, ("Worker[1]",)) == 0
