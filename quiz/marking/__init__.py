"""A teacher's marking: essays marked by hand, comments on any answer, overridden automatic marks.

`rules` is pure (what a mark form says, and what an attempt then scores); `queries` reads,
`operations` writes, `routes` holds the marking pages of an assignment.
"""
