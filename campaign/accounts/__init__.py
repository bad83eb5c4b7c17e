"""Organisations, their people and what each may do."""
