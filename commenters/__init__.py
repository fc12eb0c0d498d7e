"""Commenters and their data: address confirmation, unsubscribing, privacy export and erasure."""
