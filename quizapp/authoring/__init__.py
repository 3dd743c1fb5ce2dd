"""Authoring helpers for instructors: a new essay folder from plain text, drafted facts,
previews. Pure functions (no Flask); the ``quizapp content`` commands call them."""
