"""Quizzes: scored attempts on a set (start, answer, hand in, result) and their summaries."""
