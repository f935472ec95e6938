"""The class gradebook: categories, points, late penalties, excused work and its exports."""
