"""Testing pylive apps: an in-process test client and browser fixtures."""
