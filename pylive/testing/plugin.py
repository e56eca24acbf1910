"""The pytest plugin pylive registers (entry point ``pytest11``)."""
