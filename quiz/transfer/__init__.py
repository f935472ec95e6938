"""Import and export of question sets in every format, for the teacher's pages and the CLI."""
