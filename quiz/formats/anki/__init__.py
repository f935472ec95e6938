"""Anki packages, pure: the collection inside a package (collection), its notes read as
questions (read), a card's review history replayed through fsrs (history), and the little of
protobuf they need (protobuf)."""
