"""The last-resort value of a slot follows what its declared type's toString() prints."""

import random
import re

from anomalygen.tools.synth.generators import generate
from anomalygen.tools.synth.objects import object_text
from anomalygen.tools.synth.params import ParameterPlan, build_plan
from anomalygen.tools.synth.roles import classify

from anomalygen.records import Level, LogStatement, Slot


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
