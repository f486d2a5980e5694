"""data-test's rehearsal on rows: the walk (:mod:`.walk`), the tables' counts and shapes between
steps (:mod:`.tables`), and the rows that broke a statement (:mod:`.diagnosis`)."""
