"""Published draws (公开抽样): what 集中评查 and 实地考核 share about a sample drawn from a seed.

``models.SampleRecord`` is the abstract record (algorithm, seed, sizes, population file, fingerprint, drawn list;
written once), ``services.record_draw`` the one way to make one over ``fazhi.core.sampling`` (the population
fixed and audited before the seed exists), ``views`` the confirmation page and the published files.

Where it sits: not in ``fazhi.core`` (pure Python, no Django), not in ``fazhi.io`` (below ``audit``, while
the draw and every download are audited in the same transaction), not in one of the two method apps (siblings:
one importing the other would tie two domains together). It is its own floor just above ``audit``: it knows no
campaign, unit or indicator; each concrete record names its owner (a review, a visit) and its own messages.
"""
