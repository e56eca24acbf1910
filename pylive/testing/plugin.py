"""The pytest plugin pylive registers (entry point ``pytest11``); fixtures arrive with the runtime."""
