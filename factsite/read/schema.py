"""What each kind of content file may hold: its fields, their kinds, examples and limits.

fields.py checks a file's values against these tables; `factsite new` and the docs'
examples come from them too.
"""

from __future__ import annotations

from .fields import Field

SOURCE_KINDS = ("news report", "official statement", "official document", "press release", "interview",
                "social media post", "data", "web page", "document", "other")
STANCES = ("supports", "contradicts", "context")
WORDINGS = ("verbatim", "paraphrase")  # a claim as its claimant's exact words, or in the desk's
PAGE_INCLUDES = ("verdict-scale", "corrections-log", "team", "organization")
PLACEHOLDER = "TODO"  # what `factsite new` leaves for the editor to fill in
LONG_CLAIM = 75  # characters; search engines cut a ClaimReview's claimReviewed beyond this
QUOTE_PAIRS = {'"': '"', "'": "'", "“": "”", "„": "“", "‘": "’", "«": "»"}  # opening mark: its closing one

SOURCE_FIELDS = {
    "title": Field("text", '"Fortress Europe: 35 Nations Seal Historic Security Pact"', required=True, max_length=500),
    "publisher": Field("text", "The Post News", max_length=200),
    "author": Field("text", "Jane Doe", max_length=200),
    "published": Field("date", "2025-09-04"),
    "url": Field("text", "https://example.com/article", max_length=2000),
    "archive_url": Field("text", "https://web.archive.org/web/2025/https://example.com/article", max_length=2000),
    "accessed": Field("date", "2025-09-05"),  # when the desk read a web page that has no archived copy
    "kind": Field("text", "news report", required=True, choices=SOURCE_KINDS),
    "image_credit": Field("text", "Image by Daily Sabah", max_length=200),
    "notes": Field("text", "The copy received gives no date.", max_length=5000),
}

CITATION_FIELDS = {
    "source": Field("text", "post-news-26-nations", required=True),
    "quote": Field("text", '"the exact words from the source"', max_length=5000),
    "note": Field("text", "What the source shows, in your own words.", max_length=2000),
    "stance": Field("text", "supports", required=True, choices=STANCES),
}

CONTACT_FIELDS = {
    "who": Field("text", "The mayor's office", required=True, max_length=200),
    "date": Field("date", "2025-03-03", required=True),
    "response": Field("text", "They said the figure included grants.", max_length=5000),
}

CORRECTION_FIELDS = {
    "date": Field("date", "2025-09-12", required=True),
    "note": Field("text", "An earlier version gave the wrong number of missiles.", required=True, max_length=2000),
}

CLAIM_FIELDS = {
    "title": Field("text", "ERAM missile delivery", required=True, max_length=200),
    "claim": Field("text", "The U.S. has delivered 3,350 ERAM missiles to Ukraine.", required=True),
    "claim_wording": Field("text", "paraphrase", choices=WORDINGS),
    "claimant": Field("text", "Emmanuel Macron", required=True, max_length=200),
    "claimant_type": Field("text", "person", choices=("person", "organization")),
    "claimant_id": Field("slug", "emmanuel-macron-2"),  # the claimant page's address, if not made from the name
    "claim_date": Field("date", "2025-09-04"),
    "appeared_in": Field("text", "post-news-26-nations"),
    "verdict": Field("text", "unproven", required=True),
    "summary": Field("text", "One or two sentences: the short answer.", required=True, max_length=2000),
    "topics": Field("list", "[troops, funding]"),
    "sources": Field("records", "[{source: post-news-26-nations, quote: \"the exact words\", stance: supports}]",
                     fields=CITATION_FIELDS, max_items=500),
    "author": Field("list", "[jane-doe]", max_items=10),  # people, by their file's name in content/people/
    "editor": Field("list", "[john-roe]", max_items=10),
    "contacted": Field("records", "[{who: The mayor's office, date: 2025-03-03, response: ...}]",
                       fields=CONTACT_FIELDS, max_items=20),
    "published": Field("date", "2025-09-10", required=True),
    "updated": Field("date", "2025-09-12"),
    "corrections": Field("records", "[{date: 2025-09-12, note: What was corrected.}]", fields=CORRECTION_FIELDS),
    "related": Field("list", "[eram-missile-delivery]"),
    "aliases": Field("list", "[old-file-name]"),
    "draft": Field("bool", "false"),
}

PERSON_FIELDS = {
    "name": Field("text", "Jane Doe", required=True, max_length=200),
    "role": Field("text", "Fact-checker", required=True, max_length=200),
    "bio": Field("text", "Jane covered defence for ten years before joining the desk.", required=True,
                 max_length=3000),
    "url": Field("text", "https://example.org/jane-doe", max_length=2000),
}

PAGE_FIELDS = {
    "title": Field("text", "Methodology", required=True, max_length=200),
    "description": Field("text", "How we choose and check claims."),
    "order": Field("int", "10"),
    "includes": Field("list", "[verdict-scale]"),
}
