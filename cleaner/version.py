"""The version of cleaner, written into every article's front matter."""
__version__ = "0.1.0"
