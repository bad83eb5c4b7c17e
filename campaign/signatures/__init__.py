"""Signing, confirming, withdrawing, deduplicating and counting signatures."""
