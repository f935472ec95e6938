"""A student's "I was right" on a typed answer: the claim, and the set owner's view and accept."""
