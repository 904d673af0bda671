"""利益联结 (benefits): see issue 16."""
