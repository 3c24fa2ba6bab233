"""Stage 5: write the files, and keep what the next build reads back.

write.py writes a whole site into a new folder swapped into place, or changes one in place
through a journal (journal.py), into a folder factsite made (ownership.py); held.py holds an
update's files in memory until written (the preview's); search.py runs Pagefind on it. cache.py owns
.factsite-cache/ (build_state.py, what the last build wrote). Anything factsite wrote before
is read back as the untrusted input it is (factsite/readback.py, which every stage uses).
"""
