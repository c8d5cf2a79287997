"""Bringing in what reps already have: CRM exports (Salesforce, HubSpot) and the
planner's own spreadsheet template.

Each reader turns its files into one neutral `Batch` (accounts, people, projects,
each with the file's id for it and the file and line it came from), reporting
problems by file and line and mending what the method lets it (a broken reports-to
cycle, a guessed layer). `plan` then compares the batch with what the database
holds and says what an import would create, update and skip; the store applies
that plan in one transaction.
"""
