"""The library calls behind the commands: init, refresh, check, demo."""
