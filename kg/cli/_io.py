"""Output helpers shared by subcommands: write bytes to stdout or atomically to a file."""

from __future__ import annotations

import sys

from kg._util import write_bytes

__all__ = ["emit"]


def emit(payload: bytes, output: str | None) -> None:
    """Write ``payload`` to ``output`` atomically, or to stdout when ``output`` is None or ``-``."""
    if output in (None, "-"):
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
        return
    write_bytes(output, payload)
    print(f"kg: wrote {output} ({len(payload)} bytes)", file=sys.stderr)
