"""Students' own sets: their list, sharing with a class, and what a class's teacher sees."""
