"""Site rule sets: one YAML file per site, read into one typed schema (`model`, `load`),
selected per capture (`rulebook`), applied to text lines (`apply_text`) and HTML pages
(`apply_html`), checked through the whole cleaning (`checks`), counted over a run
(`stats`) and proposed from captures (`learn`)."""
from .load import load_ruleset
from .model import RuleSet
from .rulebook import RuleBook, default_rulebook

__all__ = ["RuleBook", "RuleSet", "default_rulebook", "load_ruleset"]
