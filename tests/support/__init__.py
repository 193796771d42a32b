"""What several test suites share: running the command line and reading what it printed."""
