"""In-app notifications of the events that need a person."""
