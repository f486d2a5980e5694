"""Rebaselining: squash a tangled migration history into one proven baseline, archive the old
chain, and move live databases over (``adopt``) safely.

``squash.rebaseline()`` is the library behind ``invoke rebaseline``; ``adopt.adopt()`` is the
one behind ``deploy --adopt-baseline``. Nothing here prints or exits: ``report`` renders results
and the invoke task / the deploy CLI are the edges.
"""
