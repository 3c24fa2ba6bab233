"""schema.org ClaimReview for each claim, and the DataFeed of them all.

Built from the same model objects as the page, so what the markup says is
what the reader sees.
"""

from __future__ import annotations

import json
import re

from ..digest import digest_of
from ..model.site import Claim, Site, claim_url
from .templating import join_url

CONTEXT = "https://schema.org"


def review_inputs(claim: Claim) -> tuple:
    """Everything :func:`claim_review` reads of a claim, declared once: the review is made from
    these values alone, and :func:`review_key` is these values digested.

    (What it reads of the settings, such as the verdicts' labels, is in every page's layout.)
    """
    return (claim.slug, claim.claim, claim.verdict, claim.claimant.name, claim.claimant.type, claim.claim_date,
            claim.appeared_in, claim.published, claim.modified, claim.summary, claim.lang)


def review_key(claim: Claim) -> str:
    """The review's inputs, digested: equal keys, equal reviews (claims.json's fingerprint is
    made of them, 20,000 of them at 10,000 claims in two languages, on every update of the
    preview). A source is named by its file's digest, which covers all it shows."""
    slug, text, verdict, name, kind, claimed, appeared, published, modified, summary, lang = review_inputs(claim)
    return digest_of(slug, text, verdict.slug, name, kind, str(claimed),
                     f"{appeared.id}\x1f{appeared.digest}" if appeared else "", str(published), str(modified),
                     summary, lang or "")


def claim_review(claim: Claim, site: Site, absolute_url) -> dict:
    """The ClaimReview of one claim; ``absolute_url`` turns a site path into a full URL."""
    slug, text, verdict, name, kind, claimed, appeared, published, modified, summary, lang = review_inputs(claim)
    config = site.config
    rating: dict = {"@type": "Rating", "alternateName": verdict.label, "ratingExplanation": summary}
    if verdict.rating is not None:
        rating.update(ratingValue=verdict.rating, bestRating=config.best_rating, worstRating=config.worst_rating)

    item: dict = {"@type": "Claim", "author": {"@type": "Person" if kind == "person" else "Organization", "name": name}}
    if claimed:
        item["datePublished"] = claimed.isoformat()
    if appeared:  # the one place the desk records it appeared: the first, as far as it knows
        item["appearance"] = item["firstAppearance"] = creative_work(appeared)

    review = {
        "@type": "ClaimReview",
        "url": absolute_url(claim_url(slug)),
        "claimReviewed": text,
        "reviewRating": rating,
        "author": organization(site, absolute_url),
        "datePublished": published.isoformat(),
        "itemReviewed": item,
        "inLanguage": lang or config.language,  # a claim not yet translated is in the default language
    }
    if config.data_license:
        review["sdLicense"] = config.data_license
    if modified != published:
        review["dateModified"] = modified.isoformat()
    return review


def creative_work(source) -> dict:
    work = {"@type": "CreativeWork", "headline": source.title}
    if source.url:
        work["url"] = source.url
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.author:
        work["author"] = {"@type": "Person", "name": source.author}
    if source.published:
        work["datePublished"] = source.published.isoformat()
    return work


def organization(site: Site, absolute_url) -> dict:
    org = site.config.organization
    data: dict = {"@type": "Organization", "name": org.name, "url": org.url or absolute_url("")}
    logo = (org.logo if "://" in org.logo else join_url(site.config.base_url, org.logo)) if org.logo else None
    if logo and web_address(logo):  # checked in site.yml too; never a javascript: or data: URL
        data["logo"] = logo
    return data


def web_address(url: str) -> bool:
    """Whether a browser would read ``url`` as an http(s) address (schemes are read case-blind,
    across tabs and line breaks, after leading control characters and spaces)."""
    cleaned = re.sub(r"[\t\n\r]", "", url).lstrip("".join(map(chr, range(0x21)))).lower()
    return cleaned.startswith(("http://", "https://"))


def data_feed_json(site: Site, absolute_url, reviews: list[bytes]) -> bytes:
    """claims.json: a DataFeed of the site's every ClaimReview, newest first in each language,
    given as UTF-8 JSON (which may be kept from an earlier build: joined as bytes, the 28 MB of
    10,000 claims in two languages are neither widened to one string nor encoded again)."""
    head = to_json(data_feed_head(site, absolute_url)).encode("utf-8")[:-1] + b',"dataFeedElement":['
    if not reviews:
        return head + b"]}\n"
    # One join, with the head stuck to the first review and the end to the last: each copy of
    # the whole costs as much as the join itself.
    items = list(reviews)
    items[0] = head + items[0]
    items[-1] += b"]}\n"
    return b",".join(items)


def data_feed_head(site: Site, absolute_url) -> dict:
    feed = {
        "@context": CONTEXT,
        "@type": "DataFeed",
        "name": f"{site.config.title}: all fact-checks",
        "url": absolute_url("claims.json"),
    }
    if site.modified:
        feed["dateModified"] = site.modified.isoformat()
    return feed


def to_json(data: dict | list) -> str:
    # Not indented: Python's C encoder only writes compact JSON, five times quicker than its indenting one.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def to_script_json(data: dict) -> str:
    """JSON safe to place inside <script>: no "</script>", "<!--" or line separators can break out."""
    text = json.dumps({"@context": CONTEXT, **data}, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text
