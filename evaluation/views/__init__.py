"""Views of the evaluation app, one module per concept. Thin: parse input, check the
permission, call a service or selector, render."""
