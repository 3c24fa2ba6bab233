"""Stages 1 and 2: read the settings, then read and check every content file.

config.py reads content/site.yml (the settings and the verdict scale), with languages.py its
texts in each other language. From the bottom up:
text.py reads a file's text safely; yaml_lines.py parses YAML with the line of every key
(yaml_messages.py says on which line a syntax error's slip is, and what to write), and
parse.py splits a Markdown file's front matter from its body (markdown_limits.py refuses
Markdown that would stall its conversion, with markdown_reread.py counting what the converter
would read again); schema.py lists the fields each kind of file may
hold and fields.py checks them. listing.py says which files in a folder are content (hidden.py,
which are left out; listing_named.py, the last listing with the files a watcher named);
filecache.py keeps what reading each file gave between builds (plain_values.py checks each
value it gives back as the fields would), and parallel.py reads many files, from that cache
or on a pool of processes. sources.py, people.py, claim_file.py with claims.py
(claimants.py, slugs.py), pages.py and addresses.py (old addresses, withdrawn fact-checks)
read each kind of file, translations.py each translation beside one (translation_files.py,
what each holds); content.py reads them all. reuse.py gives again, update after update,
what reading made of each file while what it was made from is the same (file_lists.py and
claims_kept.py, by the file's place in a folder's listing). theme.py reads
templates/ and static/.
"""
