"""The day's work: what waits on the signed-in user and their agency."""
