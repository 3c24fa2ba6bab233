"""Editorial warnings over the assembled site: things that are allowed but
usually a mistake. `factsite check --strict` treats them as errors.

(The verdict guard, which compares the site with what readers saw, is guard.py.)"""

from __future__ import annotations

from ..errors import Problems
from ..model.site import Site


def check_editorial(site: Site, problems: Problems) -> None:
    """The warnings about the whole site; each claim's own are made with it (read/claims.check_claim)."""
    cited_anywhere = {source.id for source in site.sources if source.claims}
    cited_anywhere |= {claim.appeared_in.id for claim in site.claims if claim.appeared_in}
    for source in site.sources:
        if source.id not in cited_anywhere:
            problems.warning(source.path, None, f'the source "{source.id}" is not cited by any claim',
                             "cite it in a claim's sources, or delete the file")
        # A web page read without an archived copy is dated instead, so readers know which
        # version the fact-check relied on.
        if source.archived_text is None and not source.archive_url and not (source.url and source.accessed):
            problems.warning(
                source.path, None, "there is no archived copy of this source, nor the date it was read",
                f"add archive_url: (e.g. a Wayback Machine address), save the text as {source.id}.txt beside it, "
                "or give its url: and the date you read it, accessed: YYYY-MM-DD",
            )
