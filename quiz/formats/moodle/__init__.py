"""Moodle XML: reader.py (kinds.py and cloze.py for its question types) and writer.py."""
