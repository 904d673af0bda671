"""爱心汤 (soup rounds): soup carried to elderly residents on every date with a 9 (逢九送汤)."""
