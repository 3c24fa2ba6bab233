"""`factsite check --ifcn`: what the site shows of each commitment of the International
Fact-Checking Network's Code of Principles, and what is still missing.

Only what the content can show is checked: that a statement, page or field is there, not
whether what it says is true. Each commitment names what is missing in words an editor can
act on; the command fails while anything is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model.site import Site

# Domains kept for examples and tests (RFC 2606, RFC 6761): mail sent there reaches no one.
RESERVED_DOMAIN = re.compile(r"(^|\.)(example|test|invalid|localhost)$|(^|\.)example\.(com|net|org)$")


@dataclass
class Commitment:
    name: str
    missing: list[str] = field(default_factory=list)  # what the publication still has to supply

    @property
    def met(self) -> bool:
        return not self.missing


def ifcn_checklist(site: Site) -> list[Commitment]:
    """Each commitment, with what is missing for it (nothing when it is met)."""
    return [nonpartisanship(site), sources(site), funding(site), staff(site), methodology(site),
            corrections(site), right_of_reply(site)]


def included(site: Site, what: str) -> bool:
    return any(what in page.includes for page in site.pages)


def fact_checks(slugs: list[str], lacking: str) -> str:
    """How many fact-checks lack something, and the first few of them by address."""
    return (f"{len(slugs)} fact-check{'s' * (len(slugs) != 1)} {lacking}: "
            + ", ".join(slugs[:5]) + (", ..." if len(slugs) > 5 else ""))


def nonpartisanship(site: Site) -> Commitment:
    found = Commitment("A commitment to nonpartisanship and fairness")
    if not site.config.nonpartisanship:
        found.missing.append("content/site.yml has no nonpartisanship: statement")
    elif not included(site, "organization"):
        found.missing.append("no page shows it: add includes: [organization] to a page such as about.md")
    return found


def sources(site: Site) -> Commitment:
    """Every source a fact-check cites can be reached by a reader: a link or a text copy."""
    found = Commitment("Sources a reader can find and check")
    unreachable = sorted({citation.source.id for claim in site.claims for citation in claim.citations
                          if not (citation.source.url or citation.source.archive_url
                                  or citation.source.archived_text is not None)})
    found.missing += [f"content/sources/{name}.yml has no url, archive_url or text copy" for name in unreachable]
    return found


def funding(site: Site) -> Commitment:
    config = site.config
    found = Commitment("Transparency of funding and organization")
    if not config.ownership:
        found.missing.append("content/site.yml has no ownership: statement of who owns and runs the publication")
    if not (config.funding and (config.funding.statement or config.funding.funders)):
        found.missing.append("content/site.yml lists no funders and no funding: statement")
    if not included(site, "organization"):
        found.missing.append("no page shows them: add includes: [organization] to a page such as about.md")
    return found


def staff(site: Site) -> Commitment:
    found = Commitment("The people who check, with their background")
    if not site.people:
        found.missing.append("content/people/ has no one: add a file for each person with name, role and bio")
    elif not included(site, "team"):
        found.missing.append("no page shows the team: add includes: [team] to a page such as about.md")
    unsigned = [claim.slug for claim in site.claims if not (claim.authors or claim.editors)]
    if unsigned:
        found.missing.append(fact_checks(unsigned, "name no author or editor"))
    return found


def methodology(site: Site) -> Commitment:
    found = Commitment("A published methodology")
    if site.page("methodology") is None:
        found.missing.append("there is no content/pages/methodology.md")
    if not included(site, "verdict-scale"):
        found.missing.append("no page explains the verdicts: add includes: [verdict-scale] to the methodology")
    return found


def corrections(site: Site) -> Commitment:
    found = Commitment("An open and honest corrections policy, with a channel that works")
    if not included(site, "corrections-log"):
        found.missing.append("no page lists the corrections: add includes: [corrections-log] to corrections.md")
    domain = site.config.contact_email.rpartition("@")[2].lower()
    if RESERVED_DOMAIN.search(domain) and not site.config.repository:
        found.missing.append(f'contact_email is on "{domain}", a domain kept for examples that receives no mail, '
                             "and no repository: is set for readers' reports: give an address you read")
    return found


def right_of_reply(site: Site) -> Commitment:
    """Every claim is someone's, a person's or an organization's: they are asked before publication."""
    found = Commitment("The right of reply: the claimant asked before publication")
    unasked = [claim.slug for claim in site.claims if not claim.contacted]
    if unasked:
        found.missing.append(fact_checks(unasked, "record no contacted"))
    return found
