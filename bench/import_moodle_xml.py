"""Benchmark: read a 5,000-question Moodle XML file: time (against GIFT's reader) and peak memory.

Run: python -m bench.import_moodle_xml [COUNT]   (the reader only: the database write is the
same as GIFT's, measured by bench.import_gift)
"""

from __future__ import annotations

import sys
import time
import tracemalloc

from bench.import_gift import make_gift
from quiz.formats.gift import read_gift
from quiz.formats.moodle.reader import read_moodle_xml
from quiz.formats.moodle.writer import write_moodle_xml
from quiz.formats.yaml_bank import SetData


def make_moodle_xml(count: int) -> str:
    """Moodle XML of `count` questions (the kinds of the GIFT benchmark), by our writer."""
    questions = read_gift(make_gift(count)).questions
    data = SetData(
        slug="bench", title="Bench", description="", source={}, tags=(), questions=questions
    )
    return write_moodle_xml(data)[0]


def seconds(reader: object, text: str) -> float:
    """Seconds one read takes (the best of three, to damp the noise of a shared machine)."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        reader(text)  # type: ignore[operator]
        best = min(best, time.perf_counter() - started)
    return best


def main(count: int = 5000) -> None:
    """Print the read time, its ratio to GIFT's, how it scales from count/10, and peak memory."""
    xml, gift = make_moodle_xml(count), make_gift(count)
    small = seconds(read_moodle_xml, make_moodle_xml(count // 10))
    big = seconds(read_moodle_xml, xml)
    gift_s = seconds(read_gift, gift)
    tracemalloc.start()
    read_moodle_xml(xml)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{count} questions, {len(xml) / 1e6:.1f} MB of Moodle XML: read in {big:.2f} s")
    print(f"  x{big / gift_s:.1f} GIFT's reader on the same questions ({gift_s:.2f} s)")
    print(f"  scaling x10 in size: x{big / small:.1f} (10 = linear)")
    print(f"  peak memory while reading (tracemalloc): {peak / 1e6:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
