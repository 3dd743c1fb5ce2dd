"""The content bank: content files -> validated model -> generated items and cards.

No Flask here: the web app, the CLI and the tests all use these functions directly.
"""

from .generate import Bank, assemble_quiz, bank_entries, build_bank, eligible_counts
from .loader import ContentError, LoadResult, content_mtime, load_content, load_essay_folder
from .model import Card, EssayContent, Item, Quiz
from .types import ITEM_TYPES, REGISTRY, ItemType

__all__ = [
    "ITEM_TYPES",
    "REGISTRY",
    "Bank",
    "Card",
    "ContentError",
    "EssayContent",
    "Item",
    "ItemType",
    "LoadResult",
    "Quiz",
    "assemble_quiz",
    "bank_entries",
    "build_bank",
    "content_mtime",
    "eligible_counts",
    "load_content",
    "load_essay_folder",
]
