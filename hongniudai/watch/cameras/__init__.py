"""The camera net (视频监控): cameras registered by grid, the camera platforms' keys, and the alerts
they send, which become matters on the ladder (or wait for a grid worker's confirmation)."""
