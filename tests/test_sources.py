"""Sources: safe YAML settings, theme folders and chains, finding editions by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from folio.errors import FolioError
from folio.safe_yaml import NoAliasLoader
from folio.sources import (
    BUILTIN_THEMES,
    _builtin_themes,
    edition_folder,
    find_edition,
    find_editions,
    no_edition,
    theme_chain,
    theme_folder,
    yaml_settings,
)
from tests.conftest import ROOT

ALIASED = "base: &b {colour: red}\ncopy: *b\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def theme(project: Path, name: str, settings: str = "name: x\n") -> Path:
    """Make the project's own theme `name` with `settings` as its theme.yaml."""
    return write(project / "templates" / name / "theme.yaml", settings).parent


def test_builtin_themes_are_the_repository_templates() -> None:
    assert BUILTIN_THEMES == ROOT / "templates"
    assert (BUILTIN_THEMES / "default" / "theme.yaml").is_file()


def test_builtin_themes_of_an_installed_package(tmp_path: Path) -> None:
    package = tmp_path / "site-packages" / "folio"
    (package / "themes").mkdir(parents=True)  # where a wheel puts templates/
    assert _builtin_themes(package) == package / "themes"
    checkout = tmp_path / "checkout" / "folio"
    checkout.mkdir(parents=True)
    assert _builtin_themes(checkout) == tmp_path / "checkout" / "templates"


# --- yaml_settings -------------------------------------------------------------------


@pytest.fixture(params=["libyaml", "pure"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Read settings with libyaml's loader, and again as on a machine without libyaml."""
    if request.param == "pure":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    elif getattr(yaml, "CSafeLoader", None) is None:
        pytest.skip("PyYAML was built without libyaml")
    return str(request.param)


@pytest.mark.parametrize("text, expected", [
    ("title: Spring\nwords: [a, b]\n", {"title": "Spring", "words": ["a", "b"]}),
    ("email: {subject: Hi}\nlist: [{a: 1}]\n", {"email": {"subject": "Hi"}, "list": [{"a": 1}]}),
    ("", {}),                             # empty
    ("- a\n- b\n", {}),                   # not a mapping
    ("just text\n", {}),
    ("title: [unclosed\n", {}),           # broken YAML
    ("title: x\n---\ntitle: y\n", {}),    # two documents
    ("true: 1\n", {}),                    # a key that is not text
    ("email: {1: x}\n", {}),              # ... nested in a mapping
    ("list: [{2: x}]\n", {}),             # ... nested in a list
    (ALIASED, {}),                        # aliases are refused, never expanded
    ("when: !!python/object:os.system x\n", {}),  # no Python objects
])
def test_yaml_settings(tmp_path: Path, loader: str, text: str, expected: dict) -> None:
    assert yaml_settings(write(tmp_path / "edition.yaml", text)) == expected


def test_yaml_settings_of_a_missing_or_unreadable_file(tmp_path: Path, loader: str) -> None:
    assert yaml_settings(tmp_path / "missing.yaml") == {}
    (tmp_path / "folder.yaml").mkdir()
    assert yaml_settings(tmp_path / "folder.yaml") == {}
    (tmp_path / "latin.yaml").write_bytes(b"title: caf\xe9\n")
    assert yaml_settings(tmp_path / "latin.yaml") == {}


def test_an_alias_bomb_is_refused_without_being_expanded(tmp_path: Path, loader: str) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]"
              for i in range(8)]
    assert yaml_settings(write(tmp_path / "edition.yaml", "\n".join(lines) + "\n")) == {}


def test_the_no_alias_loader_says_where_and_what_to_do() -> None:
    loader = NoAliasLoader(ALIASED)
    try:
        with pytest.raises(yaml.MarkedYAMLError) as caught:
            loader.get_single_data()
    finally:
        loader.dispose()
    assert caught.value.problem == ("YAML aliases (*name) are not allowed; write the value "
                                    "out in full")
    assert caught.value.problem_mark.line == 1  # the second line, counted from 0
    assert caught.value.problem_mark.column == 6


def test_the_no_alias_loader_reads_plain_yaml() -> None:
    loader = NoAliasLoader("a: [1, {b: c}]\n")
    try:
        assert loader.get_single_data() == {"a": [1, {"b": "c"}]}
    finally:
        loader.dispose()


# --- themes --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "Default", "/etc", "../default", "default/..", "-x",
                                  "_x", "a b", "default\n", "déjà"])
def test_theme_names_that_are_not_plain_folder_names(tmp_path: Path, name: str) -> None:
    assert theme_folder(name, tmp_path) is None


def test_theme_folder(tmp_path: Path) -> None:
    assert theme_folder("default", tmp_path) == BUILTIN_THEMES / "default"
    assert theme_folder("plain", tmp_path) == BUILTIN_THEMES / "plain"
    assert theme_folder("nope", tmp_path) is None
    (tmp_path / "templates" / "bare").mkdir(parents=True)  # no theme.yaml: not a theme
    assert theme_folder("bare", tmp_path) is None
    own = theme(tmp_path, "my-theme_2")
    assert theme_folder("my-theme_2", tmp_path) == own
    assert theme_folder("0plain", tmp_path) is None
    shadow = theme(tmp_path, "plain")  # the project's own comes first
    assert theme_folder("plain", tmp_path) == shadow


def test_theme_chain(tmp_path: Path) -> None:
    default = BUILTIN_THEMES / "default"
    assert theme_chain("default", tmp_path) == [default]
    assert theme_chain("missing", tmp_path) == []
    assert theme_chain("", tmp_path) == []
    base = theme(tmp_path, "base")  # no extends: extends the default theme
    child = theme(tmp_path, "child", "extends: base\n")
    assert theme_chain("base", tmp_path) == [base, default]
    assert theme_chain("child", tmp_path) == [child, base, default]
    assert theme_chain("plain", tmp_path) == [BUILTIN_THEMES / "plain", default]
    orphan = theme(tmp_path, "orphan", "extends: missing\n")
    assert theme_chain("orphan", tmp_path) == [orphan]
    empty = theme(tmp_path, "empty", "extends: ''\n")
    assert theme_chain("empty", tmp_path) == [empty, default]


def test_themes_extending_each_other_stop_at_the_loop(tmp_path: Path) -> None:
    one = theme(tmp_path, "one", "extends: two\n")
    two = theme(tmp_path, "two", "extends: one\n")
    assert theme_chain("one", tmp_path) == [one, two]
    itself = theme(tmp_path, "itself", "extends: itself\n")
    assert theme_chain("itself", tmp_path) == [itself]
    mine = theme(tmp_path, "default", "extends: one\n")  # a project's own default
    assert theme_chain("default", tmp_path) == [mine, one, two]


def test_theme_chain_reads_settings_through_the_reader_given(tmp_path: Path) -> None:
    base, child = theme(tmp_path, "base"), theme(tmp_path, "child")
    read: list[Path] = []

    def reader(path: Path) -> dict:
        read.append(path)
        return {"extends": "base"} if path.parent == child else {}

    assert theme_chain("child", tmp_path, reader) == [child, base, BUILTIN_THEMES / "default"]
    assert read == [child / "theme.yaml", base / "theme.yaml",
                    BUILTIN_THEMES / "default" / "theme.yaml"]


# --- editions ------------------------------------------------------------------------


def test_find_editions(tmp_path: Path) -> None:
    content = tmp_path / "content"
    assert find_editions(content) == []
    write(content, "not a folder")
    assert find_editions(content) == []
    content.unlink()
    for name in ("spring-2026", "autumn-2025", "Zed", "2024"):
        write(content / name / "edition.yaml", "title: x\n")
    write(content / ".import-staging" / "edition.yaml", "title: x\n")  # hidden: import's
    write(content / "notes" / "readme.md", "no edition.yaml\n")
    (content / "dir-yaml" / "edition.yaml").mkdir(parents=True)  # not a file
    write(content / "stray.yaml", "title: x\n")
    assert [p.name for p in find_editions(content)] == ["2024", "Zed", "autumn-2025",
                                                       "spring-2026"]
    assert find_editions(content)[0] == content / "2024"


def test_edition_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    spring = write(content / "spring" / "edition.yaml", "").parent
    elsewhere = write(tmp_path / "drafts" / "june" / "edition.yaml", "").parent
    assert edition_folder("spring", content) == spring
    assert edition_folder(spring, content) == spring
    assert edition_folder(str(elsewhere), content) == elsewhere
    monkeypatch.chdir(tmp_path)
    assert edition_folder("content/spring/", content) == Path("content/spring")
    assert edition_folder("autumn", content) is None
    assert edition_folder("notes", content) is None
    assert find_edition("spring", content) == spring


def test_an_unknown_edition_suggests_the_closest_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.argv", ["folio"])
    content = tmp_path / "content"
    for name in ("spring-2026", "spring-2025", "autumn-2025"):
        write(content / name / "edition.yaml", "")
    with pytest.raises(FolioError) as caught:
        find_edition("sprung-2026", content)
    assert str(caught.value) == ("there is no edition 'sprung-2026' in content/; "
                                 "did you mean 'spring-2026'?")
    # a folder path is named by its last part
    assert no_edition("content/autum-2025/", content) == (
        "there is no edition 'autum-2025' in content/; did you mean 'autumn-2025'?")


def test_an_unknown_edition_far_from_every_name_lists_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.argv", ["folio"])
    content = tmp_path / "content"
    for name in ("spring-2026", "autumn-2025"):
        write(content / name / "edition.yaml", "")
    assert no_edition("winter", content) == (
        "there is no edition 'winter' in content/ (editions: autumn-2025, spring-2026); "
        "create it with `folio new winter`")
    # 0.75 alike is close enough, a little less is not
    assert no_edition("spring-20xxxx", content).endswith("did you mean 'spring-2026'?")
    assert "did you mean" not in no_edition("spring-x", content)


def test_an_unknown_edition_when_there_are_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.argv", ["folio"])
    assert no_edition("first", tmp_path / "content") == (
        "there is no edition 'first' in content/; create it with `folio new first`")



# --- the memo of settings already read ----------------------------------------------------


@pytest.fixture
def memo(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """An empty memo for this test; the module's own is left as it was."""
    from folio import sources

    fresh: dict[str, str] = {}
    monkeypatch.setattr(sources, "_memo", fresh)
    monkeypatch.setattr(sources, "_learned", False)
    return fresh


DATED = ("title: Année 2025\ndate: 2025-12-15\nsent: 2025-12-15 09:30:00+01:00\n"
         "count: 3\nshare: 1.5\ndraft: false\nnothing:\ntags: [a, 2, {b: 2024-01-02}]\n")


def test_a_file_read_again_gives_the_same_data_from_the_memo(
        tmp_path: Path, memo: dict[str, str]) -> None:
    import datetime

    path = tmp_path / "edition.yaml"
    path.write_text(DATED, encoding="utf-8")
    first = yaml_settings(path)
    assert len(memo) == 1
    again = yaml_settings(path)
    assert again == first == yaml.safe_load(DATED)
    assert repr(again) == repr(first)  # the same types: dates stay dates, 3 stays an int
    assert isinstance(again["date"], datetime.date)
    assert again["sent"].utcoffset() == datetime.timedelta(hours=1)
    again["tags"].append("changed")  # each answer is a copy of its own
    assert yaml_settings(path)["tags"] == ["a", 2, {"b": datetime.date(2024, 1, 2)}]


def test_the_memo_answers_only_for_the_same_bytes(tmp_path: Path, memo: dict[str, str]) -> None:
    path = tmp_path / "edition.yaml"
    path.write_text("title: One\n")
    assert yaml_settings(path) == {"title": "One"}
    path.write_text("title: Two\n")
    assert yaml_settings(path) == {"title": "Two"}
    assert len(memo) == 2


@pytest.mark.parametrize("text", [
    "tags: !!set {a, b}\n",
    "logo: !!binary aGVsbG8=\n",
    "ratio: .nan\n",
    "odd: {\"\\0date\": \"2025-01-01\"}\n",  # text that would read back as a date
])
def test_settings_json_cannot_hold_are_read_each_time(
        tmp_path: Path, memo: dict[str, str], text: str) -> None:
    path = tmp_path / "edition.yaml"
    path.write_text(text)
    first = yaml_settings(path)
    assert first and not memo
    assert repr(yaml_settings(path)) == repr(first)


def test_the_memo_is_kept_for_the_next_build_and_a_broken_one_is_ignored(
        tmp_path: Path, memo: dict[str, str]) -> None:
    from folio import sources

    path = tmp_path / "edition.yaml"
    path.write_text(DATED)
    assert sources.memo_to_keep() is None  # nothing learned yet
    expected = yaml_settings(path)
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / sources.SETTINGS_MEMO).write_bytes(sources.memo_to_keep() or b"")
    memo.clear()
    sources._learned = False
    sources.recall_settings(tmp_path / "build")
    assert len(memo) == 1 and sources.memo_to_keep() is None  # recalled, not learned
    assert repr(yaml_settings(path)) == repr(expected)
    for broken in ("{not json", "[1, 2]", '{"abc": 3}'):
        memo.clear()
        (tmp_path / "build" / sources.SETTINGS_MEMO).write_text(broken)
        sources.recall_settings(tmp_path / "build")
        assert memo == {}
    sources.recall_settings(tmp_path / "nowhere")
    assert repr(yaml_settings(path)) == repr(expected)


def test_the_memo_keeps_the_most_recent_files(
        tmp_path: Path, memo: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    from folio import sources

    monkeypatch.setattr(sources, "MEMO_ENTRIES", 3)
    for number in range(5):
        path = tmp_path / f"{number}.yaml"
        path.write_text(f"number: {number}\n")
        yaml_settings(path)
    assert [json.loads(text) for text in memo.values()] == [{"number": n} for n in (2, 3, 4)]
