"""Quotations and reported speech, each with its cue and speaker (the "quotes" component)."""
