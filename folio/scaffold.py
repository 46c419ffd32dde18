"""Scaffold: an edition name -> a new edition folder with example sections to edit.

Every example it writes (sentences, figures, addresses on the reserved `.example` domain)
is one that `check` flags as a placeholder (`check.editorial.STARTER_TEXT`) until the
writer replaces it, so that none of it is published by mistake.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import tempfile
from pathlib import Path

from .errors import FolioError, display_path
from .sources import MAX_NAME

EDITION_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

EDITION_YAML = """\
# Settings of this edition; "Content format" in the documentation (docs/) lists every key.
title: {title}
subtitle: One line under the title
organisation: Your organisation  # change me
date: {date}
language: en-GB
kind: newsletter  # or annual-review
description: One sentence for search engines and link previews.
email:
  subject: {title}
  from: Your organisation <news@your-organisation.example>
"""

SECTIONS = {
    "01-introduction.md": """\
---
title: Introduction
summary: One or two sentences that the email digest shows.
---
Write the opening here. Markdown works: **bold**, *italic*, [links](https://www.your-organisation.example/),
lists, tables and footnotes.[^1]

[^1]: Footnotes become real page footnotes in the PDF.
""",
    "02-key-figures.md": """\
---
title: The year in numbers
layout: figures
figures:
  - {value: "120", label: members}
  - {value: "8", label: countries}
  - {value: "3", label: reports published}
---
A sentence about what the numbers mean.
""",
    "03-get-involved.md": """\
---
title: Get involved
layout: cta
cta: {label: Join us, url: "https://www.your-organisation.example/join"}
---
Tell the reader what to do next.
""",
}


def new_edition(content: Path, name: str) -> Path:
    """Create `content/<name>/` with edition.yaml and example sections."""
    if not EDITION_NAME.match(name):
        raise FolioError(f"'{name}' is not a good edition name; use lower-case words joined "
                         "by dashes, such as spring-2026")
    if len(name) > MAX_NAME:
        raise FolioError(f"'{name[:40]}...' is too long for an edition name ({len(name)} "
                         f"characters); keep it under {MAX_NAME}, such as spring-2026")
    folder = content / name
    if folder.exists():
        raise FolioError(f"{folder} already exists; choose another name")
    # Written in a hidden folder, then renamed: a full disk leaves no half edition behind.
    content.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=content))
    try:
        (staging / "images").mkdir()
        title = name.replace("-", " ").capitalize()
        (staging / "edition.yaml").write_text(
            EDITION_YAML.format(title=title, date=datetime.date.today().isoformat()))
        for file_name, text in SECTIONS.items():
            (staging / file_name).write_text(text)
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private
        staging.rename(folder)
    except OSError as exc:
        raise FolioError(f"{display_path(folder)} could not be created ({exc.strerror or exc}); "
                         "nothing was written: free some space or choose another --content "
                         "folder, and try again") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
