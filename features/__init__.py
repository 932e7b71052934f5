"""The shipped rules' specifications in Vietnamese Gherkin (.feature), as package data."""
