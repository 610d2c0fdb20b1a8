"""Export the clauses in force on a date as an OPA bundle (Rego v1) that decides like ``decide()``.

``write_bundle(policy, outdir, day)`` writes the bundle's files, all generated from the compiled
program (``compiler.compile_program``) and the Rego templates of this package, never written by
hand per clause. For each period of the policy (each span of dates over which no clause version
changes), under ``policykit/<period package>/``:

* ``cases.rego`` (``package policykit.cases``): every rule case of every clause in force, with
  Kleene's three-valued logic over unknown facts, as the engine evaluates it (see ``cases``).
* ``decision.rego`` (``package policykit``): ``decision``, the document ``Decision.to_dict()``
  gives, less ``decision_id``: precedence, reasons, obligations (with ``met``), notices (with the
  outcome-triggered ones), ``missing_facts``, ``possible_outcomes``, the explanation and the
  policy stamp. The explanation is ``engine.explain``'s, sentence for sentence, in the words of
  ``data.policykit.messages`` (``schema/messages.yaml``), which decision.rego fills in.
* ``stakes.rego`` (``package policykit``): the exact answer when cases are at stake
  (docs/semantics.md#unknown-facts): the outcomes the request's completions give, and the unknown
  facts that can change it (see ``stakes``).

Beside them: ``policykit/decision.rego``, ``data.policykit.decision``, which chooses the period by
the request's date; ``data.json``, each period's clauses (as a decision's reason gives them, in
printed order) and program (see ``tables``), the messages and the periods; and ``.manifest``:
``{"revision": <policy digest>, "roots": ["policykit"], "rego_version": 1, ...}``.

The bundle assumes a request that ``schema/request.schema.json`` accepts (validate first, e.g.
with policykit's own checker); for every such request ``decision`` is defined. A request whose
``as_of`` falls outside the period the bundle was exported for gets ``{"errors": [...]}``
instead, as ``decide()`` raises. The same digest gives the same bytes: sorted keys, printed
order, no timestamps.

The Rego is written for OPA 1.x and for rego-cpp 1.5 (``regopy``), whose evaluator is slower and
stricter: no set is built in the hot path, no comprehension reads a variable of an enclosing
comprehension or indexes a reference with a function argument, and ``sort`` is not relied on to
order numbers."""

from policykit.publishing.rego.bundle import (ENTRYPOINT, PERIOD_MODULES, QUERY, ROOT, SELECT_MODULE, bundle_files,
                                              bundle_modules, load_bundle_into, period_package, seen_by_titles,
                                              write_bundle)

__all__ = ["ENTRYPOINT", "PERIOD_MODULES", "QUERY", "ROOT", "SELECT_MODULE", "bundle_files", "bundle_modules",
           "load_bundle_into", "period_package", "seen_by_titles", "write_bundle"]
