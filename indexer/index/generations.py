"""Where an index lives on disk, and how a new one replaces it without a gap.

``data/index`` is a symbolic link to one generation directory beside it
(``data/index.20261123T160102-4242``). A build writes a new generation under a
``.building`` name, and only when it is complete renames it and swaps the link with
one atomic ``rename``. A crash or ``kill -9`` at any moment therefore leaves the link
pointing at the previous, whole index; servers notice the swap on their next request
and reopen. The generation before the current one is kept, so a request already
running on it finishes; older ones and abandoned builds are removed.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filetables import FileFormatError
from whoosh.index import EmptyIndexError, FileIndex

from .schema import SCHEMA_VERSION

MANIFEST = "archive-search.json"
BUILDING = ".building"
KEEP_OLD_GENERATIONS = 1


class IndexUnavailable(Exception):
    """The index cannot be opened; the message says why and what to do, in one sentence."""


class BuildLocked(Exception):
    """Another build of the same index is running."""


@dataclass(frozen=True)
class IndexInfo:
    """What a served index is: where, which generation, how many records, when built."""

    path: Path
    generation: str
    records: int
    built_at: str


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError as error:
        return error.errno == errno.EPERM
    return True


class IndexLocation:
    """The link ``path`` and the generation directories beside it."""

    def __init__(self, path: str | os.PathLike[str]):
        self.link = Path(path)

    @property
    def parent(self) -> Path:
        return self.link.parent

    def current(self) -> Path | None:
        """The generation directory the link points at, or None when there is no index."""
        if self.link.is_symlink() or self.link.is_dir():
            resolved = self.link.resolve()
            return resolved if resolved.is_dir() else None
        return None

    def new_build_dir(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.parent / f"{self.link.name}.{stamp}-{os.getpid()}{BUILDING}"
        path.mkdir(parents=True)
        return path

    @contextmanager
    def lock(self) -> Iterator[None]:
        """One build at a time per index; a second one fails at once, naming the first."""
        self.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.parent / f".{self.link.name}.lock"
        with open(lock_path, "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                raise BuildLocked(
                    f"another build of {self.link} is running (pid {handle.read().strip() or '?'})"
                ) from None
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def publish(self, built: Path, records: int, reuse_checksums_of: Path | None = None) -> Path:
        """Make a complete build the served index: rename it, then swap the link atomically.

        ``reuse_checksums_of``: the generation an update hard-linked its files from; a
        file that is still the same inode keeps the digest recorded there, unread."""
        final = built.with_name(built.name[: -len(BUILDING)])
        manifest = built / MANIFEST
        # A new file, never written through: an update's files are links to the served ones.
        manifest.unlink(missing_ok=True)
        manifest.write_text(
            json.dumps(
                {
                    "schema_version": SCHEMA_VERSION,
                    "records": records,
                    "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "files": checksums(built, _recorded_digests(reuse_checksums_of)),
                }
            )
        )
        _fsync_dir(built)
        os.rename(built, final)
        self.point_to(final)
        return final

    def point_to(self, generation: Path) -> None:
        """Serve ``generation`` (a finished directory beside the link): swap the link with
        one atomic rename, then remove what is stale."""
        if self.link.exists() and not self.link.is_symlink():
            # An index directory from before links were used: move it aside once.
            os.rename(self.link, self.link.with_name(f"{self.link.name}.legacy-{os.getpid()}"))
        temporary_link = self.parent / f".{self.link.name}.link-{os.getpid()}"
        if temporary_link.is_symlink():
            temporary_link.unlink()
        os.symlink(generation.name, temporary_link)
        os.replace(temporary_link, self.link)
        _fsync_dir(self.parent)
        self.remove_stale()

    def stage_copy(self, source: Path) -> Path:
        """Copy a finished generation (another index's) beside this link, checked against
        the checksums its build recorded, without serving it yet: a replica's copy before
        its link is swapped (replicas.py). Named as the source is, after this link's name,
        so every replica reports the same generation. Raises IndexUnavailable if the copy
        does not match."""
        suffix = source.name.split(".", 1)[1] if "." in source.name else source.name
        final = self.parent / f"{self.link.name}.{suffix}"
        if final.is_dir():
            verify_generation(final, self.link)
            return final
        building = self.new_build_dir()
        try:
            shutil.copytree(source, building, dirs_exist_ok=True)
            verify_generation(building, self.link)
            _fsync_dir(building)
            os.rename(building, final)
            _fsync_dir(self.parent)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        return final

    def generations(self) -> list[Path]:
        prefix = f"{self.link.name}."
        return sorted(
            p
            for p in self.parent.iterdir()
            if p.is_dir() and not p.is_symlink() and p.name.startswith(prefix)
        )

    def remove_stale(self) -> None:
        """Abandoned builds (their process is gone) and generations older than the kept ones."""
        current = self.current()
        finished = []
        for path in self.generations():
            if path.name.endswith(BUILDING):
                pid = int(path.name[: -len(BUILDING)].rsplit("-", 1)[-1] or 0)
                if pid != os.getpid() and not _pid_alive(pid):
                    shutil.rmtree(path, ignore_errors=True)
            elif path != current:
                finished.append(path)
        for path in finished[: max(0, len(finished) - KEEP_OLD_GENERATIONS)]:
            shutil.rmtree(path, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def generation_files(directory: Path) -> list[Path]:
    """A generation's index files: everything but our manifest and Whoosh's lock files."""
    return [
        entry
        for entry in sorted(directory.iterdir())
        if entry.is_file() and entry.name != MANIFEST and not entry.name.upper().endswith("LOCK")
    ]


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _recorded_digests(generation: Path | None) -> dict[tuple[int, int], str]:
    """(device, inode) -> digest, of the files a generation's manifest recorded."""
    if generation is None:
        return {}
    try:
        recorded = json.loads((generation / MANIFEST).read_text()).get("files") or {}
    except (OSError, ValueError):
        return {}
    found = {}
    for name, digest in recorded.items():
        try:
            status = (generation / name).stat()
        except OSError:
            continue
        found[(status.st_dev, status.st_ino)] = digest
    return found


def checksums(directory: Path, known: dict[tuple[int, int], str] | None = None) -> dict[str, str]:
    """SHA-256 of every index file of a generation, hashed on every core (hashlib releases
    the GIL); a file ``known`` by its inode (a hard link an update made) is not read again."""
    known = known or {}
    files = generation_files(directory)
    digests: dict[str, str] = {}
    unknown = []
    for entry in files:
        status = entry.stat()
        digest = known.get((status.st_dev, status.st_ino))
        if digest is not None:
            digests[entry.name] = digest
        else:
            unknown.append(entry)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for entry, digest in zip(unknown, pool.map(_sha256, unknown), strict=True):
            digests[entry.name] = digest
    return {name: digests[name] for name in sorted(digests)}


def verify_files(path: str | os.PathLike[str]) -> None:
    """Check the served generation's files against the checksums its build recorded: any
    damage anywhere (a truncated copy, a bad disk block, a file edited by hand) is found
    before serving, even in parts a probe search would not read. Raises IndexUnavailable."""
    location = IndexLocation(path)
    directory = location.current()
    if directory is None:
        open_index(path)  # raises the missing-index message
        return
    try:
        json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError):
        open_index(path)  # raises the unreadable-manifest message
        return
    verify_generation(directory, location.link)


def verify_generation(directory: Path, link: Path) -> None:
    """Check one generation directory's files against its manifest's checksums; the
    messages name ``link``, the index it belongs to. Raises IndexUnavailable."""
    try:
        recorded = json.loads((directory / MANIFEST).read_text()).get("files")
    except (OSError, ValueError):
        raise IndexUnavailable(
            f"{directory} is not an index built by archive-search (no readable {MANIFEST})"
        ) from None
    if recorded is None:
        return  # built before checksums were recorded
    actual = checksums(directory)
    for name, digest in recorded.items():
        if name not in actual:
            raise IndexUnavailable(
                f"the index at {link} is damaged ({name} is missing); rebuild it"
            )
        if actual[name] != digest:
            raise IndexUnavailable(
                f"the index at {link} is damaged ({name} does not match the checksum "
                "its build recorded); rebuild it"
            )


def open_index(path: str | os.PathLike[str]) -> tuple[FileIndex, IndexInfo]:
    """Open the served index, or raise IndexUnavailable with a sentence saying what to do."""
    location = IndexLocation(path)
    directory = location.current()
    if directory is None:
        raise IndexUnavailable(
            f"there is no index at {location.link}; build one with "
            f"`archive-search build data/ --index {location.link}`"
        )
    manifest_path = directory / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        raise IndexUnavailable(
            f"{location.link} is not an index built by archive-search "
            f"(no readable {MANIFEST}); rebuild it"
        ) from None
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise IndexUnavailable(
            f"the index at {location.link} has schema version {manifest.get('schema_version')}, "
            f"this program needs {SCHEMA_VERSION}; rebuild it"
        )
    try:
        ix = whoosh_index.open_dir(str(directory))
        ix.doc_count()
    except (EmptyIndexError, FileFormatError, OSError, ValueError, EOFError, KeyError) as error:
        raise IndexUnavailable(
            f"the index at {location.link} is damaged ({error}); rebuild it"
        ) from None
    info = IndexInfo(
        directory,
        directory.name,
        int(manifest.get("records", 0)),
        str(manifest.get("built_at", "")),
    )
    return ix, info
