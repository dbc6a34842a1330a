"""What the book costs to build, to rebuild and to read: ``make bench`` (see ``run.py``)."""
