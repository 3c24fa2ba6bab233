"""Malformed files: whatever bytes a content file holds, the build answers with a clean list of
mistakes (each a ContentError naming the file) or a correct model, never another exception.

Property-based (Hypothesis) tests feed generated input to the reader (read_text,
read_markdown_file, read_yaml_file), to the field checks (check_fields) and to a whole
build of a one-claim site. They are deterministic (derandomize=True, no example
database), so CI sees the same examples on every run.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
import shutil
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml

from factsite.read.addresses import WITHDRAWAL_FIELDS, WITHDRAWN_FIELDS
from factsite.engine import Project, read_site
from factsite.commands.build import build
from factsite.read.config import SITE_FIELDS, TOPIC_FIELDS, VERDICT_FIELDS
from factsite.errors import BuildFailed, ContentError, Problems
from factsite.read.fields import check_fields
from factsite.read.parse import Document, read_markdown_file, read_yaml_file
from factsite.read.schema import CLAIM_FIELDS, CORRECTION_FIELDS, PAGE_FIELDS, SOURCE_FIELDS
from factsite.read.text import MAX_FILE_BYTES, read_text

from .conftest import FIXTURES, REPO, contents_of, write

try:
    from hypothesis import HealthCheck, event, example, given, settings, strategies as st
except ImportError:  # as tests/tools.py does: skip on a developer's machine, fail in CI
    if os.environ.get("CI"):
        raise
    pytest.skip("Hypothesis is not installed; install it with: python -m pip install -e '.[test]'",
                allow_module_level=True)

PROPERTY = settings(deadline=None, derandomize=True, database=None, max_examples=150,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
BASIC = FIXTURES / "basic" / "content"
BUDGET = (BASIC / "claims/budget-doubled.md").read_text("utf-8")
SITE_YML = (BASIC / "site.yml").read_text("utf-8")
# Everything YAML (and so the line numbers of its errors) counts as a line break.
LINE_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


# What every answer must look like ------------------------------------------------

def lines_in(raw: bytes) -> int:
    return len(LINE_BREAKS.findall(raw.decode("utf-8", "replace"))) + 1


def assert_clean_answer(document, problems: Problems, path: Path, raw: bytes) -> None:
    """Either a document and no errors, or no document and errors naming ``path`` and a real line."""
    for problem in problems.items:
        assert isinstance(problem, ContentError)
        assert problem.path == path
        assert problem.message and problem.message.strip() == problem.message
        assert problem.line is None or 1 <= problem.line <= lines_in(raw) + 1, (problem.line, str(problem))
    if document is None:
        assert problems.errors, "a file was refused without saying why"
    else:
        assert isinstance(document, Document) and document.path == path
        assert isinstance(document.data, dict) and all(isinstance(key, str) for key in document.data)
        assert problems.items == [] or not problems.errors


def read(reader, path: Path, raw: bytes):
    path.write_bytes(raw)
    problems = Problems()
    document = reader(path, problems)
    assert_clean_answer(document, problems, path, raw)
    return document, problems


@pytest.fixture
def file(tmp_path) -> Path:
    return tmp_path / "claim.md"


# Arbitrary input to the reader ---------------------------------------------------

@PROPERTY
@given(raw=st.one_of(st.binary(max_size=3000),
                     st.binary(max_size=3000).map(lambda b: b"---\n" + b + b"\n---\nbody\n"),
                     st.binary(max_size=3000).map(lambda b: codecs.BOM_UTF8 + b"---\n" + b)))
@example(raw=b"\xff\xfe-\x00-\x00-\x00")
@example(raw=b"---\n\x00\n---\n")
def test_any_bytes_get_a_document_or_a_clean_error(file, raw):
    read(read_markdown_file, file, raw)
    read(read_yaml_file, file.with_suffix(".yml"), raw)


@PROPERTY
@given(text=st.text(max_size=2000))
def test_any_text_gets_a_document_or_a_clean_error(file, text):
    raw = text.encode("utf-8", "surrogatepass")
    read(read_yaml_file, file.with_suffix(".yml"), raw)
    read(read_markdown_file, file, b"---\n" + raw + b"\n---\n")


YAML_PIECES = [
    "title", "claim", "sources", "source", "verdict", "topics", "related", "corrections", "date", "note", "draft",
    ":", ": ", "- ", "-", "[", "]", "{", "}", ",", "'", '"', "\\", "#", "|", ">", "? ", "!", "!!", "!!str ",
    "!!binary ", "!!timestamp ", "!!python/object:os.system ", "!!set ", "!!omap ", "&a ", "*a", "<<: ", "%YAML 1.2",
    "---", "...", "\n", "\r\n", "\r", "\t", "  ", "    ", "\ufeff", "\u2028", "\x85", "\x00", "\x07", "\x1b",
    "2025-02-30", "2025-09-10", "yes", "no", "on", "~", "null", ".nan", ".inf", "0x1F", "1e999", "-0",
    "12345678901234567890123", "TODO", "é", "😀", "\ud800", "\\u0000", "\\x00", '"\\', "''",
]
yamlish = st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=8), max_size=60).map("".join)


@PROPERTY
@given(front_matter=yamlish, body=st.text(max_size=200))
@example(front_matter="a: &a [*a]", body="")
@example(front_matter="a: !!binary AAAA\nb: !!timestamp 2025-01-01", body="")
@example(front_matter="sources:\n\t- source: x", body="")
def test_yaml_like_text_gets_a_document_or_a_clean_error(file, front_matter, body):
    raw = ("---\n" + front_matter + "\n---\n" + body).encode("utf-8", "surrogatepass")
    read(read_markdown_file, file, raw)
    read(read_yaml_file, file.with_suffix(".yml"), front_matter.encode("utf-8", "surrogatepass"))


# Values of the wrong type to the field checks ----------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10 ** 30), st.floats(), st.text(max_size=30),
    st.binary(max_size=8), st.dates(), st.datetimes(),
    st.sampled_from(["", " ", "2025-02-30", "2025-9-1", "yes", "TODO", "con", "../x", "#1a7f37", "\x00", "é"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)
SCHEMAS = {"claim": CLAIM_FIELDS, "source": SOURCE_FIELDS, "page": PAGE_FIELDS, "site": SITE_FIELDS,
           "verdict": VERDICT_FIELDS, "topic": TOPIC_FIELDS, "correction": CORRECTION_FIELDS,
           "withdrawn": WITHDRAWN_FIELDS, "withdrawal": WITHDRAWAL_FIELDS}
EXPECTED = {"text": str, "slug": str, "date": dt.date, "bool": bool, "int": int}


def fields_for(schema: dict):
    names = st.sampled_from(sorted(schema)) | st.text(max_size=12)
    return st.dictionaries(names, values, max_size=len(schema) + 2)


def assert_converted(result: dict, schema: dict) -> None:
    assert set(result) == set(schema)
    for name, spec in schema.items():
        value = result[name]
        if spec.kind in ("list", "records"):
            assert isinstance(value, list)
            if spec.kind == "list":
                assert all(isinstance(item, str) for item in value)
            else:
                for index, entry in value:
                    assert isinstance(index, int)
                    assert_converted(entry, spec.fields)
        elif spec.kind == "record":
            assert value is None or isinstance(value, dict) and set(value) == set(spec.fields)
        else:
            expected = EXPECTED[spec.kind]
            assert value is None or isinstance(value, expected) and not (expected is int and isinstance(value, bool))
            if spec.choices and value is not None:
                assert value in spec.choices


@PROPERTY
@given(kind=st.sampled_from(sorted(SCHEMAS)), data=st.data())
def test_field_values_of_any_type_are_converted_or_reported(tmp_path, kind, data):
    schema = SCHEMAS[kind]
    fields = data.draw(fields_for(schema))
    path = tmp_path / "file.md"
    problems = Problems()
    result = check_fields(Document(path, fields, {(name,): 2 for name in fields}), schema, problems)
    assert_converted(result, schema)
    for problem in problems.items:
        assert isinstance(problem, ContentError) and problem.path == path and problem.message and problem.hint
    for name, spec in schema.items():
        if spec.required and result[name] in (None, [], ""):
            assert any(f'"{name}"' in p.message for p in problems.errors), f"{name} left empty without a word"


# A whole build of a one-claim site -----------------------------------------------------

CLAIM = yaml.safe_load(BUDGET.split("---\n")[1])
CLAIM.update(appeared_in="council-data", related=[], sources=[{"source": "council-data", "stance": "contradicts",
                                                            "quote": "Total spending 2025 15.0m"}])


@pytest.fixture
def one_claim_site(tmp_path) -> Project:
    content = tmp_path / "content"
    write(content / "site.yml", SITE_YML)
    (content / "sources").mkdir()
    shutil.copy(BASIC / "sources/council-data.yml", content / "sources/council-data.yml")
    shutil.copytree(BASIC / "people", content / "people")  # whom the claim's byline names
    return Project(content, REPO / "templates", REPO / "static")


def dump(fields: dict) -> str:
    return yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1000)


@settings(PROPERTY, max_examples=100)
@given(changes=st.dictionaries(st.sampled_from(sorted(CLAIM_FIELDS)) | st.text(max_size=10),
                               values | st.just(None) | st.just("<<delete>>"), max_size=4),
       body=st.text(max_size=300), line_end=st.sampled_from(["\n", "\r\n", "\r"]), bom=st.booleans())
@example(changes={"title": "\x07bell", "summary": "a\x00b"}, body="", line_end="\n", bom=False)
@example(changes={"claimant": "Con", "title": "../../escape"}, body="\x00\x1b[31m", line_end="\r", bom=True)
def test_a_whole_build_of_a_one_claim_site_fails_cleanly_or_succeeds(one_claim_site, tmp_path, changes, body,
                                                                       line_end, bom):
    fields = {**CLAIM}
    for name, value in changes.items():
        if value == "<<delete>>":
            fields.pop(name, None)
        else:
            fields[name] = value
    text = "---\n" + dump(fields) + "---\n" + body
    raw = (codecs.BOM_UTF8 if bom else b"") + text.replace("\n", line_end).encode("utf-8", "surrogatepass")
    path = one_claim_site.content_dir / "claims/the-claim.md"
    write(path, "")
    path.write_bytes(raw)
    out = tmp_path / "site"
    shutil.rmtree(out, ignore_errors=True)
    try:
        build(one_claim_site, out, cards=False, search=False, use_cache=False)
    except BuildFailed as failure:
        event("refused with a list of mistakes")
        assert failure.problems.errors
        for problem in failure.problems.items:
            assert isinstance(problem, ContentError) and problem.message
            assert problem.path in (path, one_claim_site.content_dir / "sources/council-data.yml")
        assert not out.exists()
    else:
        event("built")
        page = (out / "claims/the-claim/index.html").read_bytes()
        assert page.lower().startswith(b"<!doctype html>") and page.rstrip().endswith(b"</html>")
        assert [claim["url"] for claim in json.loads((out / "claims.json").read_text("utf-8"))["dataFeedElement"]] == \
               ["https://example.org/claims/the-claim/"]


@settings(PROPERTY, max_examples=100)
@given(records=st.lists(st.dictionaries(st.sampled_from(sorted(WITHDRAWAL_FIELDS)) | st.text(max_size=10),
                                        values | st.sampled_from(["budget-doubled", "spending-doubled", "false",
                                                                  "2025-06-01", "rain-record"]), max_size=7),
                        max_size=3) | values)
@example(records=[{"claim": "budget-doubled", "title": "B", "date": "2025-06-01", "verdict": "false", "note": "N",
                   "aliases": ["spending-doubled", "budget-doubled", "../x"]}])
def test_any_withdrawn_yml_is_accepted_or_refused_cleanly(one_claim_site, tmp_path, records):
    """content/withdrawn.yml with anything in it: a site, or errors that name it, each on a line."""
    path = one_claim_site.content_dir / "withdrawn.yml"
    write(path, dump({"withdrawn": records}))
    write(one_claim_site.content_dir / "claims/the-claim.md", "---\n" + dump({**CLAIM, "aliases": ["spending-doubled"]})
          + "---\nBody.\n")
    out = tmp_path / "site"
    shutil.rmtree(out, ignore_errors=True)
    try:
        build(one_claim_site, out, cards=False, search=False, use_cache=False)
    except BuildFailed as failure:
        event("refused")
        assert failure.problems.errors
        for problem in failure.problems.errors:
            assert isinstance(problem, ContentError) and problem.path == path and problem.line and problem.hint
        assert not out.exists()
    else:
        event("built")
        assert (out / "claims/the-claim/index.html").is_file()


# Line endings and the byte-order mark -----------------------------------------------

def with_line_ends(text: str, ends: list[str]) -> str:
    """``text`` with its n-th line ending replaced by ``ends[n % len(ends)]`` (a CR that an empty line's
    LF would follow is written CR LF, as that pair is one line ending)."""
    pieces = text.split("\n")
    chosen = [ends[index % len(ends)] for index in range(len(pieces) - 1)]
    for index in range(len(chosen) - 1):
        if chosen[index] == "\r" and pieces[index + 1] == "" and chosen[index + 1].startswith("\n"):
            chosen[index] = "\r\n"
    return "".join(piece + end for piece, end in zip(pieces, chosen)) + pieces[-1]


line_ends = st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=1, max_size=12)


@PROPERTY
@given(ends=line_ends, bom=st.booleans(), name=st.sampled_from(["claims/budget-doubled.md", "claims/rain-record.md",
                                                                 "pages/methodology.md", "sources/city-paper.yml",
                                                                 "site.yml"]))
def test_crlf_cr_mixed_line_ends_and_a_bom_read_the_same_as_plain_lf(tmp_path, ends, bom, name):
    reader = read_yaml_file if name.endswith(".yml") else read_markdown_file
    text = (BASIC / name).read_text("utf-8")
    plain, _ = read(reader, tmp_path / "plain", text.encode())
    other, _ = read(reader, tmp_path / "other",
                    (codecs.BOM_UTF8 if bom else b"") + with_line_ends(text, ends).encode())
    assert (other.data, other.lines, other.body, other.body_line, other.digest, other.body_digest) == \
           (plain.data, plain.lines, plain.body, plain.body_line, plain.digest, plain.body_digest)


BROKEN = [  # (what to replace in budget-doubled.md, with what, the line of the error)
    ("claim: The budget has doubled since 2020.", "claim: Mayor: the budget doubled", 3),
    ('verdict: "false"', 'verdict: "false', 8),
    ("  - source: council-data", "  -source: council-data\n   x", 18),
    ("published: 2025-03-05", "published: 2025-02-30", 21),
    ("related: [rain-record]", "related: [rain-record]\nrelated: []", 27),
    ("related: [rain-record]", "related: [rain-record]\nunknown_field: 1", 27),
]


@PROPERTY
@given(case=st.sampled_from(BROKEN), ends=line_ends, bom=st.booleans())
def test_errors_name_the_same_line_whatever_the_line_ends(project, case, ends, bom):
    old, new, line = case
    path = project.content_dir / "claims/budget-doubled.md"
    assert BUDGET.count(old) == 1
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + with_line_ends(BUDGET.replace(old, new), ends).encode())
    with pytest.raises(BuildFailed) as failure:
        read_site(project)
    assert [(e.path, e.line) for e in failure.value.problems.errors] == [(path, line)]


def test_a_claim_saved_with_bom_and_crlf_builds_the_same_site(project, tmp_path):
    build(project, tmp_path / "plain", cards=False, search=False, use_cache=False)
    for path in project.content_dir.rglob("*.*"):
        if path.suffix in (".md", ".yml", ".txt"):
            path.write_bytes(codecs.BOM_UTF8 + path.read_text("utf-8").replace("\n", "\r\n").encode())
    build(project, tmp_path / "windows", cards=False, search=False, use_cache=False)
    assert contents_of(tmp_path / "windows") == contents_of(tmp_path / "plain")


# Tabs -------------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, line", [
    pytest.param("  - source: council-data", "\t- source: council-data", 18, id="list-entry"),
    pytest.param("    stance: supports", "\tstance: supports", 14, id="entry-field"),
    pytest.param("    stance: supports", "  \t  stance: supports", 14, id="spaces-and-a-tab"),
    pytest.param("title: Budget doubled", "\ttitle: Budget doubled", 2, id="top-level-field"),
    pytest.param("topics: [budget]", "topics:\n\t- budget", 11, id="block-list"),
    pytest.param("summary: Spending", "summary: >\n\tSpending", 10, id="folded-text"),
])
def test_tab_used_for_indentation_is_a_clear_error_on_its_line(project, old, new, line):
    path = project.content_dir / "claims/budget-doubled.md"
    assert BUDGET.count(old) == 1
    path.write_text(BUDGET.replace(old, new), "utf-8")
    with pytest.raises(BuildFailed) as failure:
        read_site(project)
    errors = failure.value.problems.errors
    assert [(e.path, e.line) for e in errors] == [(path, line)], "\n".join(map(str, errors))
    assert "tabs" in errors[0].hint


def test_a_tab_inside_a_value_is_kept(project):
    path = project.content_dir / "claims/budget-doubled.md"
    path.write_text(BUDGET.replace("title: Budget doubled", "title: Budget\tdoubled"), "utf-8")
    site, _ = read_site(project)
    assert {c.slug: c.title for c in site.claims}["budget-doubled"] == "Budget\tdoubled"


# Encodings -------------------------------------------------------------------------------

@PROPERTY
@given(line=st.integers(min_value=1, max_value=BUDGET.count("\n")), where=st.floats(min_value=0, max_value=1),
       bad=st.sampled_from([b"\xe9", b"\xfc", b"\x80", b"\xff", b"\xc3", b"\xe2\x80", b"\xa0"]),
       ends=line_ends)
def test_a_byte_that_is_not_utf8_is_reported_on_its_line(project, line, where, bad, ends):
    lines = with_line_ends(BUDGET, ends).encode().splitlines(keepends=True)
    text = lines[line - 1]
    content = text.rstrip(b"\r\n")
    cut = int(len(content) * where)
    while 0 < cut < len(content) and 0x80 <= content[cut] < 0xC0:  # not in the middle of a character
        cut -= 1
    lines[line - 1] = content[:cut] + bad + b" " + content[cut:] + text[len(content):]
    path = project.content_dir / "claims/budget-doubled.md"
    path.write_bytes(b"".join(lines))
    with pytest.raises(BuildFailed) as failure:
        read_site(project)
    errors = failure.value.problems.errors
    assert [(e.path, e.line) for e in errors] == [(path, line)]
    assert "not UTF-8" in errors[0].message and f"0x{bad[0]:02X}" in errors[0].message
    assert "UTF-8" in errors[0].hint


@pytest.mark.parametrize("encoding, named", [
    ("utf-16", "UTF-16"), ("utf-16-be", None), ("utf-16-le", None), ("utf-16-le-ascii", None), ("utf-32", "UTF-32"),
    ("latin-1", None),
    ("cp1252", None), ("shift_jis", None),
])
def test_a_file_in_another_encoding_is_a_clear_error(project, encoding, named):
    path = project.content_dir / "claims/budget-doubled.md"
    text = BUDGET.replace("The Mayor", "Le Maire Élodie ’s ①") if encoding != "shift_jis" else BUDGET + "予算\n"
    if encoding == "utf-16-le-ascii":  # English only: valid UTF-8, every other byte 0
        text, encoding = BUDGET, "utf-16-le"
    raw = text.encode(encoding, "replace")
    if encoding == "utf-16-be":
        raw = codecs.BOM_UTF16_BE + raw
    path.write_bytes(raw)
    with pytest.raises(BuildFailed) as failure:
        read_site(project)
    errors = failure.value.problems.errors
    assert len(errors) == 1 and errors[0].path == path, "\n".join(map(str, errors))
    assert "UTF-8" in errors[0].message and "UTF-8" in errors[0].hint
    if named or encoding == "utf-16-be":
        assert f"saved as {named or 'UTF-16'}" in errors[0].message and errors[0].line == 1
    else:
        first_bad = next(number for number, line in enumerate(raw.split(b"\n"), 1)
                         if line.decode("utf-8", "replace") != line.decode("utf-8", "ignore") or b"\0" in line)
        assert errors[0].line == first_bad


# Huge and endless files ---------------------------------------------------------------------

def test_a_50_mb_claim_is_refused_quickly_without_reading_it(project):
    path = project.content_dir / "claims/huge.md"
    with open(path, "wb") as huge:
        huge.write(BUDGET.encode())
        huge.truncate(50 * 1024 * 1024)  # the rest reads as zero bytes
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(BuildFailed) as failure:
            read_site(project)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 5
    assert peak < 1024 * 1024, f"{peak} bytes held: the file was read"
    errors = failure.value.problems.errors
    assert [(e.path, e.line) for e in errors] == [(path, None)]
    assert "too large (50.0 MB)" in errors[0].message and "at most 5 MB" in errors[0].hint


def test_a_file_just_under_the_limit_is_read(tmp_path):
    path = tmp_path / "long.txt"
    path.write_bytes(b"x" * MAX_FILE_BYTES)
    problems = Problems()
    assert len(read_text(path, problems)) == MAX_FILE_BYTES and problems.items == []
    path.write_bytes(b"x" * (MAX_FILE_BYTES + 1))
    assert read_text(path, problems) is None and "too large" in problems.errors[0].message


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux's /proc")
def test_a_file_longer_than_its_size_says_is_read_only_up_to_the_limit(monkeypatch):
    """Files in /proc say they are empty; so could a file that grows while it is read."""
    path = Path("/proc/self/status")
    assert path.stat().st_size == 0 and len(path.read_bytes()) > 200
    monkeypatch.setattr("factsite.read.text.MAX_FILE_BYTES", 100)
    problems = Problems()
    assert read_text(path, problems) is None
    assert "too large" in problems.errors[0].message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_that_never_ends_is_refused(tmp_path):
    problems = Problems()
    assert read_text(Path("/dev/zero"), problems) is None
    assert "not a file of text" in problems.errors[0].message


# Anchors and aliases ----------------------------------------------------------------------------

@PROPERTY
@given(anchored=st.sampled_from(["title", "claim", "summary", "topics", "sources", "related"]),
       alias=st.sampled_from(["claimant", "summary", "title", "note", "<<"]))
def test_an_alias_anywhere_is_refused(project, anchored, alias):
    path = project.content_dir / "claims/budget-doubled.md"
    text = re.sub(rf"^{anchored}:", f"{anchored}: &a", BUDGET, count=1, flags=re.M)
    end = text.index("\n---\n", 4)  # the alias comes after every anchor
    text = text[:end] + (f"\nx_{alias}: *a" if alias != "<<" else "\nextra:\n  <<: *a") + text[end:]
    path.write_text(text, "utf-8")
    with pytest.raises(BuildFailed) as failure:
        read_site(project)
    messages = [e.message for e in failure.value.problems.errors if e.path == path]
    assert any("anchors and aliases" in message for message in messages), messages
