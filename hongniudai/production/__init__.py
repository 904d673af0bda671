"""生产经营 (production): see issue 16."""
