"""Publish: the build folder -> what belongs online, copied to a folder or over SSH by rsync.

What belongs online is read from the build manifest, not guessed from the folder: each
published edition's web page and its assets (its fonts are in the shared `assets/fonts/`),
its PDF, the pictures its email shows (`email-images/`), and the archive (page, assets,
feed, sitemap). Never the manifest, locks, `print.html` or the email files, and never a
draft (`draft: true`).

The target ends up holding exactly that set: changed files are copied, files no longer
built are deleted. Hidden files (`.git`, `.htaccess`, `.well-known/`) and a `CNAME` file
are never touched, and a folder that Folio did not publish to before is not emptied.
A local TARGET is a folder; `host:path` or `user@host:path` goes through `rsync` over SSH
(the user's SSH settings apply; `RSYNC_RSH` can name another ssh command).

After publishing, the email's picture addresses (`asset_base_url` + name) are compared
with where the pictures now are, so that nobody sends an email whose pictures are missing.
"""

from __future__ import annotations

import filecmp
import os
import posixpath
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .archive import load_site, published
from .build import ARCHIVE_ENTRY, PRINT_HTML, read_manifest
from .errors import FolioError, Problem, command_line, display_path
from .outputs import write_atomic
from .sources import find_editions, yaml_settings

ONLINE: dict[str, Callable[[str], bool]] = {
    "web": lambda name: True,
    "pdf": lambda name: name != PRINT_HTML,
    "email": lambda name: name.startswith("email-images/"),
}
"""Which of each format's files go online."""
KEEP = re.compile(r"(^|/)\.|^CNAME$")
"""Files in the target that publishing never deletes: hidden ones and GitHub Pages' CNAME."""
REMOTE = re.compile(r"^(?:[^/:@\s]+@)?(?P<host>[^/:\s]{2,}|\[[0-9a-fA-F:]+\]):(?P<path>.*)$")
IMG_SRC = re.compile(r'<img\b[^>]*?\bsrc="([^"]+)"')
GENERATOR = '<meta name="generator" content="Folio">'


@dataclass
class Published:
    """What publishing changed (or would change, in a dry run) and what it found."""

    target: str
    dry_run: bool
    online: int = 0
    """How many files belong online."""
    copied: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)
    """Sentences saying that an email's pictures are where it looks for them."""
    problems: list[str] = field(default_factory=list)
    """Sentences saying what would break in an email sent now."""

    @property
    def ok(self) -> bool:
        """Return True when every email finds its pictures."""
        return not self.problems

    def report(self) -> list[str]:
        """Return what happened as lines for a person; the problems are listed apart."""
        lines = [f"copy    {name}" for name in self.copied]
        lines += [f"delete  {name}" for name in self.deleted]
        if not self.copied and not self.deleted:
            lines.append(f"{self.target} is up to date ({self.online} files online)")
        elif self.dry_run:
            lines.append(f"would copy {_files(self.copied)} and delete {_files(self.deleted)} "
                         f"in {self.target} (dry run: nothing was changed)")
        else:
            lines.append(f"copied {_files(self.copied)} and deleted {_files(self.deleted)} "
                         f"in {self.target} ({self.online} files online)")
        lines += [f"left out {name}: a draft (draft: true in its edition.yaml)"
                  for name in self.drafts]
        lines += [f"ok: {sentence}" for sentence in self.confirmed]
        return lines


def _files(names: list[str]) -> str:
    return f"{len(names)} file{'' if len(names) == 1 else 's'}"


# --- what belongs online ------------------------------------------------------------


def online_files(content: Path, out: Path) -> tuple[dict[str, Path], list[str]]:
    """Return the files that belong online (target path -> built file) and the drafts."""
    manifest = read_manifest(out)
    files: dict[str, Path] = {}
    drafts = []
    for folder in find_editions(content):
        slug = folder.name
        if yaml_settings(folder / "edition.yaml").get("draft") is True:
            drafts.append(slug)
            continue
        for fmt, belongs in ONLINE.items():
            entry = manifest.get(f"{slug}/{fmt}")
            for name in entry.get("files", []) if isinstance(entry, dict) else []:
                # `../assets/fonts/...`: the fonts every page shares, at the top
                online = posixpath.normpath(f"{slug}/{name}")
                if belongs(str(name)) and not online.startswith("..") and \
                        (out / online).is_file():
                    files[online] = out / online
    entry = manifest.get(ARCHIVE_ENTRY)
    for name in entry.get("files", []) if isinstance(entry, dict) else []:
        if (out / str(name)).is_file():
            files[str(name)] = out / str(name)
    return dict(sorted(files.items())), drafts


def check_target(target: str) -> None:
    """Refuse a target that rsync or ssh would read as an option (`-e ...`, `user@-o...`)."""
    remote = REMOTE.match(target)
    if target.startswith("-") or (remote and remote["host"].startswith("-")):
        raise FolioError(f"the target '{target}' starts with '-', which rsync and ssh read "
                         "as an option; name a folder as ./" + target.lstrip("-") +
                         " or a server as [user@]host:path")


def is_remote(target: str) -> bool:
    """Return True for an rsync-over-SSH target such as `user@host:/var/www/news`."""
    return REMOTE.match(target) is not None


# --- copying ------------------------------------------------------------------------


def publish(target: str, *, content: Path = Path("content"), out: Path = Path("build"),
            dry_run: bool = False, allow_errors: bool = False) -> Published:
    """Bring `target` to exactly what belongs online; then check the email's pictures.

    An edition that `check` finds errors in is not put online (nothing is) unless
    `allow_errors` says to publish it all the same.
    """
    check_target(target)
    files, drafts = online_files(content, out)
    if "index.html" not in files:
        raise FolioError(f"{display_path(out)}/ holds no built archive; run the build first")
    if not allow_errors:
        _refuse_errors(content, drafts)
    result = Published(target, dry_run, online=len(files), drafts=drafts)
    if is_remote(target):
        result.copied, result.deleted = _rsync(files, target, out, dry_run)
    else:
        result.copied, result.deleted = _copy(files, Path(target), out, dry_run)
    _check_email(content, out, files, result)
    return result


ERRORS_SHOWN = 5
"""How many check errors publish lists before pointing to `check` for the rest."""


def _refuse_errors(content: Path, drafts: list[str]) -> None:
    """Raise `FolioError` when an edition going online has errors that `check` finds."""
    from .build import quick_check
    from .content import load_edition

    problems: list[Problem] = []
    for folder in find_editions(content):
        if folder.name in drafts:
            continue
        try:
            errors = quick_check(load_edition(folder))
        except FolioError as exc:
            problems += exc.problems
            continue
        problems += [Problem(f.file, f.line, f"{f.rule}: {f.message}")
                     for f in errors[:ERRORS_SHOWN]]
        if len(errors) > ERRORS_SHOWN:
            problems.append(Problem("", None, f"... and {len(errors) - ERRORS_SHOWN} more in "
                                              f"{display_path(folder)}"))
    if problems:
        problems.append(Problem("", None, (
            "nothing was published: these errors would go online. Fix them "
            f"({command_line('check')} lists them all), mark an edition that is not ready "
            "`draft: true`, or publish all the same with --allow-errors")))
        raise FolioError(problems)


def _copy(files: dict[str, Path], target: Path, out: Path,
          dry_run: bool) -> tuple[list[str], list[str]]:
    """Mirror `files` into a local folder; return what was (or would be) copied and deleted."""
    if target.resolve() == out.resolve() or target.resolve().is_relative_to(out.resolve()):
        raise FolioError(f"the target {display_path(target)} is inside the build folder; "
                         "publish to a folder of its own")
    present = {str(p.relative_to(target)) for p in target.rglob("*")
               if p.is_file() or p.is_symlink()} if target.is_dir() else set()
    present = {name for name in present if not KEEP.search(name)}
    copied = [name for name, source in files.items()
              if not (target / name).is_file() or (target / name).is_symlink()
              or not filecmp.cmp(source, target / name, shallow=False)]
    deleted = sorted(present - set(files))
    if deleted:
        _refuse_foreign(target, deleted, (target / "index.html").is_file()
                        and GENERATOR in (target / "index.html").read_text("utf-8", "replace"))
    if dry_run:
        return copied, deleted
    for number, name in enumerate(copied):
        destination = target / name
        try:
            if destination.is_symlink():
                destination.unlink()
            write_atomic(destination, files[name].read_bytes())
        except OSError as exc:  # a full or read-only disk: say where, and what is there now
            raise FolioError(f"{display_path(destination)}: publishing stopped after "
                             f"{number} of {len(copied)} files ({exc.strerror or exc}); each "
                             "file there is whole, old or new: free some space (or fix the "
                             "permissions) and publish again") from exc
    for name in deleted:
        (target / name).unlink()
    for folder in sorted({(target / n).parent for n in deleted}, key=lambda p: -len(p.parts)):
        while folder != target and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return copied, deleted


def _refuse_foreign(target: Path | str, deleted: list[str], ours: bool) -> None:
    """Stop before deleting from a folder that Folio never published to."""
    if not ours:
        raise FolioError(
            f"{target} holds files that Folio did not publish ({len(deleted)}, such as "
            f"{deleted[0]}), and publishing would delete them: the target must be the "
            "newsletter site's own folder; publish into an empty folder, or into the one "
            "you published to before")


def _rsync(files: dict[str, Path], target: str, out: Path,
           dry_run: bool) -> tuple[list[str], list[str]]:
    """Mirror `files` over SSH with rsync: only changed files travel, stale ones go."""
    rsync = shutil.which("rsync")
    if rsync is None:
        raise FolioError("publishing to host:path needs rsync on this computer (Debian and "
                         "Ubuntu: apt-get install rsync; macOS: brew install rsync), and on "
                         "the server")
    command = [rsync, "--recursive", "--checksum", "--perms", "--chmod=D755,F644", "--delete",
               "--itemize-changes", "--protect-args", "--exclude=.*", "--exclude=/CNAME"]
    with tempfile.TemporaryDirectory(dir=out, prefix=".folio-publish-") as stage:
        for name, source in files.items():
            staged = Path(stage) / name
            staged.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, staged)  # the same bytes and times, no copy
            except OSError:
                shutil.copy2(source, staged)
        # `--` ends the options: a target is only ever a place, never an option.
        trial = _run([*command, "--dry-run", "--", f"{stage}/", target], target)
        copied, deleted, created = _itemized(trial)
        if deleted:
            _refuse_foreign(target, deleted, "index.html" not in created)
        if not dry_run and (copied or deleted):
            _run([*command, "--", f"{stage}/", target], target)
    return copied, deleted


def _run(command: list[str], target: str) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    except subprocess.TimeoutExpired as exc:
        raise FolioError(f"rsync to {target} did not finish within an hour") from exc
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        host = target.split(":", 1)[0]
        raise FolioError(f"rsync could not publish to {target}: {why}; check that "
                         f"`ssh {host}` logs in without questions and that the folder exists")
    return done.stdout


def _itemized(listing: str) -> tuple[list[str], list[str], set[str]]:
    """Read rsync's --itemize-changes: files sent, files deleted, files new to the target."""
    copied, deleted, created = [], [], set()
    for line in listing.splitlines():
        if line.startswith("*deleting "):
            name = line[len("*deleting "):].strip()
            if not name.endswith("/"):
                deleted.append(name)
        elif len(line) > 12 and line[0] in "<>" and line[1] == "f":
            flags, name = line.split(" ", 1)
            copied.append(name)
            if "+++" in flags:
                created.add(name)
    return sorted(copied), sorted(deleted), created


# --- the email's pictures -----------------------------------------------------------


def _check_email(content: Path, out: Path, files: dict[str, Path], result: Published) -> None:
    """Compare each email's picture addresses with where its pictures are published."""
    editions = published(content, out)
    base = load_site(content.parent, editions[0].config if editions else None).base
    for entry in editions:
        email = out / entry.slug / "email.html"
        if not email.is_file():
            continue
        pictures = sorted(set(IMG_SRC.findall(email.read_text("utf-8"))))
        names = {n.split("/email-images/", 1)[1] for n in files
                 if n.startswith(f"{entry.slug}/email-images/")}
        expected = f"{base}{entry.slug}/email-images/" if base else None
        settings = entry.config.email
        where = display_path(entry.root / "edition.yaml")
        if not names:
            continue
        if not settings.asset_base_url:
            address = expected or f"https://<your site>/{entry.slug}/email-images/"
            result.problems.append(
                f"{entry.slug}: email.html shows its pictures from the local folder "
                f"email-images/, which a sending service cannot reach; set "
                f"email.asset_base_url: {address} in {where}, build and publish again "
                "before sending")
            continue
        asked = settings.asset_base_url.rstrip("/") + "/"
        missing = [p for p in pictures if p.startswith(asked) and p[len(asked):] not in names]
        if expected and asked != expected:
            result.problems.append(
                f"{entry.slug}: the email's pictures point to {asked}, but they are published "
                f"at {expected}; set email.asset_base_url: {expected} in {where}, build and "
                "publish again before sending")
        elif missing:
            result.problems.append(
                f"{entry.slug}: the email shows {missing[0]}, which was not published; build "
                "and publish again before sending")
        elif expected:
            count = sum(p.startswith(asked) for p in pictures)
            pictures_point = "1 picture points" if count == 1 else f"{count} pictures point"
            result.confirmed.append(
                f"{entry.slug}: the email's {pictures_point} to {expected}, where "
                f"{'it is' if count == 1 else 'they are'} published")
        else:
            result.confirmed.append(
                f"{entry.slug}: the email's pictures point to {asked}; Folio cannot tell "
                "whether that is where they were published: add `site: {base_url: ...}` to "
                "folio.yaml to have it checked")
        page = f"{base}{entry.slug}/" if base else None
        if page and settings.web_url and settings.web_url.rstrip("/") + "/" != page:
            result.problems.append(
                f"{entry.slug}: the email links to the web page at {settings.web_url}, but it "
                f"is published at {page}; set email.web_url: {page} in {where}")
