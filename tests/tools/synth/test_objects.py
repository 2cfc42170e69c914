"""The last-resort value of a slot follows what its declared type's toString() prints."""

import random
import re

from anomalygen.records import Level, LogStatement, Slot
from anomalygen.tools.synth.params.generators import generate
from anomalygen.tools.synth.params.objects import object_text
from anomalygen.tools.synth.params.plan import ParameterPlan, SessionFiller, build_plan
from anomalygen.tools.synth.params.roles import classify


def _printed(type_name: str, name: str = "handler") -> str | None:
    return object_text(type_name, name, random.Random(3))


def test_jdk_types_print_their_own_shape() -> None:
    assert re.fullmatch(r"public void org\.example\.[\w.]+\.handler\(\)", _printed("Method") or "")
    assert (_printed("Class") or "").startswith("class org.example.")
    assert re.fullmatch(r"\[(handler-\d+(, )?){1,3}\]", _printed("List<String>") or "")
    assert re.fullmatch(r"\{handler=\d+\}", _printed("Map<String, Integer>") or "")
    assert re.fullmatch(r"\[LObject;@[0-9a-f]+", _printed("Object[]") or "")  # the JVM's array name
    assert re.fullmatch(r"\[B@[0-9a-f]+", _printed("byte[]") or "")
    assert re.fullmatch(r"\[LString;@[0-9a-f]+", _printed("String...") or "")


def test_any_other_class_prints_the_jdk_default_and_text_types_say_nothing() -> None:
    assert re.fullmatch(r"BeanDefinition@[0-9a-f]+", _printed("BeanDefinition") or "")
    for plain in ("String", "Object", "", "int", "Long", "StringBuilder"):
        assert _printed(plain) is None  # the value is its own text, or a kind's generator knows it


def test_a_text_slot_without_real_values_or_proposals_prints_like_its_type() -> None:
    statement = LogStatement("S.java:1", "S.java", 1, Level.DEBUG, "Invoking {} on {}",
                             (Slot(0, "method", "Method"), Slot(1, "beanName", "String")))
    plan = build_plan([statement])
    method, bean = plan.slots["S.java:1"]
    assert (method.role.type_name, method.source) == ("Method", "fallback")
    assert generate(method.role, random.Random(1)).startswith("public void ")
    assert re.fullmatch(r"beanname-\d+", generate(bean.role, random.Random(1)))  # a String: its name
    assert ParameterPlan.from_dict(plan.to_dict()).to_dict() == plan.to_dict()  # the type travels along
    assert classify(Slot(0, "defs", "java.util.List<BeanDefinition>")).type_name == "List"


def test_a_session_object_prints_itself_and_binds_apart_from_session_ids() -> None:
    hibernate = (Slot(0, "session", "Session"),)
    statements = [
        LogStatement("H.java:1", "H.java", 1, Level.DEBUG, "Closing Hibernate Session [{}]", hibernate),
        LogStatement("H.java:2", "H.java", 2, Level.DEBUG, "Flushing Session [{}]", hibernate),
        LogStatement("Z.java:3", "Z.java", 3, Level.INFO, "Expiring session 0x{}",
                     (Slot(0, "Long.toHexString(sessionId)", "String"),)),
        LogStatement("T.java:4", "T.java", 4, Level.INFO, "Session expired: {}",
                     (Slot(0, "session", "boolean"),)),
    ]
    plan = build_plan(statements)
    assert plan.slots["H.java:1"][0].role.role == "session_id:Session"
    assert plan.slots["Z.java:3"][0].role.role == "session_id"
    assert plan.slots["T.java:4"][0].role.kind.value == "boolean"  # a boolean named session is a boolean
    filled = SessionFiller(plan, 5).fill("s", [s.id for s in statements])
    first, second, hexid = filled[0][0], filled[1][0], filled[2][0]
    assert re.fullmatch(r"Session@[0-9a-f]+", first) and first == second  # one object in the session
    assert re.fullmatch(r"[0-9a-f]+", hexid)  # the ZooKeeper id stays a hex number of its own
