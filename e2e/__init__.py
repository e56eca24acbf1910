"""End-to-end browser tests (a package, so module names never clash with tests/)."""
