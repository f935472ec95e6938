"""Benchmark: import (read, then write into SQLite) a 5,000-question Moodle XML file and a
20,000-note Anki package, with the peak memory of each and the load average beside each figure.

Run: python -m bench.imports [--questions 5000] [--notes 20000]

Each import runs in its own process, so its peak resident memory (ru_maxrss) is its own; the
Python allocations' peak (tracemalloc) is taken in a second, separate run of the read and the
write (tracemalloc slows Python down, so the timed run goes without it). The package is made by
genanki (Anki's legacy `collection.anki2`, Basic, reversed and Cloze notes) and repacked as
Anki 2.1.50+ does (`collection.anki21b`, zstd, beside a decoy), so both layouts are timed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import genanki
import zstandard

from quiz.formats.common import ReadResult

MODELS = {
    "basic": genanki.BASIC_MODEL,
    "reversed": genanki.BASIC_AND_REVERSED_CARD_MODEL,
    "cloze": genanki.CLOZE_MODEL,
}


def make_apkg(notes: int, layout: str) -> bytes:
    """An .apkg of `notes` notes (70% Basic, 15% reversed, 15% Cloze), in a layout."""
    deck = genanki.Deck(1_234_567_890, "Bench")
    subdecks = [genanki.Deck(1_234_567_891 + n, f"Bench::Part {n}") for n in range(4)]
    for n in range(notes):
        target = subdecks[n % 4]
        if n % 20 < 14:
            note = genanki.Note(MODELS["basic"], [f"Front <b>{n}</b> of the card", f"Back {n}"])
        elif n % 20 < 17:
            note = genanki.Note(MODELS["reversed"], [f"Word {n}", f"Meaning {n}"])
        else:
            text = f"Agadez {n} is in {{{{c1::central}}}} {{{{c2::Niger::country}}}}."
            note = genanki.Note(MODELS["cloze"], [text, "Extra"])
        note.tags = [f"tag{n % 7}"]
        target.add_note(note)
    out = io.BytesIO()
    genanki.Package([deck, *subdecks]).write_to_file(out)
    if layout == "anki2":
        return out.getvalue()
    with zipfile.ZipFile(out) as source:
        collection = source.read("collection.anki2")
    repacked = io.BytesIO()
    with zipfile.ZipFile(repacked, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("collection.anki2", b"decoy: please update to the latest Anki version")
        archive.writestr("collection.anki21b", zstandard.ZstdCompressor().compress(collection))
        archive.writestr("media", zstandard.ZstdCompressor().compress(b""))
    return repacked.getvalue()


def make_input(kind: str, count: int) -> tuple[bytes, str]:
    """The file's bytes and its format name."""
    if kind == "moodle-xml":
        from bench.import_moodle_xml import make_moodle_xml

        return make_moodle_xml(count).encode(), "moodle-xml"
    return make_apkg(count, kind.removeprefix("apkg-")), "apkg"


def write_all(result: ReadResult) -> float:
    """Seconds to write the questions into a new set of a fresh SQLite database."""
    from bench.import_gift import bench_teacher
    from quiz.extensions import db
    from quiz.transfer.imports import new_set, write_import

    with bench_teacher() as teacher:
        started = time.perf_counter()
        write_import(db.session, new_set(db.session, teacher, "Bench", "private"), result)
        db.session.commit()
        return time.perf_counter() - started


def timed(call: Callable[[], Any]) -> tuple[Any, float, float]:
    """The call's value, its seconds and the 1-minute load average when it ended."""
    started = time.perf_counter()
    value = call()
    return value, time.perf_counter() - started, os.getloadavg()[0]


def one(kind: str, count: int) -> dict[str, Any]:
    """Measure one import in this process (run by main in a child process)."""
    from quiz.formats.upload import read_upload

    data, fmt = make_input(kind, count)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    read, read_s, read_load = timed(lambda: read_upload(data, fmt, check_size=False))
    result: ReadResult = read[1]
    _, write_s, write_load = timed(lambda: write_all(result))
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    questions = len(result.questions)
    tracemalloc.start()
    _, again = read_upload(data, fmt, check_size=False)
    read_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    write_all(again)
    write_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "input": kind,
        "size_mb": round(len(data) / 1e6, 2),
        "count": count,
        "questions": questions,
        "read_s": round(read_s, 2),
        "read_load": round(read_load, 2),
        "write_s": round(write_s, 2),
        "write_load": round(write_load, 2),
        "tracemalloc_read_peak_mb": round(read_peak / 1e6, 1),
        "tracemalloc_write_peak_mb": round(write_peak / 1e6, 1),
        "ru_maxrss_mb": round(rss_after / 1024, 1),  # Linux: kilobytes
        "ru_maxrss_before_mb": round(rss_before / 1024, 1),
        "load_at_end": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    """Run each import in a child process and print its figures (and JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--notes", type=int, default=20000)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--one", nargs=2, metavar=("KIND", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], int(args.one[1]))))
        return
    runs = [
        ("moodle-xml", args.questions),
        ("apkg-anki2", args.notes),
        ("apkg-anki21b", args.notes),
    ]
    figures = []
    print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.2f}")
    for kind, count in runs:
        child = subprocess.run(  # noqa: S603 - this very script, with fixed arguments
            [sys.executable, "-m", "bench.imports", "--one", kind, str(count)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        f = json.loads(child.stdout.strip().splitlines()[-1])
        figures.append(f)
        print(
            f"{kind}: {f['count']:,} in, {f['questions']:,} questions, {f['size_mb']} MB: "
            f"read {f['read_s']} s (load {f['read_load']}), write {f['write_s']} s "
            f"(load {f['write_load']}); peak Python memory read {f['tracemalloc_read_peak_mb']}"
            f" MB, write {f['tracemalloc_write_peak_mb']} MB; process peak RSS "
            f"{f['ru_maxrss_mb']} MB (load {f['load_at_end']})"
        )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
