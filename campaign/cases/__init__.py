"""Persons of concern: the people a campaign is for, their status over time, and the figures."""
