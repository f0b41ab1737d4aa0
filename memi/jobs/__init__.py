"""Background jobs: a Huey queue on SQLite (embedded) or Redis, run by `flask worker`.

`memi.jobs.runner` sets up the queue and the consumer; `memi.jobs.tasks` declares the jobs;
`memi.jobs.services` records their runs for the admin's Jobs page.
"""
