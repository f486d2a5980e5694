"""The migration kernel: the one way anything in the project runs revisions.

The guard, the deploy and the rebaseline sit beside each other on top of it and import nothing
from one another to run a revision. Its modules, one concern each:

- :mod:`.scripts`: a versions folder as Alembic's ``ScriptDirectory``, in topological order;
- :mod:`.environment`: the options env.py gives Alembic, and the lock around Alembic's proxies;
- :mod:`.stepper`: up and down by revision id, a transaction per revision, with hooks around
  each revision and each statement;
- :mod:`.failure`: a revision that failed, and where;
- :mod:`.locations`: the revision line running now (the innermost frame in the versions folder);
- :mod:`.offline`: the SQL a run would execute, without a database.

Nothing is re-exported here: importing the package must not import Alembic (the guard starts
its server before paying for it).
"""
