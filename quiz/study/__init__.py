"""Studying: the due queue, answering and rating, undo, custom study, browsing cards, settings."""
