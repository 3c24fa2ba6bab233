"""Build the site: `python build.py` is the same as `factsite build`.

Run `python build.py --help` for the options.
"""

import sys

from factsite.commands.cli import run

if __name__ == "__main__":
    run(sys.argv[1:], prog_name="python build.py", command="build")
