"""Classes: the teacher's side (classes, join codes, assignments) and the student's
(joining, a class's assignments)."""
