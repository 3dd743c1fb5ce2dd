"""Imports that land in an essay: CSV/TSV flashcard exports and GIFT questions are attached
to the paragraph that states them."""
