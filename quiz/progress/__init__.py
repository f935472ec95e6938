"""A student's progress: scores, activity, memory and what comes due, as data and as pages."""
