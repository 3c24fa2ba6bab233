"""Stage 3: the site model. site.py holds the plain dataclasses the templates receive (and
Content, every record as read), organization.py those of who publishes and funds the site;
assemble.py links them into one Site (each verdict, topic, claimant, source and person knows
its claims); languages.py holds what translations give, and editions.py assembles from copies
of the records the site in each other language; search_parts.py says which claim pages each part of the
search index holds. Every other stage imports the model, reading first, as it fills the
dataclasses; the model imports no stage."""
