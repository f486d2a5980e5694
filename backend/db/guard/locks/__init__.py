"""lock-test's parts: observe each revision's locks and work on tables of two rehearsal sizes
(:mod:`.observe`), predict each statement at production size (:mod:`.predict`), judge the time
each lock blocks reads or writes against the budget (:mod:`.judge`)."""
