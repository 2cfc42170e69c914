import random

from anomalygen.records import Slot
from anomalygen.tools.synth.params.generators import generate
from anomalygen.tools.synth.params.roles import ValueKind, canonical, classify, present, slot_name


def test_slot_name_peels_wrappers_and_accessors():
    assert slot_name("Long.toHexString(s.sessionId)") == "sessionid"
    assert slot_name("b.getBlockId()") == "blockid"
    assert slot_name("this.blockId") == "blockid"
    assert slot_name("isLeader") == "leader"


def test_identifier_kinds_and_roles():
    block = classify(Slot(0, "b", "Block"))
    assert block.kind is ValueKind.BLOCK_ID and block.role == "block_id"
    assert classify(Slot(0, "blockId", "long")).role == "block_id"
    src, dest = classify(Slot(0, "src", "String")), classify(Slot(0, "destAddr", "InetSocketAddress"))
    assert src.kind is dest.kind is ValueKind.ADDRESS
    assert src.role != dest.role  # two peers of a pipeline stay distinct roles
    assert classify(Slot(0, "size", "long")).role == "size:size"  # one object's size, bound per session
    assert classify(Slot(0, "count", "int")).role is None  # not an identifier: varies per line


def test_hex_session_ids_share_a_role_across_formats():
    bare = classify(Slot(0, "Long.toHexString(sessionId)", "String"))
    prefixed = classify(Slot(0, "sessionId", "long"))
    assert bare.role == prefixed.role == "session_id"
    assert bare.bare and not prefixed.bare
    assert classify(Slot(0, "sessionId", "long"), prefix="session 0x").bare
    assert present("14e", prefixed) == "0x14e" and present("14e", bare) == "14e"
    assert canonical("0x14e", ValueKind.SESSION_ID) == "14e"


def test_block_prefix_in_the_template_is_not_repeated():
    role = classify(Slot(0, "blockId", "long"), prefix="Receiving blk_")
    assert role.bare and present("42", role) == "42"
    assert present("42", classify(Slot(0, "blockId", "long"))) == "blk_42"
    assert canonical("blk_42", ValueKind.BLOCK_ID) == "42"
    assert classify(Slot(0, "entry.getKey()", "Long"), prefix="blk_").role == "block_id"


def test_other_kinds():
    assert classify(Slot(0, "e", "IOException")).kind is ValueKind.EXCEPTION
    assert classify(Slot(0, "timeoutMs", "int")).kind is ValueKind.DURATION
    assert classify(Slot(0, "port", "int")).kind is ValueKind.PORT
    assert classify(Slot(0, "zxid", "long")).kind is ValueKind.ZXID
    assert classify(Slot(0, "whatever", "String")).kind is ValueKind.TEXT
    assert classify(Slot(0, "count", "int")).kind is ValueKind.COUNT


def test_a_unit_after_the_slot_names_its_kind() -> None:
    complete = Slot(0, "Long.toString(complete)", "String")
    assert classify(complete).kind is ValueKind.TEXT
    assert classify(complete, "Relocation was complete in [", "] ms.").kind is ValueKind.DURATION
    assert classify(Slot(0, "took", "long"), "", " seconds").kind is ValueKind.DURATION
    assert classify(Slot(0, "written", "long"), "wrote ", " bytes").kind is ValueKind.SIZE
    # a possessive or a word that merely starts with s is no unit; an id keeps its own kind
    assert classify(Slot(0, "owner", "String"), "", "'s epoch").kind is not ValueKind.DURATION
    assert classify(Slot(0, "n", "String"), "", " sessions").kind is ValueKind.TEXT
    assert classify(Slot(0, "sessionId", "long"), "", " ms").kind is ValueKind.SESSION_ID


def test_a_throwable_rendered_as_text_is_still_an_exception() -> None:
    # Jetty: LOG.warn(failure.toString()) -- a String by type, a Throwable by name
    assert classify(Slot(0, "failure.toString()", "String")).kind is ValueKind.EXCEPTION
    assert classify(Slot(0, "th.getMessage()", "String")).kind is ValueKind.EXCEPTION


def test_a_conditionally_appended_literal_is_that_text_or_nothing() -> None:
    role = classify(Slot(1, 'error += " in \'" + file + "\'."', "String"))  # not only literals
    assert role.kind is not ValueKind.OPTIONAL_TEXT  # an ordinary slot, named by its variable
    role = classify(Slot(1, 'error += " This may be caused by \\"dns\\"" + " on the host."', None))
    hint = ' This may be caused by "dns" on the host.'
    assert (role.kind, role.name, role.role) == (ValueKind.OPTIONAL_TEXT, hint, None)
    values = {generate(role, random.Random(seed)) for seed in range(20)}
    assert values == {"", hint}


def test_a_literal_kept_as_a_slot_is_always_its_text() -> None:
    # String.format("... State: %6$20s ...", ..., "N/A", ...): a width keeps the literal a slot
    role = classify(Slot(5, '"N/A"', "String"))
    assert (role.kind, role.name) == (ValueKind.CONSTANT_TEXT, "N/A")
    assert {generate(role, random.Random(seed)) for seed in range(5)} == {"N/A"}
