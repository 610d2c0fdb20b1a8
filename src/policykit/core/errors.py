"""Errors as values: policy-file issues located by file, line and column, and request errors
located by JSON pointer. Exceptions carry the whole list and are raised only at the edges."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from policykit.core.values import asdict, dataclass


@dataclass(frozen=True, order=True)
class PolicyIssue:
    """One problem in a policy file, at a 1-based line and column."""

    path: str
    line: int
    column: int
    message: str
    code: str = "error"
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class PolicyError(Exception):
    """The policy files could not be loaded; ``issues`` holds every problem found."""

    def __init__(self, issues: Iterable[PolicyIssue]):
        self.issues: tuple[PolicyIssue, ...] = tuple(sorted(issues))
        super().__init__("\n".join(str(issue) for issue in self.issues))


@dataclass(frozen=True)
class RequestProblem:
    """One problem in a request: where (a JSON pointer) and what, in words."""

    pointer: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"pointer": self.pointer, "message": self.message}


class RequestError(ValueError):
    """A request that cannot be answered. ``errors`` is a list of ``{pointer, message}``;
    ``omitted`` counts further problems that were found but are not listed (only the first
    few are explained, so that a hostile request costs bounded work)."""

    def __init__(self, problems: Sequence[RequestProblem], omitted: int = 0):
        self.problems: tuple[RequestProblem, ...] = tuple(problems)
        self.errors: list[dict[str, str]] = [p.to_dict() for p in self.problems]
        self.omitted = omitted
        more = f" (and {omitted} more)" if omitted else ""
        super().__init__("; ".join(f"{p.pointer or '/'}: {p.message}" for p in self.problems) + more)


def shorten(text: str, limit: int = 64) -> str:
    """``text``, cut to ``limit`` characters with an ellipsis when longer: for quoting a
    caller's keys and values in an error without echoing them whole."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix when ``word`` is close to one of ``choices``, else ''."""
    if not isinstance(word, str) or len(word) > 200:  # nothing that long is close to a name
        return ""
    import difflib  # here, not at the top: a command that decides a valid request never needs it

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def json_pointer(path: Iterable[str | int]) -> str:
    """RFC 6901 pointer for a path of keys and indexes."""
    parts = (str(p).replace("~", "~0").replace("/", "~1") for p in path)
    return "".join("/" + p for p in parts)
