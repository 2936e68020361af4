"""Small helpers shared by several modules: short excerpts for messages, atomic file writes, URL checks, Markdown
escaping, the package version, pausing the garbage collector."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from markupsafe import Markup

from kg.errors import ExportError

__all__ = ["excerpt", "printable", "write_atomic", "write_bytes", "cannot_write", "safe_url", "package_version",
           "md_escape",
           "md_inline", "md_block", "display_path", "paused_gc"]


def package_version() -> str:
    """The installed version of kg (``0+unknown`` when it runs from a checkout that was never installed)."""
    from importlib.metadata import PackageNotFoundError, version  # scans the installed distributions: on demand

    try:
        return version("kg")
    except PackageNotFoundError:  # pragma: no cover - the tests run an installed kg
        return "0+unknown"


def display_path(path: str | os.PathLike[str]) -> str:
    """A file name for messages as users typed it: relative to the current directory when it lies below it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def excerpt(value: object, limit: int = 40) -> str:
    r"""``value`` on one line, cut to at most ``limit`` characters ending in ``…`` when longer: the one
    shortener of messages, table cells and node captions.

    >>> excerpt("a  long\nline of text", 12)
    'a long line…'
    """
    text = " ".join(str(value).split())
    return printable(text if len(text) <= limit else text[: limit - 1].rstrip() + "…")


#: what a terminal may obey or cannot print: C0 and C1 controls, DEL, surrogates, U+FFFE and U+FFFF
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    r"""``text`` with every control character escaped as Python writes it, so data quoted in a message can
    never drive the terminal: what :func:`excerpt` and every reported issue go through.

    >>> printable("person/\x1b[2J x\x85")
    'person/\\x1b[2J x\\x85'
    """
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


class _GcPause:
    """The :func:`paused_gc` blocks open in any thread: the first disables the collector, the last restores it."""

    lock = threading.Lock()
    depth = 0
    was_enabled = False


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Run a block with the cyclic garbage collector disabled, then restore its previous state.

    For a burst that makes a great many container objects which die within the block, such as the node tree
    PyYAML composes for one file: without the pause every 700 new objects trigger a collection that walks
    them, and the survivors promoted meanwhile trigger full collections that walk every object alive (loading
    a corpus of 280 files took 5.5 s without a pause per file, 4.1 s with it). Around work whose objects all
    stay alive it saves nothing: the collections only come after the block. Blocks may nest, also across
    threads: the first to open disables the collector, the last to close restores it.

    >>> import gc
    >>> with paused_gc():
    ...     gc.isenabled()
    False
    """
    with _GcPause.lock:
        if _GcPause.depth == 0:
            _GcPause.was_enabled = gc.isenabled()
            gc.disable()
        _GcPause.depth += 1
    try:
        yield
    finally:
        with _GcPause.lock:
            _GcPause.depth -= 1
            if _GcPause.depth == 0 and _GcPause.was_enabled:
                gc.enable()


def write_atomic(path: str | os.PathLike[str], write: Callable[[IO[bytes]], object]) -> None:
    """Call ``write`` on a temporary file beside ``path`` and rename it over ``path`` only on success.

    An interrupted or failing writer leaves any previous file untouched.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    _remove_orphans(directory)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


#: ``.NAME.PID.RANDOM.tmp``, the temporary file of :func:`write_atomic` (mkstemp's RANDOM has no dots)
_TEMPORARY = re.compile(r"^\..+\.([0-9]+)\.[A-Za-z0-9_]+\.tmp$")
_swept: set[Path] = set()


def _remove_orphans(directory: Path) -> None:
    """Delete the temporary files of earlier writes into ``directory`` whose process is gone (killed mid-write:
    the name carries the writer's pid), so a ``kill -9`` never leaves one behind for good. Once per directory
    and process: a run writing many files into one directory lists it once."""
    key = directory.resolve()
    if key in _swept:
        return
    _swept.add(key)
    with contextlib.suppress(OSError):
        for entry in os.scandir(directory):
            match = _TEMPORARY.match(entry.name)
            if match and not _alive(int(match.group(1))):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def write_bytes(path: str | os.PathLike[str], payload: bytes) -> None:
    """Write ``payload`` to ``path`` atomically; an OS failure becomes a one-line :class:`ExportError`."""
    try:
        write_atomic(path, lambda handle: handle.write(payload))
    except OSError as err:
        raise cannot_write(path, err) from err


def cannot_write(path: str | os.PathLike[str], err: OSError) -> ExportError:
    """The one error every writer reports: ``cannot write PATH: reason``."""
    return ExportError(f"cannot write {path}: {err.strerror or err}")


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL with a host, else None (never a ``javascript:`` link)."""
    if not url:
        return None
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in text for c in "\r\n\t "):
        return None
    return text


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_MD_INLINE = re.compile(r"([\\`*_\[\]<>~])|&(?=#?[A-Za-z0-9]+;)")
_MD_BLOCK_START = re.compile(r"^(?:[#>+=-]|\d+[.)])")


def md_inline(text: str) -> str:
    """``text`` on one line with every character that would start Markdown markup backslash-escaped."""
    return _MD_INLINE.sub(lambda m: "\\" + m.group(0), re.sub(r"\s+", " ", text))


def md_block(text: str) -> str:
    """``text`` with a block marker at its start (``#``, ``>``, ``-``, ``1.``) escaped."""
    text = text.strip()
    match = _MD_BLOCK_START.match(text)
    return text[: match.end() - 1] + "\\" + text[match.end() - 1 :] if match else text


def md_escape(value: Any) -> str:
    """``value`` as Markdown text that renders as exactly that text, on one line."""
    if value is None:
        return ""
    if isinstance(value, Markup):  # already Markdown: made by cite() or prose()
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return md_block(md_inline(str(value)))
