"""Reading content files: text, YAML and Markdown front matter, with line numbers.

Editors get told the line of every mistake, so YAML is parsed in two steps:
compose the node tree (which knows where every key sits in the file), then
construct plain Python values from it. Dates stay strings here; the field
checks parse them so an impossible date gets a message, not a traceback.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import marshal
import multiprocessing as mp
import os
import re
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import __version__
from .errors import BuildFailed, ContentError, Problems
from .readback import read_own_file
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
        return line_of(self.lines, keys)


def digest_of(*parts: str | bytes) -> str:
    """A short hash of ``parts``: equal digests mean equal inputs."""
    try:  # the usual case, all text, hashed in one go
        return hashlib.blake2b("\0".join(parts).encode("utf-8") + b"\0", digest_size=16).hexdigest()
    except TypeError:
        pass  # some parts are bytes
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8") if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()


def read_text(path: Path, problems: Problems) -> str | None:
    """The file's text as UTF-8 with Unix newlines, or None after reporting why not.

    A link (symlink) is refused, never followed: it could publish a file from outside
    the project. Only plain files are read (a device or a pipe may never end), and
    never more than MAX_FILE_BYTES of them, whatever size the file claims to have.
    """
    raw = _read_bytes(path, problems)
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        _report_encoding(path, raw, error.start, problems)
        return None
    if "\0" in text:  # valid UTF-8, but no editor writes it: UTF-16 without its mark, or not text at all
        _report_encoding(path, raw, raw.index(b"\0"), problems)
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        problems.error(
            path, None, "the file is empty",
            "start from an existing file of the same kind, or run `factsite new`",
        )
        return None
    return text


_SAVE_AS_UTF8 = "save it as UTF-8 in your editor (\"Save with encoding\" > UTF-8)"
_OTHER_ENCODINGS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def _read_bytes(path: Path, problems: Problems) -> bytes | None:
    """The bytes of the plain file ``path``, read without following a link; None after reporting why not."""
    try:
        if path.is_symlink():
            report_link(path, problems)
            return None
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        with open(os.open(path, flags), "rb") as file:  # O_NONBLOCK: opening a pipe does not wait for a writer
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                problems.error(path, None, "this is not a file of text (it is a folder, a device or a pipe)",
                               "put a text file here, or move what is here out of content/")
                return None
            size = info.st_size
            raw = file.read(size + 1) if size <= MAX_FILE_BYTES else b""  # a byte more shows a longer file
            if len(raw) > size:  # longer than it says (it grows, or it is in /proc): read on, up to the limit
                raw += file.read(MAX_FILE_BYTES + 1 - len(raw))
            size = max(size, len(raw))
    except OSError as error:
        if error.errno == errno.ELOOP:  # became a link after the check above
            report_link(path, problems)
        else:
            problems.error(path, None, f"cannot read the file: {error.strerror or error}",
                           "check that the file is there and that you may read it")
        return None
    if size > MAX_FILE_BYTES:
        problems.error(
            path, None, f"the file is too large ({size / 1024 / 1024:.1f} MB)",
            f"content files must be at most {MAX_FILE_BYTES // 1024 // 1024} MB; "
            "split it or remove what does not belong",
        )
        return None
    return raw


def _report_encoding(path: Path, raw: bytes, position: int, problems: Problems) -> None:
    """Say that the file is not UTF-8, on the line of the byte at ``position`` (or naming its encoding)."""
    for mark, encoding in _OTHER_ENCODINGS:
        if raw.startswith(mark):
            problems.error(path, 1, f"the file is saved as {encoding}, not UTF-8", _SAVE_AS_UTF8)
            return
    if 0 <= raw.find(b"\0") < position:  # UTF-16 without its mark: every other byte of English text is 0
        position = raw.find(b"\0")
    before = raw[:position].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
    what = "a NUL byte (0x00), as in UTF-16" if raw[position] == 0 else f"the byte 0x{raw[position]:02X}"
    problems.error(path, line, f"the file is not UTF-8 text: {what} at character {column} of this line",
                   _SAVE_AS_UTF8)


def report_link(path: Path, problems: Problems, folder: str = "content/") -> None:
    """Refuse a link (symlink) in the content (or in ``folder``): say where it points and what to do instead."""
    try:
        target = os.readlink(path)
    except OSError:
        target = "somewhere else"
    what = "folder" if path.is_dir() else "file"
    problems.error(
        path, None, f"this {what} is a link (symlink) to {target}; factsite does not follow links in {folder}",
        f"put the {what} itself here instead of a link (a link could publish a file from outside the "
        "project, and Git on Windows checks links out as plain text files)",
    )


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
        problems.error(path, line, f"YAML syntax error: {error.problem}", _yaml_hint(error, text))
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
        if node.tag == _TEXT:
            return node.value
        try:
            return loader.construct_object(node)
        except (ValueError, TypeError, KeyError, AttributeError) as error:  # e.g. `!!int abc`, or 5,000 digits
            raise _BadStructure(line, f'"{node.value[:40]}" cannot be read as {node.tag.rsplit(":", 1)[-1]}',
                                "remove the !! tag, or put the value in quotes") from error
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


def _yaml_hint(error: yaml.MarkedYAMLError, text: str = "") -> str:
    problem = str(error.problem)
    mark = error.problem_mark
    line = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
    if "mapping values are not allowed" in problem:
        return 'a value that contains ": " must be in quotes, e.g. claim: "Macron: 26 countries"'
    if "'\\t'" in problem or "tab" in problem or "\t" in line[: len(line) - len(line.lstrip())]:
        return "indent with spaces, not tabs"
    if "found unexpected end of stream" in problem or "found unknown escape" in problem:
        return "check that every opening quotation mark has its closing one"
    if "expected <block end>" in problem:
        return "check the indentation of this line against the lines above it"
    return "check the quotes and indentation on this line and the one before"


class DocumentCache:
    """What reading each file gave, by path, size and modification time, kept between builds.

    A file unchanged since the last build is not read, parsed or checked again:
    the cache gives back what the reader made of it (``kind.to_plain()``) and
    the warnings it gave. Saved with marshal, which reads plain values several
    times faster than pickle: a big site starts its build from here.

    The file is read back, so it is untrusted (readback.py): it is read only as a
    plain file, and an entry is used only if it has the shape put() gives it and its
    file's size, modification and change times, to the nanosecond, match. The change
    time is set by the system when the file is written on this machine, so an entry
    planted from elsewhere (a checkout, a restored cache) does not match.
    """

    VERSION = 8  # raise when what an entry holds changes shape; older files are then ignored
    RECENT_SHARE = 50  # the recent entries go in a file of their own while they are under 1/50 of all

    def __init__(self, file: Path | None = None):
        self.file = file
        self.entries: dict[tuple[str, str], tuple] = {}
        # Entries put since the file was last written whole. A rebuild after an edit or two
        # saves only these, beside it, rather than every entry again.
        self.recent: dict[tuple[str, str], tuple] = {}
        self.used: set[tuple[str, str]] = set()
        self.changed = False
        self.signatures: dict[str, tuple[int, int, int] | None] = {}  # by path, see listed()
        if file is not None:
            self.entries = self._read(file)
            if self.entries:
                self.recent = self._read(self._recent_file())
                self.entries.update(self.recent)  # each entry checks its own file's size and time

    def _recent_file(self) -> Path:
        return self.file.with_name(self.file.stem + ".recent" + self.file.suffix)

    def _read(self, file: Path) -> dict:
        """The entries saved in ``file``: untrusted (readback.py), so each is checked where it is used."""
        data = read_own_file(file)
        try:
            loaded = marshal.loads(data) if data is not None else None
        except (EOFError, ValueError, TypeError, MemoryError):
            return {}
        if not (type(loaded) is tuple and len(loaded) == 2 and loaded[0] == (self.VERSION, __version__)
                and type(loaded[1]) is dict):
            return {}
        return loaded[1]

    @staticmethod
    def signature(path: Path) -> tuple[int, int, int] | None:
        """Size, modification time and change time: a tool that copies an edited file
        with its old modification time (cp -p, rsync -t) still changes the change time."""
        try:
            stat = path.stat()
        except OSError:
            return None
        return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns

    RACY_NS = 2_000_000_000

    @classmethod
    def settled_signature(cls, path: Path) -> tuple[int, int, int] | None:
        """The signature, if the file was last changed long enough ago to be cached: a
        file saved again within the file system's time step, at the same size, would
        otherwise look unchanged (git calls such entries racy)."""
        return settled(cls.signature(path))

    def listed(self, folder: Path, signatures: dict[str, tuple[int, int, int] | None]) -> None:
        """Take the signatures of the files in ``folder`` from ``signatures``, which
        content_signatures(folder) gave a moment ago, instead of asking the system for
        each file again (12,000 times, at 10,000 claims)."""
        prefix = os.path.join(str(folder), "")
        self.signatures = {prefix + relative.replace("/", os.sep): signature
                           for relative, signature in signatures.items()}

    def get(self, kind, path: Path, problems: Problems):
        """What ``kind.read`` made of the file last time, if it has not changed since."""
        name = str(path)
        key = (kind.__name__, name)
        entry = self.entries.get(key)
        if type(entry) is not tuple or len(entry) != 3:
            return None
        signature = self.signatures[name] if name in self.signatures else self.signature(path)
        # The signature holds the time the file last changed, which only the system sets: an
        # entry made anywhere else, or for another file, does not match.
        if signature is None or entry[0] != signature or not _are_warnings(entry[2]):
            return None
        try:
            result = kind.from_plain(path, entry[1])
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            return None  # written by another version of factsite: read the file again
        self.used.add(key)
        for line, message, hint in entry[2]:
            problems.warning(path, line, message, hint)
        return result

    def put(self, kind, path: Path, signature, result, warnings: list[ContentError], plain=None) -> None:
        """Keep ``result`` (whose ``to_plain()`` is ``plain``, if a worker made it already)."""
        if signature is not None:
            key = (kind.__name__, str(path))
            self.used.add(key)
            self.entries[key] = self.recent[key] = (signature, result.to_plain() if plain is None else plain,
                                                    [(w.line, w.message, w.hint) for w in warnings])
            self.changed = True

    def save(self) -> None:
        """Write the cache, keeping only the files this build read (deleted files drop out)."""
        whole = len(self.used) != len(self.entries)
        if whole:
            self.entries = {key: entry for key, entry in self.entries.items() if key in self.used}
        if self.file is None or not (self.changed or whole):
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        version = (self.VERSION, __version__)
        if not whole and len(self.recent) * self.RECENT_SHARE <= len(self.entries) and self.file.exists():
            write_atomically(self._recent_file(), marshal.dumps((version, self.recent)))
        else:
            write_atomically(self.file, marshal.dumps((version, self.entries)))
            self._recent_file().unlink(missing_ok=True)
            self.recent = {}


def _are_warnings(warnings) -> bool:
    """Whether ``warnings`` are (line, message, hint) each, as put() keeps them."""
    return type(warnings) is list and all(
        type(w) is tuple and len(w) == 3 and (w[0] is None or type(w[0]) is int) and type(w[1]) is str
        and type(w[2]) is str for w in warnings)


def settled(signature: tuple[int, int, int] | None) -> tuple[int, int, int] | None:
    """The signature, or None if the file changed too recently for it to be trusted."""
    if signature is None or time.time_ns() - max(signature[1:]) < DocumentCache.RACY_NS:
        return None
    return signature


def content_signatures(folder: Path) -> dict[str, tuple[int, int, int] | None]:
    """Every file under ``folder``, by its path relative to it, with its settled signature.

    Links are listed, never followed: the build refuses them, so a new one is a change too.
    Hidden files are left out, as the build leaves them (an editor's swap files come and go
    while a file is open); a folder that cannot be read is listed as a change.
    """
    found: dict[str, tuple[int, int, int] | None] = {}
    pending = [(str(folder), "")]
    while pending:
        path, prefix = pending.pop()
        try:
            with os.scandir(path) as scan:
                entries = list(scan)
        except OSError:
            found[prefix] = None  # the build reports it
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, prefix + entry.name + "/"))
            elif not entry.name.startswith("."):
                try:
                    stat = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                found[prefix + entry.name] = settled((stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns))
    return found


def read_many(paths: list[Path], kind, problems: Problems, jobs: int = 1,
              cache: DocumentCache | None = None) -> list:
    """``kind.read(path, problems)`` for every path, on ``jobs`` processes when there are many.

    Files unchanged since ``cache`` saw them are not read again. A file with an
    error is not cached, so it is read again (and its errors reported) every time.
    """
    cache = cache or DocumentCache()
    found = [cache.get(kind, path, problems) for path in paths]  # by position: hashing paths is slow
    missing_at = [index for index, result in enumerate(found) if result is None]
    missing = [paths[index] for index in missing_at]
    signatures = [DocumentCache.settled_signature(path) for path in missing]
    tasks = [(kind, path) for path in missing]
    if jobs <= 1 or len(missing) < PARALLEL_FROM or "fork" not in mp.get_all_start_methods():
        results = [_read_one(task) for task in tasks]
        plains = [None] * len(tasks)
    else:
        # Workers send back the plain values the cache keeps, which cross between
        # processes faster than objects, and a claim's analysis: sent, it costs a tenth
        # of reading it again to render it.
        with mp.get_context("fork").Pool(jobs) as pool:
            sent = pool.map(_read_one_plain, tasks, chunksize=100)
        results = [(None if value is None else _with_body(kind.from_plain(path, value), body), items)
                   for path, (value, body, items) in zip(missing, sent, strict=True)]
        plains = [value for value, _, _ in sent]
    for index, path, signature, (result, items), plain in zip(missing_at, missing, signatures, results, plains,
                                                               strict=True):
        problems.items.extend(items)
        found[index] = result
        if result is not None and not any(item.severity == "error" for item in items):
            cache.put(kind, path, signature, result, items, plain)
    return found


PARALLEL_FROM = 300  # files; fewer are read faster than processes start


def _read_one(task) -> tuple:
    kind, path = task
    problems = Problems()
    return kind.read(path, problems), problems.items


def _read_one_plain(task) -> tuple:
    result, items = _read_one(task)
    return (None if result is None else result.to_plain()), getattr(result, "body", None), items


def _with_body(result, body: str | None):
    if body is not None:
        result.body = body
    return result


def read_body(path: Path, body_line: int, digest: str) -> str:
    """The Markdown body of a file read before, which must not have changed since."""
    problems = Problems()
    text = read_text(path, problems)
    body = "\n".join(text.split("\n")[body_line - 1:]) if text is not None else None
    if body is None or digest_of(body) != digest:
        problems.error(path, None, "the file changed while the site was being built",
                       "build again once the file is saved")
        raise BuildFailed(problems)
    return body


def line_of(lines: dict[tuple, int], keys: tuple) -> int:
    """The line of the deepest of ``keys`` that is in ``lines`` (1 for the file's start)."""
    while keys:
        if keys in lines:
            return lines[keys]
        keys = keys[:-1]
    return 1


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
    return None if text is None else parse_markdown_text(text, path, problems)


def parse_markdown_text(text: str, path: Path, problems: Problems) -> Document | None:
    """The front matter and body of a Markdown file's text.

    ``path`` only names the file in messages: the text may not be on disk (a
    claim as it was in an earlier git commit, say).
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
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
