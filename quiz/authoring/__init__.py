"""Fast authoring: the rows editor, and questions duplicated, moved, tagged in bulk."""
