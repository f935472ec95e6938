"""Authoring: a teacher's question sets and questions (forms, drafts, checks, library queries)."""
