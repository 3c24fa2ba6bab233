"""Reading content files: text, YAML and Markdown front matter, with line numbers.

Editors get told the line of every mistake, so YAML is parsed in two steps:
compose the node tree (which knows where every key sits in the file), then
construct plain Python values from it. Dates stay strings here; the field
checks parse them so an impossible date gets a message, not a traceback.
"""

from __future__ import annotations

import hashlib
import marshal
import multiprocessing as mp
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import __version__
from .errors import Problems
from .write import write_atomically

MAX_FILE_BYTES = 5 * 1024 * 1024

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that leaves dates as text, so the field checks can explain bad ones."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Document:
    """A parsed content file: its YAML values, where each key is, and its Markdown body."""

    path: Path
    data: dict
    lines: dict[tuple, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    digest: str = ""  # of the fields' text, so a build can tell what changed
    body_digest: str = ""  # of the Markdown body


    def line(self, *keys) -> int:
        """The line of the deepest of ``keys`` that is in the file (1 for the file's start)."""
        while keys:
            if keys in self.lines:
                return self.lines[keys]
            keys = keys[:-1]
        return 1


def digest_of(*parts: str | bytes) -> str:
    """A short hash of ``parts``: equal digests mean equal inputs."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8") if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()


def read_text(path: Path, problems: Problems) -> str | None:
    """The file's text as UTF-8 with Unix newlines, or None after reporting why not."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.error(
                path, None, f"file is too large ({size // 1024 // 1024} MB)",
                f"content files must be under {MAX_FILE_BYTES // 1024 // 1024} MB; "
                "split it or remove what does not belong",
            )
            return None
        raw = path.read_bytes()
    except OSError as error:
        problems.error(path, None, f"cannot read the file: {error.strerror}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        problems.error(
            path, line, "the file is not UTF-8 text",
            "save it as UTF-8 in your editor (\"Save with encoding\" > UTF-8)",
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        problems.error(
            path, None, "the file is empty",
            "start from an existing file of the same kind, or run `factsite new`",
        )
        return None
    return text


def parse_yaml(text: str, path: Path, problems: Problems, first_line: int = 1):
    """Parse YAML into (values, key lines); None after reporting a syntax error."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        lines: dict[tuple, int] = {}
        data = _construct(loader, node, (), lines, first_line - 1, path, problems, set())
    except yaml.MarkedYAMLError as error:
        unclosed = _unclosed_quote_line(text, error)
        if unclosed is not None:
            problems.error(path, unclosed + first_line, "a quotation mark opened on this line is not closed",
                           "end the value with the same quotation mark it starts with")
            return None
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark else first_line
        problems.error(path, line, f"YAML syntax error: {error.problem}", _yaml_hint(error))
        return None
    except _BadStructure as bad:
        problems.error(path, bad.line, bad.message, bad.hint)
        return None
    except yaml.YAMLError as error:
        problems.error(path, first_line, f"YAML error: {error}")
        return None
    finally:
        loader.dispose()
    return data, lines


class _BadStructure(Exception):
    def __init__(self, line: int, message: str, hint: str):
        self.line, self.message, self.hint = line, message, hint


_TEXT = "tag:yaml.org,2002:str"
MAX_DEPTH = 20  # content files nest two or three levels; deeper is a mistake or an attack


def _construct(loader, node, keys, lines, offset, path, problems, seen):
    """The node's value, noting the line of every key and list entry on the way.

    Text, the commonest value, is taken straight from the node; other scalars go
    through PyYAML's safe constructor.
    """
    line = node.start_mark.line + 1 + offset
    # An alias makes the composer reuse a node; refusing reuse also stops
    # "billion laughs" files, which would expand exponentially when constructed.
    if id(node) in seen:
        raise _BadStructure(line, "YAML anchors and aliases (& and *) are not allowed",
                            "write the value out in full each time it is needed")
    if len(keys) > MAX_DEPTH:
        raise _BadStructure(line, "the values are nested too deeply", "check the indentation and brackets")
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _TEXT else loader.construct_object(node)
    if isinstance(node, yaml.MappingNode):
        mapping = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _BadStructure(key_node.start_mark.line + 1 + offset, "a field name must be a plain word",
                                    "write fields as `name: value`")
            key = key_node.value
            here = keys + (key,)
            if here in lines:
                problems.error(
                    path, key_node.start_mark.line + 1 + offset,
                    f'"{key}" is written twice',
                    f"keep one \"{key}:\" line (the first is on line {lines[here]})",
                )
            lines[here] = key_node.start_mark.line + 1 + offset
            mapping[key] = _construct(loader, value_node, here, lines, offset, path, problems, seen)
        return mapping
    items = []
    for index, item in enumerate(node.value):
        lines[keys + (index,)] = item.start_mark.line + 1 + offset
        items.append(_construct(loader, item, keys + (index,), lines, offset, path, problems, seen))
    return items


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[\w-]+:\s+)?(["'])(.*)$""")


def _unclosed_quote_line(text: str, error: yaml.MarkedYAMLError) -> int | None:
    """The 0-based line of a quoted value left open before the error, if there is one.

    YAML lets a quoted value run over several lines, so the parser notices a
    missing closing mark only further down; editors need the line it opened on.
    """
    mark = error.problem_mark or error.context_mark
    last = mark.line if mark else len(text.split("\n"))
    for number, line in enumerate(text.split("\n")[: last + 1]):
        match = _QUOTED_VALUE.match(line)
        if not match:
            continue
        quote, rest = match.groups()
        rest = rest.replace("\\\\", "").replace('\\"', "") if quote == '"' else rest.replace("''", "")
        if quote not in rest:
            return number
    return None


def _yaml_hint(error: yaml.MarkedYAMLError) -> str:
    problem = str(error.problem)
    if "mapping values are not allowed" in problem:
        return 'a value that contains ": " must be in quotes, e.g. claim: "Macron: 26 countries"'
    if "'\\t'" in problem or "tab" in problem:
        return "indent with spaces, not tabs"
    if "found unexpected end of stream" in problem or "found unknown escape" in problem:
        return "check that every opening quotation mark has its closing one"
    if "expected <block end>" in problem:
        return "check the indentation of this line against the lines above it"
    return "check the quotes and indentation on this line and the one before"


class DocumentCache:
    """Parsed files by path, size and modification time, kept between builds.

    Saved with marshal, which reads plain values several times faster than
    pickle: a big site starts its build from here instead of its YAML.
    """

    VERSION = 3

    def __init__(self, file: Path | None = None):
        self.file = file
        self.entries: dict[str, tuple] = {}
        self.used: set[str] = set()
        self.changed = False
        if file is not None:
            try:
                version, entries = marshal.loads(file.read_bytes())
                if version == (self.VERSION, __version__):
                    self.entries = entries
            except (OSError, EOFError, ValueError, TypeError):
                pass

    @staticmethod
    def signature(path: Path) -> tuple[int, int] | None:
        try:
            stat = path.stat()
        except OSError:
            return None
        return stat.st_size, stat.st_mtime_ns

    def get(self, path: Path) -> Document | None:
        entry = self.entries.get(str(path))
        if entry is None or entry[0] != self.signature(path):
            return None
        self.used.add(str(path))
        return Document(path, *entry[1:])

    def put(self, document: Document, signature) -> None:
        if signature is not None:
            self.used.add(str(document.path))
            self.entries[str(document.path)] = (signature, document.data, document.lines, document.body,
                                                document.body_line, document.digest, document.body_digest)
            self.changed = True

    def save(self) -> None:
        """Write the cache, keeping only the files this build read (deleted files drop out)."""
        if len(self.used) != len(self.entries):
            self.entries = {path: entry for path, entry in self.entries.items() if path in self.used}
            self.changed = True
        if self.file is not None and self.changed:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.file, marshal.dumps(((self.VERSION, __version__), self.entries)))


def read_many(paths: list[Path], read, problems: Problems, jobs: int = 1,
              cache: DocumentCache | None = None) -> list[Document | None]:
    """``read(path, problems)`` for every path, on ``jobs`` processes when there are many.

    Files unchanged since ``cache`` saw them are not read again.
    """
    cache = cache or DocumentCache()
    found = {path: cache.get(path) for path in paths}
    missing = [path for path, document in found.items() if document is None]
    signatures = {path: DocumentCache.signature(path) for path in missing}
    if jobs <= 1 or len(missing) < PARALLEL_FROM or "fork" not in mp.get_all_start_methods():
        results = [_read_one((read, path)) for path in missing]
    else:
        with mp.get_context("fork").Pool(jobs) as pool:
            results = pool.map(_read_one, [(read, path) for path in missing], chunksize=100)
    for path, (document, items) in zip(missing, results, strict=True):
        problems.items.extend(items)
        found[path] = document
        if document is not None and not items:
            cache.put(document, signatures[path])
    return [found[path] for path in paths]


PARALLEL_FROM = 300  # files; fewer are read faster than processes start


def _read_one(task) -> tuple[Document | None, list]:
    read, path = task
    problems = Problems()
    return read(path, problems), problems.items


def read_yaml_file(path: Path, problems: Problems) -> Document | None:
    text = read_text(path, problems)
    if text is None:
        return None
    parsed = parse_yaml(text, path, problems)
    if parsed is None:
        return None
    data, lines = parsed
    if not isinstance(data, dict):
        problems.error(path, 1, "expected fields written as `name: value`, one per line")
        return None
    return Document(path, data, lines, digest=digest_of(text))


def read_markdown_file(path: Path, problems: Problems) -> Document | None:
    """A Markdown file with YAML front matter between two `---` lines."""
    text = read_text(path, problems)
    if text is None:
        return None
    lines = text.split("\n")
    if lines[0].strip() != "---":
        problems.error(
            path, 1, "the file does not start with front matter",
            "begin the file with a line `---`, the fields, and another line `---`",
        )
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        problems.error(
            path, 1, "the front matter that starts here is not closed",
            "add a line `---` after the last field, before the analysis",
        )
        return None
    front_matter = "\n".join(lines[1:end])
    parsed = parse_yaml(front_matter, path, problems, first_line=2)
    if parsed is None:
        return None
    data, key_lines = parsed
    if not isinstance(data, dict):
        problems.error(path, 2, "expected fields written as `name: value`, one per line")
        return None
    body = "\n".join(lines[end + 1:])
    return Document(path, data, key_lines, body, end + 2, digest_of(front_matter), digest_of(body))
