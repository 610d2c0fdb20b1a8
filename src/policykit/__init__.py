"""policykit: Ledyard Public Schools' policy on electronic communications and social media,
as policy-as-code."""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: ``import policykit`` (the command line's first step) imports nothing
if TYPE_CHECKING:
    from .core.api import Policy, load_policy
    from .core.decision import Decision, Notice, Obligation, PolicyStamp, Reason, Verdict
    from .core.errors import PolicyError, PolicyIssue, RequestError, RequestProblem
    from .core.loader import check_policy_dir, load_policy_dir

__version__ = "0.1.0"

# The public names are imported on first use (PEP 562), so that ``import policykit`` (and the
# command line, which lives inside this package) does not pay for the loader and the compiler.
_EXPORTS = {
    "Policy": "policykit.core.api", "load_policy": "policykit.core.api",
    "Decision": "policykit.core.decision", "Notice": "policykit.core.decision",
    "Obligation": "policykit.core.decision", "PolicyStamp": "policykit.core.decision",
    "Reason": "policykit.core.decision", "Verdict": "policykit.core.decision",
    "PolicyError": "policykit.core.errors", "PolicyIssue": "policykit.core.errors",
    "RequestError": "policykit.core.errors", "RequestProblem": "policykit.core.errors",
    "check_policy_dir": "policykit.core.loader", "load_policy_dir": "policykit.core.loader",
}


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'policykit' has no attribute '{name}'")
    value = getattr(__import__(module, fromlist=[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


__all__ = [
    "Decision", "Notice", "Obligation", "Policy", "PolicyError", "PolicyIssue", "PolicyStamp", "Reason",
    "RequestError", "RequestProblem", "Verdict", "__version__", "check_policy_dir", "load_policy", "load_policy_dir",
]
