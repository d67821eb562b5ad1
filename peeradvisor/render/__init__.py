"""Interchangeable renderers: each text format is a module with `render(report, **options) -> str`."""
