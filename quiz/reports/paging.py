"""Pages of a long table: a class of 1,000 is shown 50 rows at a time, sorted over the class."""

from __future__ import annotations

from dataclasses import dataclass

PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    """Which slice of `total` rows a page shows (numbered from 1)."""

    number: int
    size: int
    total: int

    @classmethod
    def of(cls, number: int, total: int, size: int = PAGE_SIZE) -> Page:
        """Page `number`, moved into range (a page past the end shows the last one)."""
        last = max(1, -(-total // size))
        return cls(min(max(1, number), last), size, total)

    @property
    def count(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, -(-self.total // self.size))

    @property
    def start(self) -> int:
        """Index of the first row shown."""
        return (self.number - 1) * self.size

    @property
    def stop(self) -> int:
        """Index after the last row shown."""
        return min(self.total, self.start + self.size)

    @property
    def previous(self) -> int | None:
        """The previous page's number, if any."""
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        """The next page's number, if any."""
        return self.number + 1 if self.number < self.count else None
