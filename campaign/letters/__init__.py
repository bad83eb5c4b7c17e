"""Formal letters to international bodies: drafting, citations, co-signers, renderers, delivery."""
