"""Reading typed answers as people write them: words, numbers, dates and quantities.

Pure helpers for the graders in quiz.textmatch and quiz.units. No library covers this: rapidfuzz
measures edits but knows no words, and number-word or date parsers (word2number, dateparser)
either guess freely or pull in large locale tables; the rules here are small and bounded.
"""
