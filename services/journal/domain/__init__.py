"""The journal's pure core, one module per aggregate: ``journal`` (the journal, its supporters
and handover), ``entry`` (entries and their notes), ``observation``; ``common`` holds the limits
and helpers they share, and ``services.journal.access`` who may see what. No I/O, no clock."""
