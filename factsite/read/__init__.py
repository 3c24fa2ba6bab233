"""Stage 2 of the build: read and check every content file.

From the bottom up: text.py reads a file's text safely; yaml_lines.py parses YAML with the
line of every key, and parse.py splits a Markdown file's front matter from its body;
schema.py lists the fields each kind of file may hold. listing.py says which files in a
folder are content; filecache.py keeps what reading each file gave between builds, and
parallel.py reads many files, from that cache or on a pool of processes. sources.py,
claim_file.py with claims.py, and pages.py read each kind of file; content.py reads them all.
"""
