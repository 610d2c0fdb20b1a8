"""policykit: Ledyard Public Schools' policy on electronic communications and social media,
as policy-as-code."""

from __future__ import annotations

__version__ = "0.1.0"

from .core.api import Policy, load_policy  # noqa: E402
from .core.decision import Decision, Notice, Obligation, PolicyStamp, Reason, Verdict  # noqa: E402
from .core.errors import PolicyError, PolicyIssue, RequestError, RequestProblem  # noqa: E402
from .core.loader import check_policy_dir, load_policy_dir  # noqa: E402

__all__ = [
    "Decision", "Notice", "Obligation", "Policy", "PolicyError", "PolicyIssue", "PolicyStamp", "Reason",
    "RequestError", "RequestProblem", "Verdict", "__version__", "check_policy_dir", "load_policy", "load_policy_dir",
]
