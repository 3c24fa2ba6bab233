"""What a page shows is declared once: each kind of job gives its files and its fingerprint
side by side (pages.py, site_files.py), claims.json's entry and its key come from one tuple
(structured_data.review_inputs), and a share card is drawn from its face alone (card_faces.py).
The byte-equality tests (test_incremental.py, test_preview.py) show the fingerprints cover what
the pages show; these show each thing is spelled only once."""

from __future__ import annotations

import functools

import pytest

from factsite.engine import read_site
from factsite.render.card_faces import ClaimFace, card_digest, claim_face
from factsite.render.renderer import Renderer, join_url
from factsite.render.structured_data import claim_review, review_key


class Reads:
    """Stands for an object and notes each attribute read of it."""

    def __init__(self, wrapped, read: list):
        self._wrapped, self._read = wrapped, read

    def __getattr__(self, name):
        self._read.append(name)
        return getattr(self._wrapped, name)


def test_claims_json_entry_and_its_key_read_the_same_fields_of_a_claim(project):
    site, _ = read_site(project)
    absolute = functools.partial(join_url, "https://example.org/")
    for claim in site.claims:
        by_review, by_key = [], []
        claim_review(Reads(claim, by_review), site, absolute)
        review_key(Reads(claim, by_key))
        assert by_review == by_key, claim.slug


def test_every_kind_of_job_fingerprints_each_of_its_jobs_one_way(project):
    """A kind works out all its fingerprints in one loop, and one job's alone: both give the
    same, for the jobs the renderer lists, in its order."""
    site, _ = read_site(project)
    renderer = Renderer(site, project.templates_dir, project.static_dir, cards=True, search=True)
    prints = renderer.fingerprints()
    assert list(prints) == renderer.jobs()
    for (name, key), fingerprint in prints.items():
        assert renderer.kinds[name].fingerprint(key) == fingerprint, (name, key)


def test_a_share_card_is_drawn_from_its_face_and_each_part_of_the_face_shows(project):
    pytest.importorskip("PIL")
    from factsite.render.cards import claim_card, draw_claim_card

    site, _ = read_site(project)
    claim = site.claims[0]
    face = claim_face(claim, site.config)
    assert claim_card(claim, site.config) == draw_claim_card(face)
    changed = {"kicker": "ANOTHER KICKER", "site_title": "Another site", "claim": "Another claim.",
               "claimant": "Someone else", "verdict_label": "Another label", "verdict_colour": "#00aa00",
               "verdict_icon": "cross"}
    assert changed.keys() == set(ClaimFace._fields), "a new part of the face: say how to change it here"
    drawn = draw_claim_card(face)
    for field, value in changed.items():
        other = face._replace(**{field: value})
        assert card_digest(other) != card_digest(face), field
        assert draw_claim_card(other) != drawn, f"the card does not show its {field}"
