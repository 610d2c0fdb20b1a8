"""What board editors work with: the scenarios and their phrasebook (scenarios, phrases, bdd),
the checks on them (coverage, mutate, lint), the question corpus (questions) and the impact of a
change (diff)."""
