"""归雁工程 (returnees): see issue 16."""
