"""Site rule sets: one YAML file per site, loaded and validated into a RuleBook, applied to
text lines (`apply_text`) and HTML trees (`apply_html`)."""
from .rulebook import RuleBook, RuleSet, default_rulebook, load_ruleset

__all__ = ["RuleBook", "RuleSet", "default_rulebook", "load_ruleset"]
