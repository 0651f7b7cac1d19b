class BackupError(Exception):
    """A backup or restore that cannot be made, or whose result does not match its manifest.
    The message is bilingual plain text (command output and the task's failure)."""
