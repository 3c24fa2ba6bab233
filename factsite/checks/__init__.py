"""Checks that need the whole site: editorial.py's warnings (what is allowed but usually a
mistake, such as a rated verdict resting on a single source); guard.py, which compares the
verdicts readers saw (published.py reads the last build's, history.py a git revision's) with
the new ones; links.py, which checks the links editors wrote against the pages rendered; and
ifcn.py, the checklist of what the site shows of the IFCN Code of Principles (check --ifcn)."""
