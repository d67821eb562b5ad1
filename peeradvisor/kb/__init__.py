"""The knowledge base: models, loader and checks."""

from .loader import KnowledgeBase, default_root, load_kb
from .models import Condition, Evidence, Item, ItemRef, Rule

__all__ = ["Condition", "Evidence", "Item", "ItemRef", "KnowledgeBase", "Rule", "default_root", "load_kb"]
