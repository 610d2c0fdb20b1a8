"""policykit: Ledyard Public Schools' policy on electronic communications and social media,
as policy-as-code."""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import PolicyError, PolicyIssue, RequestError  # noqa: E402
from .loader import check_policy_dir, load_policy_dir  # noqa: E402

__all__ = ["PolicyError", "PolicyIssue", "RequestError", "check_policy_dir", "load_policy_dir", "__version__"]
