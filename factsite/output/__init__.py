"""Stage 5: write the files, and keep what the next build reads back.

write.py writes a whole site into a new folder swapped into place, or changes one in place
through a journal (journal.py); search.py runs Pagefind on it. cache.py owns
.factsite-cache/ (build_state.py, what the last build wrote); readback.py reads anything
factsite wrote before as the untrusted input it is.
"""
