"""Readers and writers of question files: the native YAML and other tools' formats."""
