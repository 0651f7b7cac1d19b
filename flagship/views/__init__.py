"""Views of the flagship cycle, one module per concept; thin: parse, call, render."""
