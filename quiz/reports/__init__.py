"""A teacher's reports on a class: dashboard, a student's page, item analysis, forecast, CSVs."""
