"""Where a bulk load's files come from: paths, folders, globs, zip archives and JSONL manifests.

Everything here only reads. ``iter_sources(paths)`` yields one ``SourceFile`` per file to ingest,
or per input that could not be read at all (a missing path, a corrupt archive, an unsafe archive
entry, a malformed manifest line) with its ``error`` set, so one bad input never stops a batch.
Archive members are read in memory and never extracted to disk.
"""

from __future__ import annotations

import datetime as dt
import functools
import glob
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from reports.errors import (
    ArchiveTooLargeError,
    CompressionRatioError,
    CorruptArchiveError,
    DomainError,
    FileTooLargeError,
    ManifestLineError,
    MissingFileError,
    TooManyFilesError,
    UnsafeArchivePathError,
    UnsafePathError,
)
from reports.models import METADATA_FIELDS, PARSED_METADATA_FIELDS, AdminLevel
from reports.parsing.extract import SUPPORTED_EXTENSIONS

ARCHIVE_EXTENSION = ".zip"
MANIFEST_EXTENSION = ".jsonl"
# Metadata a manifest line (or an upload) may give; it overrides what the parser finds.
METADATA_KEYS = PARSED_METADATA_FIELDS
MANIFEST_KEYS = frozenset({"path", *METADATA_FIELDS})
ADMIN_LEVELS = frozenset(AdminLevel.values)


@dataclass(frozen=True)
class ArchiveLimits:
    """What an archive may expand to: all members' bytes together, one member's size over its
    compressed size, and (for an upload) how many members it may have; and where a folder's
    symlinks and a manifest's paths may lead besides their own folder (``allowed_roots``)."""

    max_expanded_bytes: int
    max_ratio: float
    max_members: int | None = None
    allowed_roots: tuple[Path, ...] = ()


@dataclass(frozen=True)
class SourceFile:
    """One file to ingest, or one input that failed before any file could be read."""

    name: str
    read: Callable[[int], bytes] | None = None  # read(max_bytes) → data, or FileTooLargeError
    metadata: dict[str, Any] = field(default_factory=dict)
    source_url: str = ""
    error: DomainError | None = None


def iter_sources(
    paths: list[str], manifests: Iterable[str] = (), *, limits: ArchiveLimits
) -> Iterator[SourceFile]:
    """Every file named by ``paths`` (files, folders, globs, .zip archives, .jsonl manifests)
    and by the ``manifests`` (read as JSONL manifests whatever their names)."""
    for raw in paths:
        for path, root in _expand(raw):
            if path is None:
                yield SourceFile(name=raw, error=MissingFileError(f"{raw}: no such file or folder"))
            elif root is not None and not confined(path, root, limits.allowed_roots):
                error = UnsafePathError(
                    f"{path} leads outside {root} (to {path.resolve()}); refused", path=str(path)
                )
                yield SourceFile(name=str(path), error=error)
            else:
                yield from _sources_of(path, display=str(path), limits=limits)
    for raw in manifests:
        if Path(raw).is_file():
            yield from _manifest_sources(Path(raw), limits=limits)
        else:
            yield SourceFile(name=raw, error=MissingFileError(f"{raw}: no such manifest"))


def count_sources(paths: list[str], manifests: Iterable[str] = ()) -> int:
    """How many outcomes ``iter_sources`` will roughly produce (for a progress bar)."""
    total = sum(_manifest_size(Path(m)) if Path(m).is_file() else 1 for m in manifests)
    for raw in paths:
        for path, _ in _expand(raw):
            if path is not None and path.suffix.lower() == ARCHIVE_EXTENSION:
                total += _archive_size(path)
            elif path is not None and path.suffix.lower() == MANIFEST_EXTENSION:
                total += _manifest_size(path)
            else:
                total += 1
    return total


def _expand(raw: str) -> Iterator[tuple[Path | None, Path | None]]:
    """``(file, the folder it must stay in)`` for each file ``raw`` names: a folder's files must
    stay in it; a file or glob the caller named is read where it is."""
    path = Path(raw)
    if path.is_dir():
        for found in _folder_files(path):
            yield found, path
    elif path.is_file():
        yield path, None
    elif any(ch in raw for ch in "*?["):
        matches = sorted(glob.glob(raw, recursive=True))
        files = [Path(m) for m in matches if Path(m).is_file()]
        if not files:
            yield None, None
        for found in files:
            yield found, None
    else:
        yield None, None


def confined(path: Path, root: Path, allowed_roots: Iterable[Path] = ()) -> bool:
    """Whether ``path``, symlinks followed, is inside ``root`` or one of ``allowed_roots``."""
    target = path.resolve()
    return any(target.is_relative_to(r.resolve()) for r in (root, *allowed_roots))


def _folder_files(folder: Path) -> Iterator[Path]:
    """Supported files and archives under ``folder``, recursively, hidden ones left out."""
    wanted = SUPPORTED_EXTENSIONS | {ARCHIVE_EXTENSION}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative):
            continue
        if path.is_file() and path.suffix.lower() in wanted:
            yield path


def _sources_of(
    path: Path,
    *,
    display: str,
    limits: ArchiveLimits,
    metadata: dict[str, Any] | None = None,
    source_url: str = "",
) -> Iterator[SourceFile]:
    suffix = path.suffix.lower()
    if suffix == ARCHIVE_EXTENSION:
        yield from _archive_sources(path, display=display, metadata=metadata or {}, limits=limits)
    elif suffix == MANIFEST_EXTENSION and metadata is None:
        yield from _manifest_sources(path, limits=limits)
    else:
        yield SourceFile(
            name=display,
            read=lambda limit: _read_file(path, limit),
            metadata=metadata or {},
            source_url=source_url,
        )


def _read_file(path: Path, limit: int) -> bytes:
    size = path.stat().st_size
    if size > limit:
        raise FileTooLargeError(
            f"{path.name} is {size} bytes, over the limit of {limit}", size=size, limit=limit
        )
    return path.read_bytes()


# --- zip archives ----------------------------------------------------------------------------


def archive_members(
    archive: zipfile.ZipFile,
    *,
    display: str,
    limits: ArchiveLimits,
    metadata: dict[str, Any] | None = None,
) -> Iterator[SourceFile]:
    """The files of an open archive, read in memory; unsafe names are refused.

    An archive past ``limits`` (members, expanded bytes) is one failed source and none of its
    members is read; a member compressed past the ratio is refused on its own. The sizes checked
    are the ones the archive declares, and zipfile never reads a member past its declared size.
    Hidden entries and macOS resource forks (``__MACOSX/``, ``._name``) are not files of the load.
    """
    members = [i for i in archive.infolist() if not i.is_dir() and not _hidden_member(i.filename)]
    problem = archive_limit_error(members, display=display, limits=limits)
    if problem is not None:
        yield SourceFile(name=display, error=problem)
        return
    for info in members:
        name = f"{display}!{info.filename}"
        error = _member_error(info, limits)
        if error is not None:
            yield SourceFile(name=name, error=error)
            continue
        yield SourceFile(
            name=name,
            read=functools.partial(_read_member, archive, info),
            metadata=dict(metadata or {}),
        )


def archive_limit_error(
    members: list[zipfile.ZipInfo], *, display: str, limits: ArchiveLimits
) -> DomainError | None:
    """Why the archive is refused as a whole (too many members, too large expanded), or None."""
    if limits.max_members is not None and len(members) > limits.max_members:
        return TooManyFilesError(
            f"{display} holds {len(members)} files; this upload may hold {limits.max_members} more",
            files=len(members),
            limit=limits.max_members,
        )
    expanded = sum(info.file_size for info in members)
    if expanded > limits.max_expanded_bytes:
        return ArchiveTooLargeError(
            f"{display} expands to {expanded} bytes, over the limit of {limits.max_expanded_bytes}",
            size=expanded,
            limit=limits.max_expanded_bytes,
        )
    return None


def _member_error(info: zipfile.ZipInfo, limits: ArchiveLimits) -> DomainError | None:
    problem = unsafe_member_problem(info.filename)
    if problem:
        return UnsafeArchivePathError(f"{info.filename}: {problem}; refused")
    ratio = info.file_size / max(info.compress_size, 1)
    if ratio > limits.max_ratio:
        return CompressionRatioError(
            f"{info.filename} expands {ratio:.0f} times its compressed size, over the limit of "
            f"{limits.max_ratio:g}",
            ratio=round(ratio),
            limit=limits.max_ratio,
        )
    return None


def _hidden_member(member: str) -> bool:
    parts = PurePosixPath(member.replace("\\", "/")).parts
    return any(part.startswith(".") and part not in (".", "..") for part in parts) or (
        "__MACOSX" in parts
    )


def unsafe_member_problem(member: str) -> str | None:
    """Why an archive member's name is unsafe to use (absolute, or climbing out), or None."""
    name = member.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "absolute path in archive"
    if ".." in PurePosixPath(name).parts:
        return "path climbs out of the archive (..)"
    return None


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise FileTooLargeError(
            f"{info.filename} is {info.file_size} bytes, over the limit of {limit}",
            size=info.file_size,
            limit=limit,
        )
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as exc:
        raise CorruptArchiveError(f"{info.filename}: unreadable archive member ({exc})") from exc
    if len(data) > limit:
        raise FileTooLargeError(f"{info.filename} is over the limit of {limit} bytes", limit=limit)
    return data


def _archive_sources(
    path: Path, *, display: str, metadata: dict[str, Any], limits: ArchiveLimits
) -> Iterator[SourceFile]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        yield SourceFile(name=display, error=CorruptArchiveError(f"{path.name}: {exc}"))
        return
    with archive:
        yield from archive_members(archive, display=display, metadata=metadata, limits=limits)


def _archive_size(path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(1 for info in archive.infolist() if not info.is_dir()) or 1
    except (zipfile.BadZipFile, OSError):
        return 1


# --- JSONL manifests -------------------------------------------------------------------------


def _manifest_sources(manifest: Path, *, limits: ArchiveLimits) -> Iterator[SourceFile]:
    """One source per line: ``{"path": relative to the manifest, …metadata}``."""
    with manifest.open(encoding="utf-8-sig") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{manifest.name}:{number}"
            try:
                entry = manifest_entry(line, number=number)
            except ManifestLineError as exc:
                yield SourceFile(name=where, error=exc)
                continue
            named = manifest.parent / entry.pop("path")
            target = named.resolve()
            source_url = entry.pop("source_url", "")
            if not confined(named, manifest.parent, limits.allowed_roots):
                error = UnsafePathError(
                    f"line {number}: {target} is outside the manifest's folder "
                    f"{manifest.parent.resolve()}; refused (--allow-outside names other roots)",
                    line=number,
                )
                yield SourceFile(name=where, error=error)
                continue
            if not target.is_file():
                yield SourceFile(
                    name=str(target),
                    error=MissingFileError(f"line {number}: {target} does not exist", line=number),
                )
                continue
            yield from _sources_of(
                target, display=str(target), metadata=entry, source_url=source_url, limits=limits
            )


def _manifest_size(path: Path) -> int:
    try:
        with path.open(encoding="utf-8-sig") as lines:
            return sum(1 for line in lines if line.strip())
    except (OSError, UnicodeDecodeError):
        return 1


def manifest_entry(line: str, *, number: int) -> dict[str, Any]:
    """A manifest line as a checked dict (``path`` plus metadata), or ``ManifestLineError``."""
    try:
        entry = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ManifestLineError(f"line {number}: not valid JSON ({exc.msg})", line=number) from exc
    if not isinstance(entry, dict):
        raise ManifestLineError(f"line {number}: expected a JSON object", line=number)
    if not isinstance(entry.get("path"), str) or not entry["path"].strip():
        raise ManifestLineError(f'line {number}: "path" (a string) is required', line=number)
    unknown = sorted(set(entry) - MANIFEST_KEYS)
    if unknown:
        raise ManifestLineError(f"line {number}: unknown fields {unknown}", line=number)
    try:
        metadata = metadata_checked({k: v for k, v in entry.items() if k in METADATA_KEYS})
    except ValueError as exc:
        raise ManifestLineError(f"line {number}: {exc}", line=number) from exc
    source_url = entry.get("source_url") or ""
    if not isinstance(source_url, str):
        raise ManifestLineError(f"line {number}: source_url must be a string", line=number)
    return {"path": entry["path"], "source_url": source_url, **metadata}


def metadata_checked(metadata: dict[str, Any]) -> dict[str, Any]:
    """Metadata overrides with checked, JSON-ready values; ``ValueError`` names the bad field."""
    checked: dict[str, Any] = {}
    for key, value in metadata.items():
        if key not in METADATA_KEYS:
            raise ValueError(f"{key} is not a metadata field")
        if value is None or value == "":
            continue
        if key == "report_year":
            checked[key] = _year(value)
        elif key == "published_on":
            checked[key] = _date(value)
        elif key == "admin_level":
            if value not in ADMIN_LEVELS:
                raise ValueError(f"admin_level must be one of {sorted(ADMIN_LEVELS)}")
            checked[key] = value
        elif isinstance(value, str):
            checked[key] = value.strip()
        else:
            raise ValueError(f"{key} must be a string")
    return checked


def _year(value: Any) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"report_year must be a year, not {value!r}") from exc
    if not 1990 <= year <= 2100:
        raise ValueError(f"report_year {year} is out of range")
    return year


def _date(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError as exc:
        raise ValueError(f"published_on must be an ISO date, not {value!r}") from exc
