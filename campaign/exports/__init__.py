"""Organisations' data: exports of counts and signatures, the JSON API, webhooks, embeds."""
