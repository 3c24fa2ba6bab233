"""Reading the pages: content/pages/<name>.md, the site's other pages (methodology, about...)."""

from __future__ import annotations

from pathlib import Path

from ..digest import digest_of
from ..errors import Problems, did_you_mean
from .fields import check_fields
from ..model.site import Page
from .listing import content_files
from .parse import check_markdown, read_markdown_file
from .schema import PAGE_FIELDS, PAGE_INCLUDES


def load_pages(folder: Path, problems: Problems) -> list[Page]:
    pages = []
    for path in content_files(folder, "*.md", problems):
        doc = read_markdown_file(path, problems)
        if doc is None:
            continue
        values = check_fields(doc, PAGE_FIELDS, problems)
        check_markdown(doc, "page", problems)
        for index, name in enumerate(values["includes"]):
            if name not in PAGE_INCLUDES:
                problems.error(path, doc.line("includes", index), f'unknown include "{name}"',
                               did_you_mean(name, PAGE_INCLUDES))
        if values["title"]:
            pages.append(Page(path.stem, values["title"], values["description"], values["order"] or 100,
                              [i for i in values["includes"] if i in PAGE_INCLUDES], doc.body, path, doc.body_line,
                              digest_of(doc.digest, doc.body)))
    return sorted(pages, key=lambda p: (p.order, p.title.lower()))
