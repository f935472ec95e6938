"""Pictures and sound of a set: checked uploads, one content-addressed store, served by hash."""
