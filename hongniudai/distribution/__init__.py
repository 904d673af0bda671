"""收益分配 (distribution): see issue 16."""
