// The `Scheduler` module: see docs/architecture.md for what it owns.
