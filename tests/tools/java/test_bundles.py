from __future__ import annotations

import os
from pathlib import Path

from anomalygen.tools.java import load_program
from anomalygen.tools.java.bundles import MessageBundles, parse_properties
from anomalygen.tools.java.summary import scan_summary

from .conftest import write_java


def test_properties_syntax_as_java_reads_it() -> None:
    text = (
        "# comment\n"
        "   ! another comment\n"
        "plain=Started [{0}]\n"
        "colon : Stopped\n"
        "space Paused now\n"
        "long=first part \\\n"
        "      and second part\n"
        "escaped\\=key=value with \\u00e9 and tab\\t\n"
        "quote=It''s [{0}]\n"
        "empty=\n"
        "trailing=ends with backslash \\\\\n"
        "next=after\n"
    )
    assert parse_properties(text) == {
        "plain": "Started [{0}]",
        "colon": "Stopped",
        "space": "Paused now",
        "long": "first part and second part",
        "escaped=key": "value with \u00e9 and tab\t",
        "quote": "It''s [{0}]",
        "empty": "",
        "trailing": "ends with backslash \\",
        "next": "after",
    }


def test_bundle_lookup_prefers_the_callers_package_and_skips_locale_variants() -> None:
    bundles = MessageBundles()
    bundles.add_file("java/org/a/core/LocalStrings.properties", b"k=core text\nshared=core shared\n")
    bundles.add_file("java/org/a/core/LocalStrings_fr.properties", b"k=texte\n")
    bundles.add_file("src/main/resources/org/a/web/LocalStrings.properties", b"shared=web shared\nw=web\n")
    bundles.add_file("java/org/a/latin/Messages.properties", "x=caf\u00e9".encode("latin-1"))
    assert bundles.files == 3
    assert bundles.lookup("k", "org.a.core", anywhere=False) == "core text"
    assert bundles.lookup("shared", "org.a.web", anywhere=False) == "web shared"
    assert bundles.lookup("w", "org.a.core", anywhere=False) is None
    assert bundles.lookup("w", "org.a.core", anywhere=True) == "web"
    assert bundles.lookup("shared", "org.b", anywhere=True) is None  # two patterns: ambiguous
    assert bundles.lookup("x", "org.a.latin", anywhere=False) == "caf\u00e9"  # not UTF-8: latin-1


_MANAGER = """package org.acme.res;
public class StringManager {
  public static StringManager getManager(Class<?> type) { return new StringManager(); }
  public String getString(String key, Object... args) { return key; }
}
"""


def test_log_messages_from_a_message_bundle(tmp_path: Path) -> None:
    write_java(tmp_path, "java/org/acme/res/StringManager.java", _MANAGER)
    (tmp_path / "java/org/acme/core").mkdir(parents=True)
    (tmp_path / "java/org/acme/core/LocalStrings.properties").write_text(
        "core.start=Starting service [{0}] on port [{1}]\n"
        "core.quote=Can''t bind [{0}]\n"
        "core.raw=Literal ''quotes'' kept\n"
        "core.elsewhere=Should not be used\n", encoding="utf-8")
    (tmp_path / "java/org/acme/core/LocalStrings_de.properties").write_text(
        "core.start=Starte [{0}] auf [{1}]\n", encoding="utf-8")
    (tmp_path / "java/org/acme/util").mkdir(parents=True)
    (tmp_path / "java/org/acme/util/LocalStrings.properties").write_text(
        "util.failed=Utility failed\n", encoding="utf-8")
    write_java(tmp_path, "java/org/acme/core/Service.java", """package org.acme.core;
import java.text.MessageFormat;
import java.util.ResourceBundle;
import org.acme.res.StringManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
class Config { String getString(String key) { return key; } }
public class Service {
  private static final Logger log = LoggerFactory.getLogger(Service.class);
  private static final StringManager sm = StringManager.getManager(Service.class);
  private final Config config = new Config();
  void start(String name, int port, ResourceBundle bundle, Exception e) {
    log.info(sm.getString("core.start", name, port));
    log.warn(sm.getString("core.quote", name), e);
    log.debug(sm.getString("core.raw"));
    log.error(sm.getString("util.failed"));
    log.info(MessageFormat.format(bundle.getString("core.start"), name, port));
    log.info(config.getString("core.elsewhere"));
    log.info(sm.getString("no.such.key", name));
  }
}
""")
    program = load_program(tmp_path)
    assert program.bundle_files == 2
    templates = sorted((s.line, s.template) for s in program.log_statements.values())
    assert templates == [
        (13, "Starting service [{}] on port [{}]"),
        (14, "Can't bind [{}]"),
        (15, "Literal ''quotes'' kept"),  # no arguments: the text is printed as written
        (16, "Utility failed"),  # another package's bundle, unambiguous key
        (17, "Starting service [{}] on port [{}]"),
        (18, "core.elsewhere"),  # a Config is no message source: its getString returns the key itself
        (19, "no.such.key"),  # a missing key: this stub manager returns the key, as read from its body
    ]
    summary = scan_summary(program)
    assert (summary["message_bundles"], summary["opaque_templates"]) == (2, 0)


def test_a_bundle_behind_a_symlink_out_of_the_repository_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "LocalStrings.properties").write_text("k=secret text\n", encoding="utf-8")
    repo = tmp_path / "repo"
    write_java(repo, "p/A.java", """package p;
import java.util.ResourceBundle;
class A {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(A.class);
  void m(ResourceBundle bundle) { log.info(bundle.getString("k")); }
}
""")
    os.symlink(outside / "LocalStrings.properties", repo / "p" / "LocalStrings.properties")
    program = load_program(repo)
    assert program.bundle_files == 0
    assert [s.template for s in program.log_statements.values()] == ["{}"]
    assert ("p/LocalStrings.properties", "symlink pointing outside the root") in program.skipped
