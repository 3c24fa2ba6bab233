"""Reading the sources: content/sources/<name>.yml, each with its archived copy <name>.txt if it has one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ..digest import digest_of
from ..errors import Problems
from .fields import check_fields, is_web_address
from .plain_values import plain_values, values_from_plain
from ..model.site import Source
from .listing import content_files
from .parallel import read_many
from .parse import read_yaml_file
from .filecache import DocumentCache, settled_or_new
from .reuse import Reuse
from .text import read_text
from .schema import SOURCE_FIELDS


@dataclass(eq=False)
class SourceFile:
    """What one source file says, checked on its own; cached like :class:`ClaimFile`. A
    person's file (people.py) is read the same way, with fields of its own."""

    FIELDS: ClassVar[dict] = SOURCE_FIELDS
    ADDRESSES: ClassVar[tuple[str, ...]] = ("url", "archive_url")  # fields that hold a web address

    path: Path
    values: dict
    digest: str

    @classmethod
    def read(cls, path: Path, problems: Problems) -> "SourceFile | None":
        doc = read_yaml_file(path, problems)
        if doc is None:
            return None
        values = check_fields(doc, cls.FIELDS, problems)
        for name in cls.ADDRESSES:
            if values[name] and not is_web_address(values[name]):
                problems.error(path, doc.line(name), f'"{name}" must start with https:// or http://',
                               f"write the full address, e.g. {name}: {cls.FIELDS[name].example}")
                values[name] = None
        return cls(path, values, doc.digest)

    def to_plain(self) -> tuple:
        return plain_values(self.values, self.FIELDS), self.digest

    @classmethod
    def from_plain(cls, path: Path, plain: tuple) -> "SourceFile":
        values, digest = plain  # read back: untrusted (filecache.py)
        if type(digest) is not str:
            raise TypeError("a cache entry of another shape")
        return cls(path, values_from_plain(values, cls.FIELDS), digest)


def load_sources(folder: Path, problems: Problems, jobs: int = 1,
                 cache: DocumentCache | None = None, reuse: Reuse | None = None) -> list[Source]:
    """Every source; ``reuse`` gives again each source whose file and copy are unchanged (reuse.py)."""
    reuse = reuse or Reuse()
    sources = []
    paths = content_files(folder, "*.yml", problems, reuse=reuse)
    for path, file in zip(paths, read_many(paths, SourceFile, problems, jobs, cache), strict=True):
        if file is None:
            continue
        copy_signature = settled_or_new(DocumentCache.signature(path.with_suffix(".txt")))
        sources.append(reuse.made(("source", str(path)), (file, copy_signature),
                                  lambda found: source_from(file, found), problems))  # noqa: B023 - called at once
    return sources


def source_from(file: SourceFile, problems: Problems) -> Source:
    """The source, with the archived copy kept beside its file, if there is one."""
    copy = file.path.with_suffix(".txt")
    archived_text = read_text(copy, problems) if copy.exists() else None
    return Source(id=file.path.stem, path=file.path, archived_text=archived_text,
                  digest=digest_of(file.digest, archived_text or ""), **file.values)
