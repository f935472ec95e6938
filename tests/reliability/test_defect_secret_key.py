"""Defect 5: workers starting together on a fresh instance/ agree on one secret key."""

from __future__ import annotations

import threading
from pathlib import Path

from quiz.config import local_secret_key


def test_racing_starts_write_one_key(tmp_path: Path) -> None:
    for round_ in range(15):
        folder = tmp_path / f"instance{round_}"
        barrier = threading.Barrier(12)
        keys: list[str] = []
        lock = threading.Lock()

        def start(
            folder: Path = folder,
            barrier: threading.Barrier = barrier,
            keys: list[str] = keys,
            lock: threading.Lock = lock,
        ) -> None:
            barrier.wait()
            key = local_secret_key(str(folder))
            with lock:
                keys.append(key)

        threads = [threading.Thread(target=start) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(keys) == 12
        assert len(set(keys)) == 1, f"round {round_}: {len(set(keys))} different keys"
        assert keys[0] == (folder / "secret_key").read_text().strip()
        assert len(keys[0]) == 64
        assert (folder / "secret_key").stat().st_mode & 0o077 == 0
