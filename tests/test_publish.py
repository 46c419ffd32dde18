"""Publish: exactly what belongs online goes to a folder, or over SSH with rsync to a real sshd."""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from folio.build import build
from folio.errors import FolioError
from folio.publish import is_remote, publish

from .conftest import FIXTURES

BASE = "https://news.riverside-food.example/"
SSHD = Path("/usr/sbin/sshd")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three-edition fixture project, built with print.html kept: its project folder."""
    project = tmp_path_factory.mktemp("publish")
    shutil.copytree(FIXTURES / "archive", project, dirs_exist_ok=True)
    for result in build(content=project / "content", out=project / "build", jobs=1,
                        keep_html=True):
        assert result.ok, result.problems
    return project


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A copy of the built project, free to change."""
    shutil.copytree(built, tmp_path / "project")
    return tmp_path / "project"


def tree(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under a folder: modification time and bytes, by relative path."""
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def expected_files(out: Path) -> set[str]:
    """What belongs online, listed from first principles for the fixture."""
    # winter-2026 has no cover picture: the theme's artwork stands for it.
    names = {"index.html", "feed.xml", "sitemap.xml", "assets/style.css",
             "assets/covers/autumn-2025.jpg", "assets/covers/winter-2026.jpg",
             "winter-2026/assets/artwork.jpg"}
    names |= {f"assets/fonts/{p.name}" for p in (out / "assets" / "fonts").iterdir()}
    assert not list(out.glob("*/assets/fonts")), "each page's fonts are in the shared folder"
    for slug in ("autumn-2025", "winter-2026"):
        folder = out / slug
        names |= {f"{slug}/index.html", f"{slug}/{slug}.pdf", f"{slug}/assets/style.css"}
        names |= {f"{slug}/email-images/{p.name}" for p in (folder / "email-images").iterdir()}
        names |= {f"{slug}/images/{p.name}" for p in (folder / "images").glob("*")}
    return names


def publish_local(project: Path, target: Path, **options) -> object:
    return publish(str(target), content=project / "content", out=project / "build", **options)


def test_publish_copies_exactly_what_belongs_online_and_then_nothing(project: Path,
                                                                    tmp_path: Path) -> None:
    out, target = project / "build", tmp_path / "site"
    assert (out / "autumn-2025" / "print.html").is_file()  # built, and must stay home
    assert (out / "spring-2026" / "index.html").is_file()  # the draft is built too
    first = publish_local(project, target)
    published = set(tree(target))
    assert published == expected_files(out)
    assert sorted(first.copied) == sorted(published) and first.deleted == []
    assert first.drafts == ["spring-2026"]
    for name in published:
        assert (target / name).read_bytes() == (out / name).read_bytes()
        assert (target / name).stat().st_mode & 0o044 == 0o044  # readable by the web server
    for never in ("print.html", "email.html", "email.eml", "email.txt", ".folio"):
        assert not any(never in name for name in published), never
    assert first.ok and len(first.confirmed) == 2
    assert first.confirmed[0] == (f"winter-2026: the email's 1 picture points to {BASE}"
                                  "winter-2026/email-images/, where it is published")

    before = tree(target)
    second = publish_local(project, target)
    assert second.copied == [] and second.deleted == []
    assert tree(target) == before
    assert second.report()[0] == f"{target} is up to date ({len(published)} files online)"


def test_dry_run_changes_nothing_and_says_what_would(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    dry = publish_local(project, target, dry_run=True)
    assert not target.exists() and len(dry.copied) == len(expected_files(project / "build"))
    publish_local(project, target)
    before = tree(target)
    edit = project / "content" / "winter-2026" / "01-warm-spaces.md"
    edit.write_text(edit.read_text().replace("board games", "jigsaws"))
    shutil.rmtree(project / "content" / "autumn-2025")
    for result in build(content=project / "content", out=project / "build", jobs=1):
        assert result.ok
    dry = publish_local(project, target, dry_run=True)
    assert "winter-2026/index.html" in dry.copied and "index.html" in dry.copied
    assert {"autumn-2025/index.html", "assets/covers/autumn-2025.jpg"} <= set(dry.deleted)
    assert tree(target) == before
    assert "dry run: nothing was changed" in dry.report()[-3]


def test_files_no_longer_built_are_deleted_but_hidden_files_and_cname_kept(
        project: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    publish_local(project, target)
    (target / ".git").mkdir()
    (target / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (target / "CNAME").write_text("news.riverside-food.example\n")
    (target / ".nojekyll").write_text("")
    path = project / "content" / "autumn-2025" / "edition.yaml"
    path.write_text(path.read_text() + "draft: true\n")
    for result in build(content=project / "content", out=project / "build", jobs=1):
        assert result.ok
    done = publish_local(project, target)
    assert "autumn-2025/autumn-2025.pdf" in done.deleted
    assert not (target / "autumn-2025").exists()  # emptied folders go too
    assert (target / ".git" / "HEAD").is_file() and (target / "CNAME").is_file()
    assert (target / ".nojekyll").is_file()
    assert set(tree(target)) - {".git/HEAD", "CNAME", ".nojekyll"} == {
        n for n in expected_files(project / "build") if not n.startswith("autumn-2025")
    } - {"assets/covers/autumn-2025.jpg"}


def test_a_folder_folio_did_not_publish_to_is_not_emptied(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "home"
    target.mkdir()
    (target / "thesis.docx").write_text("years of work")
    with pytest.raises(FolioError, match=r"holds files that Folio did not publish \(1, such as "
                                         r"thesis.docx\)"):
        publish_local(project, target)
    assert sorted(p.name for p in target.iterdir()) == ["thesis.docx"]
    with pytest.raises(FolioError, match="inside the build folder"):
        publish_local(project, project / "build" / "site")


def test_picture_addresses_that_do_not_match_are_reported(project: Path, tmp_path: Path) -> None:
    moved = "https://www.riverside-food.example/news/"
    (project / "folio.yaml").write_text((project / "folio.yaml").read_text().replace(BASE, moved))
    for result in build(content=project / "content", out=project / "build", jobs=1):
        assert result.ok
    done = publish_local(project, tmp_path / "site")
    assert not done.ok
    assert [p.split(":")[0] for p in done.problems] == ["winter-2026"] * 2 + ["autumn-2025"] * 2
    [pictures, page] = done.problems[2:]
    assert pictures.startswith(f"autumn-2025: the email's pictures point to "
                               f"{BASE}autumn-2025/email-images/, but they are published at "
                               f"{moved}autumn-2025/email-images/; set email.asset_base_url: "
                               f"{moved}autumn-2025/email-images/ in ")
    assert "content/autumn-2025/edition.yaml" in pictures
    assert page.startswith("autumn-2025: the email links to the web page at")


def test_the_command_builds_publishes_and_exits_1_on_a_picture_problem(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from folio.cli import main

    where = ["--content", str(project / "content"), "--out", str(project / "build")]
    assert main(["publish", str(tmp_path / "site"), "--dry-run", *where]) == 0
    out = capsys.readouterr().out
    assert "(archive)" in out and "dry run: nothing was changed" in out
    assert not (tmp_path / "site").exists()
    assert main(["publish", str(tmp_path / "site"), *where]) == 0
    assert "ok: autumn-2025: the email's 1 picture points to" in capsys.readouterr().out
    path = project / "content" / "winter-2026" / "edition.yaml"
    path.write_text(path.read_text().replace("/winter-2026/email-images/", "/winter/img/"))
    assert main(["publish", str(tmp_path / "site"), *where]) == 1
    err = capsys.readouterr().err
    assert "winter-2026: the email's pictures point to" in err
    assert "do not send the email" in err


def test_without_rsync_the_message_says_how_to_install_it(project: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(project / "nothing-here"))
    with pytest.raises(FolioError, match=r"needs rsync .*apt-get install rsync"):
        publish("news@example.org:/srv/news", content=project / "content",
                out=project / "build")


def test_remote_targets_are_told_from_folders() -> None:
    assert is_remote("news@example.org:/var/www/news")
    assert is_remote("example.org:news") and is_remote("deploy@127.0.0.1:/srv/site/")
    assert not is_remote("/var/www/news") and not is_remote("site")
    assert not is_remote("./odd:name") and not is_remote("C:/Users/me/site")


# --- over SSH -----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A real sshd on 127.0.0.1 that lets this user in with a key: (user@host, ssh command)."""
    missing = [name for name, found in (("sshd", SSHD.is_file()), ("ssh", shutil.which("ssh")),
                                        ("rsync", shutil.which("rsync"))) if not found]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{', '.join(missing)} missing in CI; .ci/run installs them")
        pytest.skip(f"{', '.join(missing)} not installed (apt-get install openssh-server "
                    "rsync; .ci/run installs them)")
    folder = tmp_path_factory.mktemp("sshd")
    for key in ("host", "client"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                        str(folder / key)], check=True)
    shutil.copy(folder / "client.pub", folder / "authorized_keys")
    port = _free_port()
    config = folder / "sshd_config"
    config.write_text(
        f"HostKey {folder / 'host'}\nListenAddress 127.0.0.1\nPidFile {folder / 'sshd.pid'}\n"
        f"AuthorizedKeysFile {folder / 'authorized_keys'}\nPubkeyAuthentication yes\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
        "StrictModes no\nPermitRootLogin prohibit-password\nLogLevel ERROR\n")
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation
    server = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(config), "-p", str(port)],
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 15
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if server.poll() is not None or time.monotonic() > deadline:
                why = server.stderr.read() if server.stderr else ""
                raise RuntimeError(f"sshd did not start: {why}")
            time.sleep(0.05)
        known = folder / "known_hosts"
        known.write_text(f"[127.0.0.1]:{port} {(folder / 'host.pub').read_text()}")
        ssh = (f"ssh -F /dev/null -p {port} -i {folder / 'client'} -o IdentitiesOnly=yes "
               f"-o BatchMode=yes -o UserKnownHostsFile={known} -o StrictHostKeyChecking=yes")
        yield f"{getpass.getuser()}@127.0.0.1", ssh
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_rsync_over_ssh_copies_only_changes_and_deletes_what_is_gone(
        sshd: tuple[str, str], project: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    login, ssh = sshd
    monkeypatch.setenv("RSYNC_RSH", ssh)
    remote = tmp_path / "remote site"  # a space, to be sure paths are passed whole
    target = f"{login}:{remote}"
    dry = publish(target, content=project / "content", out=project / "build", dry_run=True)
    assert sorted(dry.copied) == sorted(expected_files(project / "build"))
    assert not remote.exists()

    first = publish(target, content=project / "content", out=project / "build")
    assert set(tree(remote)) == expected_files(project / "build")
    assert sorted(first.copied) == sorted(expected_files(project / "build"))
    assert first.ok and len(first.confirmed) == 2
    assert oct((remote / "index.html").stat().st_mode & 0o777) == "0o644"

    before = tree(remote)
    second = publish(target, content=project / "content", out=project / "build")
    assert second.copied == [] and second.deleted == [] and tree(remote) == before

    (remote / "CNAME").write_text("news.riverside-food.example\n")
    edit = project / "content" / "winter-2026" / "01-warm-spaces.md"
    edit.write_text(edit.read_text().replace("board games", "jigsaws"))
    shutil.rmtree(project / "content" / "autumn-2025")
    for result in build(content=project / "content", out=project / "build", jobs=1):
        assert result.ok
    dry = publish(target, content=project / "content", out=project / "build", dry_run=True)
    assert "winter-2026/index.html" in dry.copied and "autumn-2025/index.html" in dry.deleted
    assert tree(remote) == {**before, "CNAME": tree(remote)["CNAME"]}
    third = publish(target, content=project / "content", out=project / "build")
    assert sorted(third.copied) == sorted(dry.copied) and third.deleted == dry.deleted
    assert "jigsaws" in (remote / "winter-2026" / "index.html").read_text()
    assert not (remote / "autumn-2025" / "index.html").exists()
    assert (remote / "CNAME").is_file()
    unchanged = "winter-2026/email-images/soup.png"
    assert unchanged not in third.copied and tree(remote)[unchanged] == before[unchanged]


def test_rsync_refuses_to_empty_a_folder_it_did_not_publish_to(
        sshd: tuple[str, str], project: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    login, ssh = sshd
    monkeypatch.setenv("RSYNC_RSH", ssh)
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "thesis.docx").write_text("years of work")
    with pytest.raises(FolioError, match="holds files that Folio did not publish"):
        publish(f"{login}:{tmp_path / 'home'}", content=project / "content",
                out=project / "build")
    assert sorted(p.name for p in (tmp_path / "home").iterdir()) == ["thesis.docx"]


def test_an_unreachable_server_is_a_clear_error(sshd: tuple[str, str], project: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    login, _ = sshd
    monkeypatch.setenv("RSYNC_RSH", f"ssh -F /dev/null -p {_free_port()} -o BatchMode=yes")
    with pytest.raises(FolioError, match=r"rsync could not publish to .*check that `ssh "):
        publish(f"{login}:/tmp/nowhere", content=project / "content", out=project / "build")


def test_an_edition_with_check_errors_is_not_published_unless_allowed(
        project: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    path = project / "content" / "winter-2026" / "01-warm-spaces.md"
    path.write_text(path.read_text().replace("board games", "board board games TODO"))
    for result in build(content=project / "content", out=project / "build", jobs=1):
        assert result.ok
    with pytest.raises(FolioError) as refused:
        publish_local(project, target)
    message = str(refused.value)
    assert "01-warm-spaces.md, line" in message
    assert "TODO" in message and "--allow-errors" in message and "nothing was published" in message
    assert not target.exists()
    done = publish_local(project, target, allow_errors=True)
    assert "winter-2026/index.html" in done.copied
    # a draft's errors stop nothing: it does not go online
    path.write_text(path.read_text().replace("TODO", "").replace("board board", "board"))
    spring = project / "content" / "spring-2026" / "01-allotment.md"
    spring.write_text(spring.read_text() + "\nTODO\n")
    for result in build(content=project / "content", out=project / "build", jobs=1):
        assert result.ok
    assert publish_local(project, target).drafts == ["spring-2026"]
