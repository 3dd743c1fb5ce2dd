"""Imports: GIFT questions as a new content folder (:mod:`.gift`), and imports that land in an
existing essay: CSV/TSV flashcard exports and GIFT questions are attached to the paragraph that
states them (:mod:`.csvfile`, :mod:`.attach`)."""
