"""Petitions, the decision makers they address, their goals and public pages."""
