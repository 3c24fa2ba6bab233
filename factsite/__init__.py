"""factsite: turn a folder of Markdown claim files into a static fact-check website."""

__version__ = "0.1.0"
