"""Hostile or random content: never a crash, never a script, never a network connection."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from folio.build import build_edition
from folio.markup import sanitize
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent


def test_network_is_blocked_for_tests() -> None:
    with pytest.raises(ConnectionRefusedError, match="may not reach the network"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1: never routed


ATTACKS = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://example.org"></iframe>',
    '<form action="https://example.org"><input name="q"></form>',
    '<object data="x.swf"></object>',
    "<style>body{display:none}</style>",
    '<link rel="stylesheet" href="https://example.org/x.css">',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
]


@pytest.mark.parametrize("profile", ["web", "email"])
@pytest.mark.parametrize("attack", ATTACKS)
def test_sanitiser_removes_active_content(attack: str, profile: str) -> None:
    clean = sanitize(attack, profile).lower()
    for bad in ("<script", "onerror", "onload", "javascript:", "<iframe", "<form", "<input",
                "<object", "<style", "<link", "<svg", "data:"):
        assert bad not in clean, (attack, clean)


def test_email_allow_list_is_tighter() -> None:
    html = '<div class="x" id="y"><span>z</span></div>'
    assert sanitize(html, "web") == html
    assert sanitize(html, "email") == "z"


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
markdown_piece = st.one_of(
    text, st.sampled_from(ATTACKS), st.sampled_from([
        "{{ ''.__class__.__mro__ }}", "{% for x in y %}{% endfor %}", "{# c #}", "# Heading",
        "- item\n- item", "| a | b |\n|---|---|\n| 1 | 2 |", "[^1]\n\n[^1]: note", "**b** _i_",
        "![alt](images/pic.png)", "![](../../etc/passwd)", "[link](https://example.org)",
        "<div>\n*md*\n</div>", "---", "```\ncode\n```", "\x00", "\ufeff", "&amp; &#0; &#x110000;",
    ]))
scalar = st.one_of(text, st.integers(), st.booleans(), st.none(), st.dates().map(str))
front_value = st.one_of(scalar, st.lists(scalar, max_size=3),
                        st.dictionaries(st.sampled_from(["value", "label", "url", "x"]), scalar,
                                        max_size=3))
front_matter = st.dictionaries(
    st.sampled_from(["title", "layout", "summary", "image", "image_alt", "caption", "figures",
                     "quote", "attribution", "cta", "events", "new_page", "colour"]),
    front_value, max_size=6)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(meta=front_matter, body=st.lists(markdown_piece, max_size=8))
def test_random_sections_build_or_fail_cleanly(tmp_path_factory, meta, body) -> None:
    project = tmp_path_factory.mktemp("random")
    shutil.copytree(FIXTURES / "content" / "mini", project / "content" / "mini")
    meta.setdefault("title", "Random")
    front = yaml.safe_dump(meta, allow_unicode=True)
    (project / "content" / "mini" / "07-random.md").write_text(
        f"---\n{front}---\n" + "\n\n".join(body), encoding="utf-8", errors="surrogatepass")
    result = build_edition(project / "content" / "mini", project / "build", ["web", "email"])
    lines = (project / "content" / "mini" / "07-random.md").read_bytes().split(b"\n")
    for problem in result.problems:
        assert Path(problem.path).name == "07-random.md", problem  # the file that broke
        assert problem.line is None or 1 <= problem.line <= len(lines), problem
        assert "unexpectedly" not in problem.message, result.tracebacks
    if result.ok:
        for name in ("index.html", "email.html"):
            page = (project / "build" / "mini" / name).read_text().lower()
            assert "<script" not in page and "javascript:" not in page and "onerror" not in page


def test_two_builds_at_once_do_not_corrupt(project: Path) -> None:
    command = [sys.executable, str(ROOT / "generate.py"), "build", "--force", "--jobs", "1"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.Popen(command, cwd=project, env=env, stderr=subprocess.PIPE)
    second = subprocess.Popen(command, cwd=project, env=env, stderr=subprocess.PIPE)
    assert first.wait(300) == 0 and second.wait(300) == 0
    out = project / "build" / "mini"
    together = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()
                and not p.name.startswith(".")}
    assert not [p for p in out.rglob("*.tmp")]
    subprocess.run(command, cwd=project, env=env, check=True, capture_output=True)
    alone = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()
             and not p.name.startswith(".")}
    assert together == alone
