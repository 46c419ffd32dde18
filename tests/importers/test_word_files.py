"""Word files as other tools write them: styles without ids, Windows pictures, split words.

Each .docx is built here (python-docx, then its XML changed as those tools write it).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

from PIL import Image

from folio.importers import import_draft
from tests.importers.conftest import bodies


def _docx(build) -> bytes:  # type: ignore[no-untyped-def]
    import docx

    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rewrite(data: bytes, path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """Write the package at `path`, each part passed through `change(name, bytes)`."""
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            name, content = change(info.filename, source.read(info))
            target.writestr(name, content)
    return path


def test_a_style_without_an_id_is_read(tmp_path: Path) -> None:
    """LibreOffice and converters write such styles; mammoth failed on `KeyError: 'w:styleId'`."""
    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.add_heading("Report", level=1)
        document.add_paragraph("Four hundred words stood in this document.")

    def change(name: str, content: bytes) -> tuple[str, bytes]:
        if name == "word/styles.xml":
            content, count = re.subn(rb' w:styleId="Quote"', b"", content)
            assert count == 1
        return name, content

    draft = _rewrite(_docx(build), tmp_path / "styles.docx", change)
    report = import_draft(draft, tmp_path / "content", "styles")
    assert bodies(report.edition) == {"01-report.md": "Four hundred words stood in this document."}


def wmf() -> bytes:
    """A placeable Windows Metafile: one blue rectangle on a 200 x 100 canvas."""
    records = [struct.pack("<IHhh", 5, 0x020B, 0, 0),  # SetWindowOrg
               struct.pack("<IHhh", 5, 0x020C, 100, 200),  # SetWindowExt
               struct.pack("<IHHIH", 7, 0x02FC, 0, 0x00FF0000, 0),  # CreateBrushIndirect
               struct.pack("<IHh", 4, 0x012D, 0),  # SelectObject
               struct.pack("<IHhhhh", 7, 0x041B, 90, 190, 10, 10),  # Rectangle
               struct.pack("<IH", 3, 0)]  # EOF
    body = b"".join(records)
    header = struct.pack("<HHHIHIH", 1, 9, 0x0300, (18 + len(body)) // 2, 1, 7, 0)
    place = bytearray(struct.pack("<IHhhhhHIH", 0x9AC6CDD7, 0, 0, 0, 200, 100, 1440, 0, 0))
    checksum = 0
    for (word,) in struct.iter_unpack("<H", bytes(place[:20])):
        checksum ^= word
    place[20:22] = struct.pack("<H", checksum)
    return bytes(place) + header + body


def picture_draft(path: Path, content_type: str, extension: str, data: bytes) -> Path:
    """A draft whose one picture, described, sits mid-paragraph, in another format."""
    png = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(png, "PNG")

    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.add_heading("Pictures", level=1)
        paragraph = document.add_paragraph("Before the picture. ")
        paragraph.add_run().add_picture(io.BytesIO(png.getvalue()))
        paragraph.add_run(" After the picture.")
        document.add_paragraph("Closing words.")

    def change(name: str, content: bytes) -> tuple[str, bytes]:
        if name.startswith("word/media/"):
            return name.rsplit(".", 1)[0] + f".{extension}", data
        if name == "[Content_Types].xml":
            content = content.replace(b'Extension="png" ContentType="image/png"',
                                      f'Extension="{extension}" ContentType="{content_type}"'
                                      .encode())
        if name.endswith(".rels") or name == "word/document.xml":
            content = re.sub(rb"media/(image\d+)\.png", rf"media/\1.{extension}".encode(),
                             content)
        if name == "word/document.xml":
            content = re.sub(rb'descr="[^"]*"', b"", content)
            content = content.replace(b"<wp:docPr ",
                                      b'<wp:docPr descr="Map of the three harbour districts" ')
        return name, content

    return _rewrite(_docx(build), path, change)


def test_a_windows_metafile_becomes_a_png_with_its_description(tmp_path: Path) -> None:
    draft = picture_draft(tmp_path / "wmf.docx", "image/x-wmf", "wmf", wmf())
    report = import_draft(draft, tmp_path / "content", "wmf")
    assert bodies(report.edition)["01-pictures.md"] == (
        "Before the picture. ![Map of the three harbour districts](images/image-1.png) After "
        "the picture.\n\nClosing words.")
    with Image.open(report.edition / "images" / "image-1.png") as picture:
        assert picture.format == "PNG" and picture.width > picture.height
    assert any("converted to PNG" in note for note in report.notes)


def test_a_picture_no_library_reads_keeps_its_description_and_the_text(tmp_path: Path) -> None:
    """An old Mac PICT: no converter, so its description stays where it was, with a note."""
    pict = b"\x00" * 512 + b"\x00\x0a\x00\x00\x00\x00\x00\x64\x00\xc8\x00\x11\x02\xff"
    draft = picture_draft(tmp_path / "pict.docx", "image/pict", "pct", pict)
    report = import_draft(draft, tmp_path / "content", "pict")
    body = bodies(report.edition)["01-pictures.md"]
    assert body == ("Before the picture. [image: Map of the three harbour districts] After "
                    "the picture.\n\nClosing words.")
    [note] = [n for n in report.notes if "image/pict" in n]
    assert "description of 1 is kept" in note and "save them as PNG" in note
    assert not (report.edition / "images").exists()


def test_words_split_by_direction_marks_are_whole(tmp_path: Path) -> None:
    """Runs inside `w:dir` / `w:bdo` (Word marks a change of direction so, even mid-word)
    were dropped with their text: 'наименование' arrived as 'енование'."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.add_heading("Реквизиты", level=1)
        for wrapper in ("dir", "bdo"):
            paragraph = document.add_paragraph("Полное ")
            paragraph._p.append(parse_xml(
                f'<w:{wrapper} {nsdecls("w")} w:val="ltr"><w:r><w:t>наим</w:t></w:r>'
                f'<w:{wrapper} w:val="ltr"><w:r><w:t>ено</w:t></w:r></w:{wrapper}>'
                f"</w:{wrapper}>"))
            paragraph.add_run("вание организации.")

    path = tmp_path / "russian.docx"
    path.write_bytes(_docx(build))
    report = import_draft(path, tmp_path / "content", "russian", language="ru")
    assert list(bodies(report.edition).values()) == [(
        "Полное наименование организации.\n\nПолное наименование организации.")]
