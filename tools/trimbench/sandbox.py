"""Running a program in a sandbox: filled in with bubblewrap support."""
