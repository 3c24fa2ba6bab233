"""Stage 3: the site model. site.py holds the plain dataclasses the templates receive;
assemble.py links them into one Site (each verdict, topic, claimant and source knows its claims)."""
