"""A notice for work that takes longer than expected, so a slow run never looks hung."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# A step still running after this long gets a progress line.
PROGRESS_AFTER_S = 1.0


@contextmanager
def announce_if_slow(
    progress: Callable[[str], None], name: str, after_s: float = PROGRESS_AFTER_S
) -> Iterator[None]:
    """Call ``progress("<name> ...")`` once if the block is still running after ``after_s``."""
    timer = threading.Timer(after_s, progress, [f"{name} ..."])
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
