"""The policy for readers and other engines: the staff site's pages (site), the browser's
evaluator data (ask) and the OPA bundle (rego)."""
