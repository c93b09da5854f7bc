"""The journal's read side: SQL over its read models -> typed views, each limited to what the
asking person may see (``services.journal.access`` says what that is), sealed text opened in one
place (``viewer.opened``). ``services.journal.reads`` answers the query verbs from these, as
``services.journal.handlers`` answers the commands from the domain.

- ``viewer``: the journal a person asks for, whether and how they may see it, and its own fields
- ``timeline``: a page of entries with notes, one entry, every entry (the export)
- ``observations``: observations and handover steps
- ``progress``: what the progress view is computed from
- ``lookups``: who is who, and which journal is whose (also for the command handlers)
- ``home``: what waits for a member, and the journals they support
"""
