"""Exporting a stored set in each format: one function for the download links and the CLI."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from quiz.formats.apkg import write_apkg
from quiz.formats.common import Notice, slugify
from quiz.formats.delimited_writer import write_csv
from quiz.formats.gift_writer import write_gift
from quiz.formats.media_files import question_names, write_bundle
from quiz.formats.moodle.writer import write_moodle_xml
from quiz.formats.yaml_bank import dump_set
from quiz.media.store import files_named
from quiz.models import QuestionSet
from quiz.transfer.imports import set_data, set_identity

EXPORTS = {
    "gift": ("GIFT (Moodle)", "gift", "text/plain; charset=utf-8"),
    "csv": ("CSV (spreadsheets)", "csv", "text/csv; charset=utf-8"),
    "yaml": ("YAML (this app)", "yaml", "application/yaml; charset=utf-8"),
    "apkg": ("Anki package", "apkg", "application/octet-stream"),
    "moodle-xml": ("Moodle XML", "xml", "application/xml; charset=utf-8"),
}


ZIP = "application/zip"


@dataclass(frozen=True)
class Export:
    """A file to hand over."""

    content: bytes
    filename: str
    mimetype: str
    notices: tuple[Notice, ...]


def export_set(session: Session, qset: QuestionSet, fmt: str) -> Export:
    """The set's live questions in a format (gift, csv, yaml, apkg or moodle-xml), with the
    set's files the questions use (a YAML export with files is a .zip bundle)."""
    if fmt not in EXPORTS:
        raise ValueError(f"unknown export format {fmt!r}")
    data = set_data(session, qset)
    notices: list[Notice] = []
    names = {name for item in data.questions for name in question_names(item)}
    rows = session.execute(files_named(qset.id, names)).all() if names else []
    media = {name: data for name, data in rows}
    _, extension, mimetype = EXPORTS[fmt]
    if fmt == "gift":
        text, notices = write_gift(data)
        content = text.encode()
    elif fmt == "csv":
        text, notices = write_csv(data)
        content = text.encode()
    elif fmt == "moodle-xml":
        text, notices = write_moodle_xml(data, media)
        content = text.encode()
    elif fmt == "yaml":
        content = dump_set(data).encode()
        if media:  # the YAML and its files, as one zip this app imports back
            content, extension, mimetype = write_bundle(content.decode(), media), "zip", ZIP
    else:
        content, notices = write_apkg(data, set_identity(qset), media=media)
    if fmt in ("gift", "csv") and media:
        notices.append(Notice(0, f"{len(media)} picture(s) and sound(s) are not in this file"))
    name = slugify(qset.title, limit=60) or f"set-{qset.id}"
    return Export(content, f"{name}.{extension}", mimetype, tuple(notices))
