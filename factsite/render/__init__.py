"""Stage 4: turn the site model into files.

renderer.py holds what every page shares (templates, URLs, pieces); the work is cut into jobs
of a few kinds, each declaring its files beside its fingerprint: pages.py (a claim, a page of a
list, a source), site_pages.py (the corrections log, the rest) and site_files.py (each file
made from every claim). jobs.py runs them on every core and hands the files to the writer its
caller gives; editions.py hands every edition's renderer (one per language) to it as one, and
i18n.py gives each its language's catalogue and dates, addresses.py the addresses of its pages.
claim_rows.py works out what those files show of each claim, and kept.py keeps what the
renderer worked out from one update to the next, by what it was worked out from (kept_lists.py,
how a list's pages are kept).
templating.py, markup.py (Markdown, sanitised), structured_data.py (ClaimReview), card_faces.py
with cards.py (share cards) and compiled.py (compiled templates kept between builds) serve them.
"""
